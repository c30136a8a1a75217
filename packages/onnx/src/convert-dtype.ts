import type { AttributeValue, FloatDType, Graph, GraphNode, Tensor, ValueInfo } from '@biaslab/core';
import { DATA_TYPE_CODE } from './codec';

const FLOAT_CODES = new Set([DATA_TYPE_CODE.float32, DATA_TYPE_CODE.float64]);

/**
 * Rewrites every floating-point value of a graph to `dtype`: inputs, outputs, initializers, `Constant`
 * tensors and the target of float `Cast`s. Models are written once and run in float32 or float64.
 */
export function convertFloatType(graph: Graph, dtype: FloatDType): Graph {
  const info = (v: ValueInfo): ValueInfo => (isFloat(v.dtype) ? { ...v, dtype } : v);
  return {
    ...graph,
    inputs: graph.inputs.map(info),
    outputs: graph.outputs.map(info),
    initializers: graph.initializers.map((t) => ({ ...castTensor(t, dtype), name: t.name })),
    nodes: graph.nodes.map((node) => convertNode(node, dtype)),
  };
}

function convertNode(node: GraphNode, dtype: FloatDType): GraphNode {
  let changed = false;
  const attributes: Record<string, AttributeValue> = {};
  for (const [key, a] of Object.entries(node.attributes)) {
    if (a.type === 'tensor' && isFloat(a.value.dtype) && a.value.dtype !== dtype) {
      attributes[key] = { type: 'tensor', value: castTensor(a.value, dtype) };
      changed = true;
    } else if (node.op === 'Cast' && key === 'to' && a.type === 'int' && FLOAT_CODES.has(a.value)) {
      attributes[key] = { type: 'int', value: DATA_TYPE_CODE[dtype] };
      changed = changed || a.value !== DATA_TYPE_CODE[dtype];
    } else {
      attributes[key] = a;
    }
  }
  return changed ? { ...node, attributes } : node;
}

function isFloat(d: string): d is FloatDType {
  return d === 'float32' || d === 'float64';
}

function castTensor(t: Tensor, dtype: FloatDType): Tensor {
  if (!isFloat(t.dtype) || t.dtype === dtype) return t;
  const data =
    dtype === 'float64'
      ? Float64Array.from(t.data as Float32Array)
      : Float32Array.from(t.data as Float64Array);
  return { dtype, shape: t.shape, data } as Tensor;
}

import { BiaslabError } from '@biaslab/core';
import type { AttributeValue, Graph, GraphNode, Initializer } from '@biaslab/core';
import { floatAttr } from '../infer/attributes';
import type { ValueType } from '../infer';
import { consumers, freshName, nodeLabel, valueNames } from './graph-edit';

/** Which behaviour Dropout and BatchNormalization get. */
export type LayerMode = 'eval' | 'train';

/**
 * Rewrites Dropout and BatchNormalization for an explicit mode, whatever mode the file was exported in:
 * - `eval`: Dropout is the identity; BatchNormalization normalises with its running statistics
 *   (`training_mode` = 0), which stay constants.
 * - `train`: BatchNormalization normalises with the statistics of the batch it sees (biased variance, as
 *   PyTorch's forward pass): y = (x − μ_B)/√(σ²_B + ε)·γ + β, written with ReduceMean, Sub, Mul, Sqrt and
 *   Reciprocal so every op has a derivative rule; the running statistics are not updated (they do not enter
 *   the loss). A Dropout with a ratio above 0 is refused: its random mask would make the full-batch loss and
 *   its Hessian ill-defined.
 * `typeOf` gives the inferred type of a value (BatchNormalization's input, in `train` mode).
 */
export function applyMode(graph: Graph, mode: LayerMode, typeOf: (value: string) => ValueType): Graph {
  const used = consumers(graph);
  const outputs = new Set(graph.outputs.map((o) => o.name));
  const isUsed = (value: string | undefined) => !!value && (used.has(value) || outputs.has(value));
  const taken = valueNames(graph);
  const initializers: Initializer[] = [...graph.initializers];
  const nodes: GraphNode[] = [];
  graph.nodes.forEach((node, index) => {
    const where = `node \`${nodeLabel(node, index)}\` (${node.op}, opset ${graph.opset})`;
    if (node.op === 'Dropout' && !node.domain) {
      if (isUsed(node.outputs[1])) {
        throw new BiaslabError(
          'NO_RULE',
          `The dropout mask (output \`${node.outputs[1]}\`) of ${where} is used by the model; biaslab treats Dropout as the identity and has no mask. Export without using the mask.`,
          { op: node.op, node: node.name, opset: graph.opset },
        );
      }
      if (mode === 'train') {
        const ratio = dropoutRatio(node, graph);
        if (ratio === undefined || ratio > 0) {
          throw new BiaslabError(
            'NO_RULE',
            `${capital(where)} has ratio \`${ratio ?? 'unknown'}\` and \`mode\` is \`train\`: a random dropout mask makes the full-batch loss, gradient and Hessian ill-defined. Use \`mode: 'eval'\` (Dropout as the identity) or export with ratio 0.`,
            { op: node.op, node: node.name, opset: graph.opset },
          );
        }
      }
      nodes.push({
        op: 'Identity',
        name: node.name,
        inputs: [node.inputs[0]],
        outputs: [node.outputs[0]],
        attributes: {},
      });
      return;
    }
    if (node.op === 'BatchNormalization' && !node.domain) {
      const extra = node.outputs.slice(1).find(isUsed);
      if (extra) {
        throw new BiaslabError(
          'NO_RULE',
          `${capital(where)} exposes running statistics (output \`${extra}\`) that the model uses; biaslab keeps running statistics constant. Export the model without reading them.`,
          { op: node.op, node: node.name, opset: graph.opset },
        );
      }
      if (mode === 'eval') {
        const attributes: Record<string, AttributeValue> = { ...node.attributes };
        if (graph.opset >= 14) attributes.training_mode = { type: 'int', value: 0 };
        nodes.push({ ...node, outputs: [node.outputs[0]], attributes });
      } else {
        nodes.push(...batchStatistics(node, typeOf(node.inputs[0]), graph.opset, taken, initializers, where));
      }
      return;
    }
    nodes.push(node);
  });
  return { ...graph, nodes, initializers };
}

/** y = (x − μ_B)·(σ²_B + ε)^(−½)·γ + β over every axis but the channel axis 1. */
function batchStatistics(
  node: GraphNode,
  type: ValueType,
  opset: number,
  taken: Set<string>,
  initializers: Initializer[],
  where: string,
): GraphNode[] {
  const rank = type.shape.length;
  if (rank < 2)
    throw new BiaslabError(
      'SHAPE',
      `${capital(where)} needs an input of rank ≥ 2 ([N, C, …]), received rank ${rank}`,
    );
  const [x, scale, bias] = node.inputs;
  const base = node.name || node.outputs[0];
  const out: GraphNode[] = [];
  const value = (stem: string) => freshName(`${base}/batch_stats/${stem}`, taken);
  const emit = (
    op: string,
    inputs: string[],
    stem: string,
    attributes: Record<string, AttributeValue> = {},
    output?: string,
  ) => {
    const o = output ?? value(stem);
    out.push({
      op,
      name: freshName(`${base}/batch_stats/${stem}_node`, taken),
      inputs,
      outputs: [o],
      attributes,
    });
    return o;
  };
  const constant = (stem: string, tensor: Omit<Initializer, 'name'>) => {
    const name = value(stem);
    initializers.push({ ...tensor, name } as Initializer);
    return name;
  };
  const axes = [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
  const mean = (v: string, stem: string) =>
    opset >= 18
      ? emit(
          'ReduceMean',
          [
            v,
            constant(`${stem}_axes`, {
              dtype: 'int64',
              shape: [axes.length],
              data: BigInt64Array.from(axes.map(BigInt)),
            }),
          ],
          stem,
          { keepdims: { type: 'int', value: 1 } },
        )
      : emit('ReduceMean', [v], stem, {
          axes: { type: 'ints', value: axes },
          keepdims: { type: 'int', value: 1 },
        });
  const eps = floatAttr(node.attributes, 'epsilon', 1e-5);
  const perChannel = [1, -1, ...Array.from({ length: rank - 2 }, () => 1)];
  const channelShape = constant('channel_shape', {
    dtype: 'int64',
    shape: [rank],
    data: BigInt64Array.from(perChannel.map(BigInt)),
  });
  const mu = mean(x, 'mean');
  const xc = emit('Sub', [x, mu], 'centered');
  const variance = mean(emit('Mul', [xc, xc], 'squared'), 'variance');
  const epsilon = constant(
    'epsilon',
    type.dtype === 'float64'
      ? { dtype: 'float64', shape: [], data: Float64Array.of(eps) }
      : { dtype: 'float32', shape: [], data: Float32Array.of(eps) },
  );
  const inv = emit(
    'Reciprocal',
    [emit('Sqrt', [emit('Add', [variance, epsilon], 'var_eps')], 'std')],
    'inv_std',
  );
  const gamma = emit('Reshape', [scale, channelShape], 'gamma');
  const beta = emit('Reshape', [bias, channelShape], 'beta');
  emit(
    'Add',
    [emit('Mul', [emit('Mul', [xc, inv], 'normalized'), gamma], 'scaled'), beta],
    'y',
    {},
    node.outputs[0],
  );
  return out;
}

function dropoutRatio(node: GraphNode, graph: Graph): number | undefined {
  if (graph.opset < 12) return floatAttr(node.attributes, 'ratio', 0.5);
  const name = node.inputs[1];
  if (!name) return 0.5;
  const t = graph.initializers.find((i) => i.name === name);
  if (t && t.data.length === 1) return Number(t.data[0]);
  const c = graph.nodes.find((n) => n.op === 'Constant' && n.outputs[0] === name)?.attributes.value;
  return c?.type === 'tensor' && c.value.data.length === 1 ? Number(c.value.data[0]) : undefined;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

import type { Graph, GraphNode, Initializer } from '@biaslab/core';
import { inferTypes } from '../infer';
import type { ShapeRuleSet, ValueType } from '../infer';
import { pruneDead } from './graph-edit';

/** What folding did. */
export interface FoldResult {
  readonly graph: Graph;
  /** Nodes replaced by constants. */
  readonly folded: number;
  /** Reshape targets that depended on the batch size, rewritten with −1 in the batch position. */
  readonly batchReshapes: number;
}

/** The graph with the first dimension of `dataInput` set to `n`. */
export function withBatch(graph: Graph, dataInput: string, n: number): Graph {
  return {
    ...graph,
    inputs: graph.inputs.map((i) => (i.name === dataInput ? { ...i, shape: [n, ...i.shape.slice(1)] } : i)),
  };
}

/**
 * Folds shape-computing subgraphs (Shape → Gather → Unsqueeze → Concat → Cast → … chains, and any other node
 * whose integer outputs `inferTypes` with the op set `ops` knows before running) into constants. The graph is inferred at each batch
 * size in `probes`: a value that is the same at every probe does not depend on the batch and becomes an
 * initializer; a value that differs does. A Reshape whose target depends on the batch only through one
 * position gets a constant target with −1 there, so the folded graph runs at any batch size; other
 * batch-dependent chains stay (the runtime resolves them once it fixes n). Dead nodes are pruned.
 * With a single probe, the batch is fixed and everything known is folded.
 */
export function foldShapes(
  graph: Graph,
  dataInput: string,
  probes: readonly number[],
  ops: ShapeRuleSet,
): FoldResult {
  const envs = probes.map((n) => inferTypes(withBatch(graph, dataInput, n), ops));
  const constant = (name: string): ValueType | undefined => {
    const types = envs.map((env) => env.get(name));
    const first = types[0];
    if (!first?.value || (first.dtype !== 'int64' && first.dtype !== 'int32' && first.dtype !== 'bool'))
      return undefined;
    return types.every((t) => t?.value && sameArray(t.value, first.value!) && sameArray(t.shape, first.shape))
      ? first
      : undefined;
  };
  const folded: Initializer[] = [];
  const nodes: GraphNode[] = [];
  const known = new Set(graph.initializers.map((t) => t.name));
  for (const node of graph.nodes) {
    const outs = node.outputs.filter(Boolean);
    const types = outs.map(constant);
    if (outs.length > 0 && types.every(Boolean)) {
      outs.forEach((name, i) => {
        folded.push(intTensor(name, types[i]!));
        known.add(name);
      });
      continue;
    }
    nodes.push(node);
  }
  let batchReshapes = 0;
  const rewritten = nodes.map((node) => {
    if (node.op !== 'Reshape' || probes.length < 2 || !node.inputs[1] || known.has(node.inputs[1]))
      return node;
    const shapes = envs.map((env) => env.get(node.outputs[0])?.shape);
    if (shapes.some((s) => !s)) return node;
    const first = shapes[0]!;
    const varying = first.map((_, i) => i).filter((i) => shapes.some((s) => s![i] !== first[i]));
    if (varying.length !== 1 || first.some((d) => d === 0)) return node;
    const target = first.map((d, i) => (i === varying[0] ? -1 : d));
    const name = `${node.outputs[0]}/folded_shape`;
    folded.push({
      name,
      dtype: 'int64',
      shape: [target.length],
      data: BigInt64Array.from(target.map(BigInt)),
    });
    batchReshapes++;
    return { ...node, inputs: [node.inputs[0], name, ...node.inputs.slice(2)] };
  });
  const data = graph.inputs.find((i) => i.name === dataInput);
  const pruned = pruneDead(
    { ...graph, nodes: rewritten, initializers: [...graph.initializers, ...folded] },
    new Set(data ? [data.name] : []),
  );
  return { graph: pruned, folded: graph.nodes.length - nodes.length, batchReshapes };
}

function intTensor(name: string, t: ValueType): Initializer {
  const v = t.value!;
  if (t.dtype === 'int64')
    return { name, dtype: 'int64', shape: [...t.shape], data: BigInt64Array.from(v.map(BigInt)) };
  if (t.dtype === 'int32') return { name, dtype: 'int32', shape: [...t.shape], data: Int32Array.from(v) };
  return { name, dtype: 'bool', shape: [...t.shape], data: Uint8Array.from(v) };
}

function sameArray(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

import type { Graph, GraphNode } from '@biaslab/core';
import { OPS, pruneGraph } from '@biaslab/autodiff';
import { inferTypes } from '@biaslab/onnx';

/**
 * Folds `Add(c, Gemm(A, B))` into `Gemm(A, B, c)` (Y = α·op(A)·op(B) + β·C with β = 1), and `c = Expand(r)`
 * into `r` when r itself broadcasts to the product: derived graphs sum many products with bias tangents and
 * other products (Hv = Σ terms), and each such Add is a full extra pass over an [n, width] array that
 * onnxruntime does not fuse. Only Gemms without C whose output feeds nothing but that Add are folded, and
 * only when c is unidirectionally broadcastable to the product ([], [N], [1, N], [M, 1] or [M, N]); the
 * result is the same sum, rounded once less. Every other node is kept in order.
 */
export function fuseGemmAdd(graph: Graph): Graph {
  const types = inferTypes(graph, OPS);
  const producer = new Map<string, GraphNode>();
  const uses = new Map<string, number>();
  for (const n of graph.nodes) {
    for (const o of n.outputs) producer.set(o, n);
    for (const i of n.inputs) if (i) uses.set(i, (uses.get(i) ?? 0) + 1);
  }
  for (const o of graph.outputs) uses.set(o.name, (uses.get(o.name) ?? 0) + 1);
  const replaced = new Map<GraphNode, GraphNode | null>();
  const broadcastsTo = (shape: readonly number[], [m, n]: readonly number[]) =>
    shape.length === 0 ||
    (shape.length === 1 && (shape[0] === n || shape[0] === 1)) ||
    (shape.length === 2 && (shape[0] === m || shape[0] === 1) && (shape[1] === n || shape[1] === 1));

  for (const add of graph.nodes) {
    if (add.op !== 'Add' || add.domain) continue;
    for (const k of [0, 1]) {
      const gemm = producer.get(add.inputs[k]);
      if (!gemm || gemm.op !== 'Gemm' || gemm.domain || (gemm.inputs[2] ?? '') !== '') continue;
      if (replaced.has(gemm) || uses.get(gemm.outputs[0]) !== 1) continue;
      const beta = gemm.attributes.beta;
      if (beta && beta.value !== 1) continue;
      const out = types.get(add.outputs[0])?.shape;
      const product = types.get(gemm.outputs[0])?.shape;
      let c = add.inputs[1 - k];
      const cShape = types.get(c)?.shape;
      if (!out || !product || !cShape || out.length !== 2 || out[0] !== product[0] || out[1] !== product[1])
        continue;
      if (!broadcastsTo(cShape, product)) continue;
      const expand = producer.get(c);
      if (expand && expand.op === 'Expand' && !expand.domain) {
        const inner = types.get(expand.inputs[0])?.shape;
        if (inner && broadcastsTo(inner, product)) c = expand.inputs[0];
      }
      replaced.set(gemm, null);
      replaced.set(add, {
        ...gemm,
        name: `${add.name}/gemm_add`,
        inputs: [gemm.inputs[0], gemm.inputs[1], c],
        outputs: [add.outputs[0]],
      });
      break;
    }
  }
  if (replaced.size === 0) return graph;
  const nodes: GraphNode[] = [];
  for (const n of graph.nodes) {
    const r = replaced.get(n);
    if (r === undefined) nodes.push(n);
    else if (r) nodes.push(r);
  }
  // Expands folded away are left without readers
  return pruneGraph({ ...graph, nodes });
}

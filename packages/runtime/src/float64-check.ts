import { BiaslabError } from '@biaslab/core';
import type { Graph, GraphNode } from '@biaslab/core';
import { FLOAT64_BLOCKERS } from '@biaslab/autodiff';

/**
 * Ops in `FLOAT64_BLOCKERS` that do have a float64 kernel under some condition (an opset range, an
 * attribute value); outside it, or for any other listed op, onnxruntime has no float64 kernel.
 */
const RUNS_IN_FLOAT64: Readonly<Record<string, (node: GraphNode, opset: number) => boolean>> = {
  Softplus: (_, opset) => opset === 18,
  Elu: (_, opset) => opset === 18,
  LeakyRelu: (_, opset) => opset >= 16 && opset <= 18,
  Clip: (_, opset) => opset >= 11,
  Gelu: (node) => {
    const a = node.attributes.approximate;
    return a?.type === 'string' && a.value === 'tanh';
  },
};

/** The nodes of `graph` that onnxruntime cannot run in float64, with the reason from `FLOAT64_BLOCKERS`. */
export function float64BlockedNodes(graph: Graph): { node: GraphNode; reason: string }[] {
  const blocked: { node: GraphNode; reason: string }[] = [];
  for (const node of graph.nodes) {
    if (node.domain && node.domain !== 'ai.onnx') continue;
    const reason = FLOAT64_BLOCKERS[node.op];
    if (reason === undefined) continue;
    if (RUNS_IN_FLOAT64[node.op]?.(node, graph.opset)) continue;
    blocked.push({ node, reason });
  }
  return blocked;
}

/**
 * Throws `DTYPE` naming the first op of `graph` without a float64 kernel in onnxruntime-node, its node and
 * the way out, before onnxruntime is asked to compile the graph (where the failure would be an opaque
 * "could not find an implementation"). `what` says which graph it is (the model, its gradient, …).
 */
export function assertFloat64Runnable(graph: Graph, what: string): void {
  const blocked = float64BlockedNodes(graph);
  if (blocked.length === 0) return;
  const { node, reason } = blocked[0];
  const others = [...new Set(blocked.slice(1).map((b) => b.node.op))].filter((op) => op !== node.op);
  throw new BiaslabError(
    'DTYPE',
    `Op \`${node.op}\` at node \`${node.name}\` of ${what} (opset ${graph.opset}) has no float64 kernel in onnxruntime: ${reason}. ` +
      `${others.length ? `Also blocked: ${others.map((o) => `\`${o}\``).join(', ')}. ` : ''}` +
      `Create the objective with \`dtype: 'float32'\`, or rewrite the op as the reason suggests.`,
    { op: node.op, node: node.name, opset: graph.opset, blocked: blocked.map((b) => b.node.name) },
  );
}

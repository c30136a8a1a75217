import { BiaslabError } from '@biaslab/core';
import type { Graph, GraphNode } from '@biaslab/core';
import { missingFloat64Kernel } from '@biaslab/autodiff';

/**
 * The nodes of `graph` that onnxruntime cannot run in float64 at the graph's opset, with the reason, as the
 * ops' definitions in @biaslab/autodiff state it (`float64` support: the opset and attribute conditions under
 * which onnxruntime has a float64 kernel).
 */
export function float64BlockedNodes(graph: Graph): { node: GraphNode; reason: string }[] {
  return graph.nodes.flatMap((node) => {
    const reason = missingFloat64Kernel(node, graph.opset);
    return reason === undefined ? [] : [{ node, reason }];
  });
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

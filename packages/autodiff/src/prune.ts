import type { Graph } from '@biaslab/core';

/**
 * Drops nodes whose outputs reach no graph output, and initializers nothing uses. Inputs are kept (a
 * derived graph keeps the inputs of the graph it came from).
 */
export function pruneGraph(graph: Graph): Graph {
  const needed = new Set(graph.outputs.map((o) => o.name));
  const kept: boolean[] = new Array(graph.nodes.length).fill(false);
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i];
    if (!n.outputs.some((o) => needed.has(o))) continue;
    kept[i] = true;
    for (const v of n.inputs) if (v) needed.add(v);
  }
  return {
    ...graph,
    nodes: graph.nodes.filter((_, i) => kept[i]),
    initializers: graph.initializers.filter((t) => needed.has(t.name)),
  };
}

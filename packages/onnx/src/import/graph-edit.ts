import type { Graph, GraphNode } from '@biaslab/core';

/** Every value name of a graph: inputs, initializers and node outputs. */
export function valueNames(graph: Graph): Set<string> {
  const names = new Set<string>();
  for (const i of graph.inputs) names.add(i.name);
  for (const t of graph.initializers) names.add(t.name);
  for (const n of graph.nodes) for (const o of n.outputs) if (o) names.add(o);
  return names;
}

/** A name not in `taken`, derived from `base` (and added to `taken`). */
export function freshName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/** Renames values everywhere they occur (inputs, outputs, initializers, node inputs and outputs). */
export function renameValues(graph: Graph, mapping: ReadonlyMap<string, string>): Graph {
  if (mapping.size === 0) return graph;
  const r = (name: string) => mapping.get(name) ?? name;
  return {
    ...graph,
    inputs: graph.inputs.map((i) => ({ ...i, name: r(i.name) })),
    outputs: graph.outputs.map((o) => ({ ...o, name: r(o.name) })),
    initializers: graph.initializers.map((t) => ({ ...t, name: r(t.name) })),
    nodes: graph.nodes.map((n) => ({
      ...n,
      inputs: n.inputs.map((i) => (i ? r(i) : i)),
      outputs: n.outputs.map(r),
    })),
  };
}

/**
 * Removes nodes whose outputs no graph output depends on, and initializers and (non-kept) inputs nothing reads.
 * `keepInputs` names graph inputs that stay even when unused (the data input).
 */
export function pruneDead(graph: Graph, keepInputs: ReadonlySet<string> = new Set()): Graph {
  const live = new Set(graph.outputs.map((o) => o.name));
  const kept: GraphNode[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i];
    if (!node.outputs.some((o) => o && live.has(o))) continue;
    kept.push(node);
    for (const input of node.inputs) if (input) live.add(input);
  }
  kept.reverse();
  return {
    ...graph,
    nodes: kept,
    initializers: graph.initializers.filter((t) => live.has(t.name)),
    inputs: graph.inputs.filter((i) => live.has(i.name) || keepInputs.has(i.name)),
  };
}

/** Names of the nodes' consumers: value → nodes that read it. */
export function consumers(graph: Graph): Map<string, GraphNode[]> {
  const map = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    for (const input of node.inputs) {
      if (!input) continue;
      const list = map.get(input) ?? [];
      list.push(node);
      map.set(input, list);
    }
  }
  return map;
}

/** A node's label for messages: its name, or its index and op when the file left it unnamed. */
export function nodeLabel(node: GraphNode, index: number): string {
  return node.name || `#${index} (${node.op})`;
}

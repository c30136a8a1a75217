import type { Graph, GraphNode } from '@biaslab/core';
import { GraphBuilder, inferTypes, isDefaultDomain } from '@biaslab/onnx';
import { Emitter } from './emitter';
import type { Float64Emit } from './op-definition';
import { OPS } from './op-registry';

/** The float64 lowering of a node (from its op's definition), or undefined when it is kept as it is. */
function loweringFor(node: GraphNode): Float64Emit | undefined {
  const lowering = OPS.get(node.op, node.domain)?.float64?.lowering;
  return lowering && (lowering.applies?.(node) ?? true) ? lowering.emit : undefined;
}

/**
 * Why onnxruntime-node has no float64 kernel for `node` at `opset` (its op definition's `float64.reason`), or
 * undefined when it has one (ops without `float64` support, and nodes that meet its `kernel` condition).
 */
export function missingFloat64Kernel(node: GraphNode, opset: number): string | undefined {
  const support = OPS.get(node.op, node.domain)?.float64;
  if (!support || support.kernel?.(node, opset)) return undefined;
  return support.reason;
}

/**
 * Rewrites the ops onnxruntime-node has no float64 kernel for into ops that have one: Conv → im2col (Pad,
 * strided Slices, Concat, Reshape) + MatMul; AveragePool → Pad + sum of taps × reciprocal window sizes
 * (count_include_pad and ceil_mode honoured); GlobalAveragePool → ReduceMean; Softplus, Elu, LeakyRelu and
 * tanh-Gelu → Exp/Log/Where/Tanh forms. The rewrite is exact math (only rounding differs) and uses only ops
 * with VJP rules, so gradients and Hessian-vector products of the lowered graph are exact in float64. Every
 * value name of `graph` is kept (each replaced node's output is produced under its old name); other nodes are
 * untouched. Erf, exact Gelu and anything `float64Blockers` lists still block float64.
 */
export function lowerForFloat64(graph: Graph): Graph {
  if (!graph.nodes.some((n) => loweringFor(n))) return graph;
  const types = inferTypes(graph, OPS);
  const b = GraphBuilder.from(graph);
  const e = new Emitter(b, types, graph.nodes);
  const nodes: GraphNode[] = [];
  for (const node of graph.nodes) {
    const lower = loweringFor(node);
    if (!lower) {
      nodes.push(node);
      continue;
    }
    const start = e.emitted.length;
    const out = b.scope(`${node.name}/f64`, () => lower(e, node));
    const added = e.emitted.slice(start);
    const target = node.outputs[0];
    const last = added[added.length - 1];
    if (last && last.outputs[0] === out) added[added.length - 1] = { ...last, outputs: [target] };
    else
      added.push({
        op: 'Identity',
        name: b.fresh(`${node.name}/f64/identity`),
        inputs: [out],
        outputs: [target],
        attributes: {},
      });
    nodes.push(...added);
  }
  for (const o of graph.outputs) b.addOutput(o.name, o.dtype, o.shape);
  return { ...graph, initializers: b.build().initializers, nodes };
}

/** A node that keeps a graph from running in float64, with the reason and the way out. */
export interface Float64Blocker {
  readonly op: string;
  readonly node: string;
  readonly reason: string;
}

/**
 * The nodes of `graph` that still block float64 after `lowerForFloat64` (onnxruntime-node 1.30 has no
 * float64 kernel for them at the graph's opset): Erf, exact Gelu, ConvTranspose, OneHot, Clip-6, … Empty when
 * the lowered graph runs in float64. The runtime reports "op X at node Y blocks float64; use float32".
 */
export function float64Blockers(graph: Graph): Float64Blocker[] {
  const out: Float64Blocker[] = [];
  for (const node of graph.nodes) {
    if (!isDefaultDomain(node.domain) || loweringFor(node)) continue;
    const reason = missingFloat64Kernel(node, graph.opset);
    if (reason) out.push({ op: node.op, node: node.name, reason });
  }
  return out;
}

import { sizeOf } from '@biaslab/core';
import type { Graph, GraphNode } from '@biaslab/core';
import { GraphBuilder, attr, floatAttr, inferTypes, intAttr } from '@biaslab/onnx';
import { Emitter } from './emitter';
import { FLOAT64_BLOCKERS } from './rule-table';
import {
  averageDivisors,
  constantLike,
  convGroup,
  exactPads,
  kernelTaps,
  padSpatial,
  poolKernel,
  readTap,
  windowOf,
} from './window';

/** Rewrites one node into ops with float64 kernels; returns the value that replaces output 0. */
type Lowering = (e: Emitter, node: GraphNode) => string;

/** GELU's tanh approximation constant (Hendrycks & Gimpel 2016). */
const C3 = 0.044715;

/**
 * Conv as im2col + MatMul: the input padded exactly (`exactPads`), each kernel tap read by a strided Slice,
 * the taps stacked to patches P [N, G, C/G·K, L] (L output positions), and Y = W [G, M/G, C/G·K] · P.
 */
function lowerConv(e: Emitter, node: GraphNode): string {
  const [x, w, b] = node.inputs;
  const [n, , ...spatial] = e.type(x).shape;
  const [m, cg, ...kernel] = e.type(w).shape;
  const geo = windowOf(node, e.type(x).shape, kernel);
  const group = convGroup(node);
  const { begin, end } = exactPads(geo, spatial);
  const xpad = padSpatial(e, x, begin, end);
  const taps = kernelTaps(kernel);
  const l = sizeOf(geo.out);
  const cols = taps.map((k) => e.reshape(readTap(e, xpad, geo, k), [n, group, cg, 1, l]));
  const stacked = cols.length === 1 ? cols[0] : e.op('Concat', cols, { axis: attr.int(3) });
  const patches = e.reshape(stacked, [n, group, cg * taps.length, l]);
  const wm = e.reshape(w, [group, m / group, cg * taps.length]);
  const y = e.reshape(e.op('MatMul', [wm, patches]), [n, m, ...geo.out]);
  return b ? e.op('Add', [y, e.reshape(b, [1, m, ...geo.out.map(() => 1)])]) : y;
}

/** AveragePool as the sum of its taps over the zero-padded input times the reciprocal window sizes. */
function lowerAveragePool(e: Emitter, node: GraphNode): string {
  const [x] = node.inputs;
  const spatial = e.type(x).shape.slice(2);
  const geo = windowOf(node, e.type(x).shape, poolKernel(node));
  const { begin, end } = exactPads(geo, spatial);
  const xpad = padSpatial(e, x, begin, end);
  const sum = kernelTaps(geo.kernel)
    .map((k) => readTap(e, xpad, geo, k))
    .reduce((s, t) => e.op('Add', [s, t]));
  const div = averageDivisors(geo, spatial, intAttr(node.attributes, 'count_include_pad', 0) === 1);
  const scale = typeof div === 'number' ? e.scalarLike(div, x) : constantLike(e, x, div.shape, div.values);
  return e.op('Mul', [sum, scale]);
}

/** GlobalAveragePool as ReduceMean over the spatial axes, keeping them. */
function lowerGlobalAveragePool(e: Emitter, node: GraphNode): string {
  const [x] = node.inputs;
  const axes = e
    .type(x)
    .shape.slice(2)
    .map((_, i) => i + 2);
  const keep = { keepdims: attr.int(1) };
  if (e.opset >= 18) return e.op('ReduceMean', [x, e.int64s(axes)], keep);
  return e.op('ReduceMean', [x], { ...keep, axes: attr.ints(axes) });
}

/**
 * Softplus as m + log(e^(−m) + e^(x−m)) with m = Relu(x): both exponentials are ≤ 1 (no overflow), and the
 * derivatives are exact for any m, so the kink of Relu at 0 leaves no trace (f′ = σ(x), f″ = σ′(x)).
 */
function lowerSoftplus(e: Emitter, node: GraphNode): string {
  const [x] = node.inputs;
  const m = e.op('Relu', [x]);
  const s = e.op('Add', [e.op('Exp', [e.op('Neg', [m])]), e.op('Exp', [e.op('Sub', [x, m])])]);
  return e.op('Add', [m, e.op('Log', [s])]);
}

/** Elu as Where(x > 0, x, α(e^min(x,0) − 1)); the clamp keeps the unused branch finite (no NaN cotangents). */
function lowerElu(e: Emitter, node: GraphNode): string {
  const [x] = node.inputs;
  const alpha = floatAttr(node.attributes, 'alpha', 1);
  const positive = e.op('Greater', [x, e.scalarLike(0, x)]);
  const clamped = e.op('Where', [positive, e.scalarLike(0, x), x]);
  const neg = e.op('Mul', [
    e.op('Sub', [e.op('Exp', [clamped]), e.scalarLike(1, x)]),
    e.scalarLike(alpha, x),
  ]);
  return e.op('Where', [positive, x, neg]);
}

/** LeakyRelu as Where(x > 0, x, α·x). */
function lowerLeakyRelu(e: Emitter, node: GraphNode): string {
  const [x] = node.inputs;
  const alpha = floatAttr(node.attributes, 'alpha', 0.01);
  return e.op('Where', [
    e.op('Greater', [x, e.scalarLike(0, x)]),
    x,
    e.op('Mul', [x, e.scalarLike(alpha, x)]),
  ]);
}

/** Gelu with approximate="tanh" as ½x(1 + tanh(√(2/π)(x + 0.044715x³))); exact Gelu needs Erf and is kept. */
function lowerGeluTanh(e: Emitter, node: GraphNode): string {
  const [x] = node.inputs;
  const c = (v: number) => e.scalarLike(v, x);
  const x3 = e.op('Mul', [e.op('Mul', [x, x]), x]);
  const u = e.op('Mul', [e.op('Add', [x, e.op('Mul', [x3, c(C3)])]), c(Math.sqrt(2 / Math.PI))]);
  return e.op('Mul', [e.op('Mul', [x, c(0.5)]), e.op('Add', [c(1), e.op('Tanh', [u])])]);
}

const LOWERINGS: Readonly<Record<string, Lowering>> = {
  Conv: lowerConv,
  AveragePool: lowerAveragePool,
  GlobalAveragePool: lowerGlobalAveragePool,
  Softplus: lowerSoftplus,
  Elu: lowerElu,
  LeakyRelu: lowerLeakyRelu,
  Gelu: lowerGeluTanh,
};

/** The lowering for a node, or undefined when it is kept as it is. */
function loweringFor(node: GraphNode): Lowering | undefined {
  if (node.domain && node.domain !== 'ai.onnx') return undefined;
  if (node.op === 'Gelu') {
    const a = node.attributes.approximate;
    return a?.type === 'string' && a.value === 'tanh' ? lowerGeluTanh : undefined;
  }
  return LOWERINGS[node.op];
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
  const types = inferTypes(graph);
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
    if (loweringFor(node) || (node.domain && node.domain !== 'ai.onnx')) continue;
    const reason = FLOAT64_BLOCKERS[node.op];
    if (!reason || (node.op === 'Clip' && graph.opset >= 11)) continue;
    out.push({ op: node.op, node: node.name, reason });
  }
  return out;
}

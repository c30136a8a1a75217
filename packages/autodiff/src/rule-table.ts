import { BiaslabError } from '@biaslab/core';
import type { GraphNode } from '@biaslab/core';
import type { VjpRule } from './rule';
import { Abs } from './rules/Abs';
import { AveragePool } from './rules/AveragePool';
import { Add } from './rules/Add';
import { BatchNormalization } from './rules/BatchNormalization';
import { Cast } from './rules/Cast';
import { Clip, ClipV6 } from './rules/Clip';
import { Concat } from './rules/Concat';
import { Constant } from './rules/Constant';
import { Conv } from './rules/Conv';
import { Div } from './rules/Div';
import { Dropout } from './rules/Dropout';
import { Einsum } from './rules/Einsum';
import { Elu } from './rules/Elu';
import { Equal } from './rules/Equal';
import { Erf } from './rules/Erf';
import { Exp } from './rules/Exp';
import { Expand } from './rules/Expand';
import { Flatten } from './rules/Flatten';
import { Gather } from './rules/Gather';
import { Gelu } from './rules/Gelu';
import { Gemm } from './rules/Gemm';
import { GlobalAveragePool } from './rules/GlobalAveragePool';
import { Greater } from './rules/Greater';
import { Identity } from './rules/Identity';
import { LayerNormalization } from './rules/LayerNormalization';
import { LeakyRelu } from './rules/LeakyRelu';
import { Less } from './rules/Less';
import { Log } from './rules/Log';
import { LogSoftmax } from './rules/LogSoftmax';
import { MatMul } from './rules/MatMul';
import { Max } from './rules/Max';
import { MaxPool } from './rules/MaxPool';
import { Min } from './rules/Min';
import { Mul } from './rules/Mul';
import { Neg } from './rules/Neg';
import { Pad } from './rules/Pad';
import { Pow } from './rules/Pow';
import { Reciprocal } from './rules/Reciprocal';
import { ReduceMax, ReduceMaxV1 } from './rules/ReduceMax';
import { ReduceMean, ReduceMeanV1 } from './rules/ReduceMean';
import { ReduceMin, ReduceMinV1 } from './rules/ReduceMin';
import { ReduceSum, ReduceSumV1 } from './rules/ReduceSum';
import { Relu } from './rules/Relu';
import { Reshape } from './rules/Reshape';
import { Shape } from './rules/Shape';
import { Sigmoid } from './rules/Sigmoid';
import { Sign } from './rules/Sign';
import { Slice } from './rules/Slice';
import { Softmax } from './rules/Softmax';
import { Softplus } from './rules/Softplus';
import { Split, SplitV11, SplitV13 } from './rules/Split';
import { Sqrt } from './rules/Sqrt';
import { Squeeze, SqueezeV1 } from './rules/Squeeze';
import { Sub } from './rules/Sub';
import { Tanh } from './rules/Tanh';
import { Transpose } from './rules/Transpose';
import { Unsqueeze, UnsqueezeV1 } from './rules/Unsqueeze';
import { Where } from './rules/Where';

/** Every VJP rule, one entry per op and opset range. */
export const VJP_RULES: readonly VjpRule[] = [
  Abs,
  Add,
  AveragePool,
  BatchNormalization,
  Cast,
  Clip,
  ClipV6,
  Concat,
  Constant,
  Conv,
  Div,
  Dropout,
  Einsum,
  Elu,
  Equal,
  Erf,
  Exp,
  Expand,
  Flatten,
  Gather,
  Gelu,
  Gemm,
  GlobalAveragePool,
  Greater,
  Identity,
  LayerNormalization,
  LeakyRelu,
  Less,
  Log,
  LogSoftmax,
  MatMul,
  Max,
  MaxPool,
  Min,
  Mul,
  Neg,
  Pad,
  Pow,
  Reciprocal,
  ReduceMax,
  ReduceMaxV1,
  ReduceMean,
  ReduceMeanV1,
  ReduceMin,
  ReduceMinV1,
  ReduceSum,
  ReduceSumV1,
  Relu,
  Reshape,
  Shape,
  Sigmoid,
  Sign,
  Slice,
  Softmax,
  Softplus,
  Split,
  SplitV11,
  SplitV13,
  Sqrt,
  Squeeze,
  SqueezeV1,
  Sub,
  Tanh,
  Transpose,
  Unsqueeze,
  UnsqueezeV1,
  Where,
];

/**
 * Ops for which onnxruntime-node 1.30 lacks a float64 CPU kernel at some or all opsets (measured: session
 * creation fails with "Could not find an implementation"), each with the opsets affected and what to do. A
 * float64 graph containing one fails to compile; the runtime uses this table to name the op that blocks
 * float64 and suggest float32 or the rewrite. (Where onnxruntime inlines an op's ONNX function body, as for
 * Elu/Softplus at opset 18 or LeakyRelu at 16–18, the float64 kernels of the body ops are used.)
 */
export const FLOAT64_BLOCKERS: Readonly<Record<string, string>> = {
  Conv: 'no float64 kernel at any opset; run in float32',
  ConvTranspose: 'no float64 kernel at any opset; run in float32',
  AveragePool: 'no float64 kernel at any opset; run in float32',
  GlobalAveragePool:
    'no float64 kernel; ReduceMean over the spatial axes (keepdims=1) is the float64 equivalent',
  Softplus: 'float64 only at opset 18; elsewhere write Log(1 + Exp(x)) or run in float32',
  Elu: 'float64 only at opset 18; elsewhere write Where(x > 0, x, α·(Exp(x) − 1)) or run in float32',
  LeakyRelu: 'float64 only at opsets 16–18; elsewhere write Where(x > 0, x, α·x) or run in float32',
  Erf: 'no float64 kernel at any opset; run in float32 or use the tanh form of GELU',
  Gelu: 'exact Gelu (approximate="none") runs through Erf, which has no float64 kernel; use approximate="tanh" or run in float32',
  Clip: 'Clip-6 (opsets 6–10, bounds as attributes) has no float64 kernel; from opset 11 it has',
  OneHot: 'no float64 kernel; Cast(Equal(indices, arange)) is the float64 equivalent',
};

/** True when `rule` covers `opset`. */
export function ruleCovers(rule: VjpRule, opset: number): boolean {
  return rule.since <= opset && (rule.until === undefined || opset <= rule.until);
}

/** The rule for `op` at `opset`, or undefined. */
export function findRule(op: string, opset: number, domain = ''): VjpRule | undefined {
  if (domain && domain !== 'ai.onnx') return undefined;
  return VJP_RULES.find((r) => r.op === op && ruleCovers(r, opset));
}

/** The ops that have a VJP rule (at `opset` when given), sorted. */
export function supportedOps(opset?: number): string[] {
  const ops = VJP_RULES.filter((r) => opset === undefined || ruleCovers(r, opset)).map((r) => r.op);
  return [...new Set(ops)].sort();
}

/** The rule for a node, or a `NO_RULE` error naming the op, opset and node and listing what is supported. */
export function ruleFor(node: GraphNode, opset: number): VjpRule {
  const rule = findRule(node.op, opset, node.domain);
  if (rule) return rule;
  const op = node.domain ? `${node.domain}.${node.op}` : node.op;
  const ranges = VJP_RULES.filter((r) => r.op === node.op).map((r) => `${r.since}–${r.until ?? '…'}`);
  const hint = ranges.length ? ` (rules exist for opsets ${ranges.join(', ')})` : '';
  throw new BiaslabError(
    'NO_RULE',
    `No VJP rule for \`${op}\` (opset ${opset}) at node \`${node.name}\`${hint}; supported ops: ${supportedOps(opset).join(', ')}. ` +
      'Rewrite the model with supported ops or add a rule under packages/autodiff/src/rules/.',
    { op: node.op, opset, node: node.name },
  );
}

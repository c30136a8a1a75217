import { BiaslabError } from '@biaslab/core';
import type { GraphNode } from '@biaslab/core';
import type { VjpRule } from './rule';
import { Abs } from './rules/Abs';
import { Add } from './rules/Add';
import { Cast } from './rules/Cast';
import { Constant } from './rules/Constant';
import { Div } from './rules/Div';
import { Equal } from './rules/Equal';
import { Exp } from './rules/Exp';
import { Expand } from './rules/Expand';
import { Flatten } from './rules/Flatten';
import { Gemm } from './rules/Gemm';
import { Greater } from './rules/Greater';
import { Identity } from './rules/Identity';
import { Less } from './rules/Less';
import { Log } from './rules/Log';
import { LogSoftmax } from './rules/LogSoftmax';
import { MatMul } from './rules/MatMul';
import { Mul } from './rules/Mul';
import { Neg } from './rules/Neg';
import { Pow } from './rules/Pow';
import { Reciprocal } from './rules/Reciprocal';
import { ReduceMean, ReduceMeanV1 } from './rules/ReduceMean';
import { ReduceSum, ReduceSumV1 } from './rules/ReduceSum';
import { Relu } from './rules/Relu';
import { Reshape } from './rules/Reshape';
import { Shape } from './rules/Shape';
import { Sigmoid } from './rules/Sigmoid';
import { Sign } from './rules/Sign';
import { Softmax } from './rules/Softmax';
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
  Cast,
  Constant,
  Div,
  Equal,
  Exp,
  Expand,
  Flatten,
  Gemm,
  Greater,
  Identity,
  Less,
  Log,
  LogSoftmax,
  MatMul,
  Mul,
  Neg,
  Pow,
  Reciprocal,
  ReduceMean,
  ReduceMeanV1,
  ReduceSum,
  ReduceSumV1,
  Relu,
  Reshape,
  Shape,
  Sigmoid,
  Sign,
  Softmax,
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

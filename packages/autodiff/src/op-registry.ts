import { BiaslabError } from '@biaslab/core';
import type { GraphNode } from '@biaslab/core';
import { isDefaultDomain } from '@biaslab/onnx';
import type { ShapeRule, ShapeRuleSet } from '@biaslab/onnx';
import type { OpDefinition } from './op-definition';
import type { VjpRule } from './rule';
import * as registered from './ops/index';

/**
 * The op set: every op definition biaslab has, looked up by op name. It is the `ShapeRuleSet` that shape
 * inference (`inferTypes` of @biaslab/onnx) and the ONNX importer take, and the one table the gradient and
 * HVP transforms, the float64 check and lowering, `supportedOps` and the conformance tests read.
 */
export interface OpSet extends ShapeRuleSet {
  /** Every definition, sorted by op name. */
  readonly definitions: readonly OpDefinition[];
  /** The definition of `op` in `domain` (default: the ONNX domain), or undefined. */
  get(op: string, domain?: string): OpDefinition | undefined;
}

/** An op set over `definitions` (one per op name; a duplicate is an `INTERNAL` error). */
export function opSet(definitions: readonly OpDefinition[]): OpSet {
  const byName = new Map<string, OpDefinition>();
  for (const d of definitions) {
    if (byName.has(d.op))
      throw new BiaslabError('INTERNAL', `Op \`${d.op}\` is defined twice; keep one definition per op`);
    byName.set(d.op, d);
  }
  const sorted = [...byName.values()].sort((a, b) => (a.op < b.op ? -1 : a.op > b.op ? 1 : 0));
  return {
    definitions: sorted,
    get: (op, domain) => (isDefaultDomain(domain) ? byName.get(op) : undefined),
    shapeRule: (op): ShapeRule | undefined => byName.get(op)?.shape,
  };
}

/** Every op biaslab knows: the definitions registered in `src/ops/index.ts`. */
export const OPS: OpSet = opSet(Object.values(registered));

/** Every VJP rule, one entry per op and opset range, in op-name order. */
export const VJP_RULES: readonly VjpRule[] = OPS.definitions.flatMap((d) => d.vjp);

/** True when `rule` covers `opset`. */
export function ruleCovers(rule: VjpRule, opset: number): boolean {
  return rule.since <= opset && (rule.until === undefined || opset <= rule.until);
}

/** The VJP rule for `op` at `opset`, or undefined. */
export function findRule(op: string, opset: number, domain = ''): VjpRule | undefined {
  return OPS.get(op, domain)?.vjp.find((r) => ruleCovers(r, opset));
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
      'Rewrite the model with supported ops or add a rule to its definition under packages/autodiff/src/ops/.',
    { op: node.op, opset, node: node.name },
  );
}

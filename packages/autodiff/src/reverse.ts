import { BiaslabError } from '@biaslab/core';
import type { GraphNode } from '@biaslab/core';
import type { Emitter } from './emitter';
import { sameShape } from './emitter';
import { ruleFor } from './op-registry';
import type { VjpContext, VjpRule } from './rule';
import { firstCotangent } from './rule';

const FLOAT = new Set(['float32', 'float64']);

/** The nodes a reverse pass visits, with their rules, chosen before anything is emitted. */
export interface ReversePlan {
  readonly nodes: readonly { node: GraphNode; rule: VjpRule }[];
  /** Float values that depend on some `wrt` and reach a target. */
  readonly active: ReadonlySet<string>;
}

/**
 * Finds the nodes on a path from `wrt` to the `targets` (the values that will be seeded with cotangents,
 * usually just the loss) and looks up their rules, so a missing rule is reported (`NO_RULE`) before any node
 * is built. Values are active when they are float, depend on a `wrt` and reach a target; bool and integer
 * values (comparisons, shapes, axes) never carry a cotangent.
 */
export function planReverse(
  nodes: readonly GraphNode[],
  e: Emitter,
  targets: readonly string[],
  wrt: readonly string[],
): ReversePlan {
  const isFloat = (v: string) => !!v && FLOAT.has(e.type(v).dtype);
  const depends = new Set(wrt.filter(isFloat));
  for (const n of nodes) {
    if (n.inputs.some((i) => depends.has(i))) for (const o of n.outputs) if (isFloat(o)) depends.add(o);
  }
  const reaches = new Set(targets);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i];
    if (n.outputs.some((o) => reaches.has(o))) for (const v of n.inputs) if (v) reaches.add(v);
  }
  const active = new Set([...depends].filter((v) => reaches.has(v)));
  const chosen = nodes
    .filter((n) => n.outputs.some((o) => active.has(o)))
    .map((node) => ({ node, rule: ruleFor(node, e.opset) }));
  return { nodes: chosen, active };
}

/**
 * Reverse-mode accumulation over a topologically ordered node list: starts from the `seeds` (value,
 * cotangent) — the loss with 1 for a gradient, or each gradient with its tangent for a Hessian-vector
 * product — walks the planned nodes backwards, asks each rule for the input cotangents that are needed,
 * reduces broadcast gradients to the input's shape and sums fan-in. Returns the cotangent of each `wrt`
 * value (undefined when no seed depends on it).
 */
export function reverseAccumulate(
  plan: ReversePlan,
  e: Emitter,
  seeds: readonly (readonly [string, string])[],
  wrt: readonly string[],
): Map<string, string | undefined> {
  const parts = new Map<string, string[]>();
  const consumed = new Set<string>();
  const add = (value: string, g: string) => {
    if (consumed.has(value)) {
      throw new BiaslabError(
        'SHAPE',
        `Graph nodes are not in topological order: \`${value}\` received a gradient after it was used; sort the nodes.`,
      );
    }
    parts.set(value, [...(parts.get(value) ?? []), g]);
  };
  const total = (value: string): string | undefined => {
    consumed.add(value);
    const list = parts.get(value);
    if (!list || list.length === 0) return undefined;
    // fan-in: a value used by several nodes gets the sum of their cotangents
    const sum = list.reduce((acc, g) => e.op('Add', [acc, g]));
    parts.set(value, [sum]);
    return sum;
  };
  for (const [value, cotangent] of seeds) if (plan.active.has(value)) add(value, cotangent);
  for (let i = plan.nodes.length - 1; i >= 0; i--) {
    const { node, rule } = plan.nodes[i];
    const cotangents = node.outputs.map((o) => (plan.active.has(o) ? total(o) : undefined));
    if (cotangents.every((c) => c === undefined)) continue;
    const ctx: VjpContext = {
      node,
      opset: e.opset,
      e,
      cotangents,
      get g() {
        return firstCotangent(node, cotangents);
      },
      type: (name) => e.type(name),
    };
    const grads = rule.vjp(ctx);
    node.inputs.forEach((input, k) => {
      const lazy = grads[k];
      if (!input || !plan.active.has(input) || !lazy) return;
      add(input, unbroadcast(e, lazy(), e.type(input).shape, node));
    });
  }
  return new Map(wrt.map((p) => [p, plan.active.has(p) ? total(p) : undefined]));
}

/** Sums a gradient over the axes its input was broadcast along, then reshapes it to the input's shape. */
export function unbroadcast(e: Emitter, g: string, shape: readonly number[], node: GraphNode): string {
  const gShape = e.type(g).shape;
  if (sameShape(gShape, shape)) return g;
  const lead = gShape.length - shape.length;
  if (lead < 0) return e.expand(g, shape);
  const axes: number[] = [];
  for (let i = 0; i < gShape.length; i++) {
    const d = i < lead ? undefined : shape[i - lead];
    if (d === undefined || (d === 1 && gShape[i] !== 1)) axes.push(i);
    else if (d !== gShape[i]) {
      throw new BiaslabError(
        'INTERNAL',
        `The rule for \`${node.op}\` at node \`${node.name}\` produced a gradient of shape [${gShape.join(', ')}] for an input of shape [${shape.join(', ')}]`,
      );
    }
  }
  return e.reshape(e.reduceSum(g, axes, true), shape);
}

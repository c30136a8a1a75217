import type { VjpRule } from '../rule';

/** y = ln(1 + eˣ)  ⇒  x̄ = ȳ·σ(x). */
export const Softplus: VjpRule = {
  op: 'Softplus',
  since: 1,
  samples: [{ label: 'matrix', inputs: [{ float: [3, 4], range: [0, 3], signed: true }] }],
  vjp: (ctx) => [() => ctx.e.op('Mul', [ctx.g, ctx.e.op('Sigmoid', [ctx.node.inputs[0]])])],
};

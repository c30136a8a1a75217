import type { VjpRule } from '../rule';

/** y = eˣ  ⇒  x̄ = ȳ·y. */
export const Exp: VjpRule = {
  op: 'Exp',
  since: 6,
  samples: [{ label: 'matrix', inputs: [{ float: [2, 3] }] }],
  vjp: (ctx) => [() => ctx.e.op('Mul', [ctx.g, ctx.node.outputs[0]])],
};

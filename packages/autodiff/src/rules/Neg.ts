import type { VjpRule } from '../rule';

/** y = −x  ⇒  x̄ = −ȳ. */
export const Neg: VjpRule = {
  op: 'Neg',
  since: 6,
  samples: [{ label: 'vector', inputs: [{ float: [4] }] }],
  vjp: (ctx) => [() => ctx.e.op('Neg', [ctx.g])],
};

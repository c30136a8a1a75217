import type { VjpRule } from '../rule';

/** y = x  ⇒  x̄ = ȳ. */
export const Identity: VjpRule = {
  op: 'Identity',
  since: 1,
  samples: [{ label: 'matrix', inputs: [{ float: [2, 3] }] }],
  vjp: (ctx) => [() => ctx.g],
};

import type { VjpRule } from '../rule';

/** y = broadcast(x, shape)  ⇒  x̄ = ȳ summed over the broadcast axes (done by the walker). */
export const Expand: VjpRule = {
  op: 'Expand',
  since: 8,
  samples: [
    { label: 'rows', inputs: [{ float: [1, 3] }, { int64: [4, 3] }] },
    { label: 'rank up', inputs: [{ float: [3, 1] }, { int64: [2, 3, 4] }] },
  ],
  vjp: (ctx) => [() => ctx.g, undefined],
};

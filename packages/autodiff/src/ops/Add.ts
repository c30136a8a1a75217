import { defineOp } from '../op-definition';
import type { RuleSample } from '../rule';
import { arithmeticShape } from '../shape-families';

/** Shape cases shared by the broadcasting binary ops: equal, broadcast, rank mismatch, scalar. */
export const BINARY_SAMPLES: readonly RuleSample[] = [
  { label: 'same shape', inputs: [{ float: [2, 3] }, { float: [2, 3] }] },
  { label: 'broadcast rows', inputs: [{ float: [2, 3] }, { float: [1, 3] }] },
  { label: 'rank mismatch', inputs: [{ float: [4] }, { float: [2, 3, 4] }] },
  { label: 'both broadcast', inputs: [{ float: [3, 1] }, { float: [1, 2] }] },
  { label: 'scalar', inputs: [{ float: [2, 2] }, { float: [] }] },
];

/** y = a + b  ⇒  ā = ȳ, b̄ = ȳ (summed over broadcast axes by the walker). */
export const Add = defineOp({
  op: 'Add',
  shape: arithmeticShape({ value: (u, v) => u + v }),
  vjp: [
    {
      since: 7,
      samples: BINARY_SAMPLES,
      vjp: (ctx) => [() => ctx.g, () => ctx.g],
    },
  ],
});

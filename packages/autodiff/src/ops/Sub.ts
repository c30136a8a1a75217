import { defineOp } from '../op-definition';
import { arithmeticShape } from '../shape-families';
import { BINARY_SAMPLES } from './Add';

/** y = a − b  ⇒  ā = ȳ, b̄ = −ȳ. */
export const Sub = defineOp({
  op: 'Sub',
  shape: arithmeticShape({ value: (u, v) => u - v }),
  vjp: [
    {
      since: 7,
      samples: BINARY_SAMPLES,
      vjp: (ctx) => [() => ctx.g, () => ctx.e.op('Neg', [ctx.g])],
    },
  ],
});

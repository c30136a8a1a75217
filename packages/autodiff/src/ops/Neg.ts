import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** y = −x  ⇒  x̄ = −ȳ. */
export const Neg = defineOp({
  op: 'Neg',
  shape: sameType,
  vjp: [
    {
      since: 6,
      samples: [{ label: 'vector', inputs: [{ float: [4] }] }],
      vjp: (ctx) => [() => ctx.e.op('Neg', [ctx.g])],
    },
  ],
});

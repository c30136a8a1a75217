import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** y = eˣ  ⇒  x̄ = ȳ·y. */
export const Exp = defineOp({
  op: 'Exp',
  shape: sameType,
  vjp: [
    {
      since: 6,
      samples: [{ label: 'matrix', inputs: [{ float: [2, 3] }] }],
      vjp: (ctx) => [() => ctx.e.op('Mul', [ctx.g, ctx.node.outputs[0]])],
    },
  ],
});

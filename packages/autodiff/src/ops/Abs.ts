import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** y = |x|  ⇒  x̄ = ȳ·sign x. */
export const Abs = defineOp({
  op: 'Abs',
  shape: sameType,
  vjp: [
    {
      since: 6,
      samples: [{ label: 'matrix', inputs: [{ float: [2, 3], range: [0.2, 1.5], signed: true }] }],
      vjp: (ctx) => [() => ctx.e.op('Mul', [ctx.g, ctx.e.op('Sign', [ctx.node.inputs[0]])])],
    },
  ],
});

import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** y = 1/x  ⇒  x̄ = −ȳ·y². */
export const Reciprocal = defineOp({
  op: 'Reciprocal',
  shape: sameType,
  vjp: [
    {
      since: 6,
      samples: [{ label: 'matrix', inputs: [{ float: [2, 3], range: [0.5, 2], signed: true }] }],
      vjp: (ctx) => {
        const [y] = ctx.node.outputs;
        return [() => ctx.e.op('Neg', [ctx.e.op('Mul', [ctx.g, ctx.e.op('Mul', [y, y])])])];
      },
    },
  ],
});

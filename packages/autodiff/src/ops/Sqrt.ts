import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** y = √x  ⇒  x̄ = ȳ·½ / y. */
export const Sqrt = defineOp({
  op: 'Sqrt',
  shape: sameType,
  vjp: [
    {
      since: 6,
      samples: [{ label: 'matrix', inputs: [{ float: [2, 3], range: [0.5, 2] }] }],
      vjp: (ctx) => {
        const [y] = ctx.node.outputs;
        return [() => ctx.e.op('Div', [ctx.e.op('Mul', [ctx.g, ctx.e.scalarLike(0.5, y)]), y])];
      },
    },
  ],
});

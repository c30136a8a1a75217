import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** y = tanh x  ⇒  x̄ = ȳ·(1 − y²). */
export const Tanh = defineOp({
  op: 'Tanh',
  shape: sameType,
  vjp: [
    {
      since: 6,
      samples: [{ label: 'matrix', inputs: [{ float: [3, 2] }] }],
      vjp: (ctx) => {
        const { e } = ctx;
        const [y] = ctx.node.outputs;
        return [() => e.op('Mul', [ctx.g, e.op('Sub', [e.scalarLike(1, y), e.op('Mul', [y, y])])])];
      },
    },
  ],
});

import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** y = ln x  ⇒  x̄ = ȳ / x. */
export const Log = defineOp({
  op: 'Log',
  shape: sameType,
  vjp: [
    {
      since: 6,
      samples: [{ label: 'matrix', inputs: [{ float: [2, 3], range: [0.5, 2] }] }],
      vjp: (ctx) => [() => ctx.e.op('Div', [ctx.g, ctx.node.inputs[0]])],
    },
  ],
});

import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** y = max(x, 0)  ⇒  x̄ = ȳ where x > 0, else 0 (the subgradient 0 at the kink). */
export const Relu = defineOp({
  op: 'Relu',
  shape: sameType,
  vjp: [
    {
      since: 6,
      samples: [{ label: 'matrix', inputs: [{ float: [3, 4], range: [0.1, 1.5], signed: true }] }],
      vjp: (ctx) => {
        const { e } = ctx;
        const [x] = ctx.node.inputs;
        return [() => e.op('Where', [e.op('Greater', [x, e.scalarLike(0, x)]), ctx.g, e.scalarLike(0, x)])];
      },
    },
  ],
});

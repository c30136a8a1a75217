import { broadcastShapes } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** y = c ? a : b: the broadcast of all three shapes, with a's dtype. */
const whereShape: ShapeRule = (ctx) => {
  const ca = broadcastShapes(ctx.input(0).shape, ctx.input(1).shape, ctx.where);
  return [{ dtype: ctx.input(1).dtype, shape: broadcastShapes(ca, ctx.input(2).shape, ctx.where) }];
};

/** y = c ? a : b  ⇒  ā = c ? ȳ : 0, b̄ = c ? 0 : ȳ; the bool condition gets none. */
export const Where = defineOp({
  op: 'Where',
  shape: whereShape,
  vjp: [
    {
      since: 9,
      samples: [
        {
          label: 'same shape',
          inputs: [{ bool: [1, 0, 1, 1, 0, 0], shape: [2, 3] }, { float: [2, 3] }, { float: [2, 3] }],
        },
        {
          label: 'broadcast',
          inputs: [{ bool: [1, 0, 1], shape: [3, 1] }, { float: [3, 4] }, { float: [4] }],
        },
        { label: 'scalar branch', inputs: [{ bool: [0, 1], shape: [2] }, { float: [] }, { float: [3, 2] }] },
      ],
      vjp: (ctx) => {
        const { e } = ctx;
        const [c] = ctx.node.inputs;
        const zero = () => e.scalarLike(0, ctx.g);
        return [undefined, () => e.op('Where', [c, ctx.g, zero()]), () => e.op('Where', [c, zero(), ctx.g])];
      },
    },
  ],
});

import { broadcastShapes } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** y = broadcast(x, shape): the broadcast of x's shape and the known target. */
const expandShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  return [{ dtype: x.dtype, shape: broadcastShapes(x.shape, ctx.known(1, 'shape'), ctx.where) }];
};

/** y = broadcast(x, shape)  ⇒  x̄ = ȳ summed over the broadcast axes (done by the walker). */
export const Expand = defineOp({
  op: 'Expand',
  shape: expandShape,
  vjp: [
    {
      since: 8,
      samples: [
        { label: 'rows', inputs: [{ float: [1, 3] }, { int64: [4, 3] }] },
        { label: 'rank up', inputs: [{ float: [3, 1] }, { int64: [2, 3, 4] }] },
      ],
      vjp: (ctx) => [() => ctx.g, undefined],
    },
  ],
});

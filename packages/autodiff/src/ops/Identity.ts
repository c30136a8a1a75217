import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** y = x: x's type, and its known contents. */
const identityShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  return [{ dtype: x.dtype, shape: x.shape, ...(x.value ? { value: x.value } : {}) }];
};

/** y = x  ⇒  x̄ = ȳ. */
export const Identity = defineOp({
  op: 'Identity',
  shape: identityShape,
  vjp: [
    {
      since: 1,
      samples: [{ label: 'matrix', inputs: [{ float: [2, 3] }] }],
      vjp: (ctx) => [() => ctx.g],
    },
  ],
});

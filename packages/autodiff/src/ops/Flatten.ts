import { sizeOf } from '@biaslab/core';
import { attr, intAttr, normAxis } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** y = flatten(x, axis): [∏ dims before axis, ∏ dims from axis]. */
const flattenShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const axis = normAxis(intAttr(ctx.attributes, 'axis', 1), x.shape.length, true);
  return [{ dtype: x.dtype, shape: [sizeOf(x.shape.slice(0, axis)), sizeOf(x.shape.slice(axis))] }];
};

/** y = flatten(x)  ⇒  x̄ = reshape(ȳ, shape of x). */
export const Flatten = defineOp({
  op: 'Flatten',
  shape: flattenShape,
  vjp: [
    {
      since: 1,
      samples: [
        { label: 'axis 1', inputs: [{ float: [2, 3, 2] }] },
        { label: 'axis 2', inputs: [{ float: [2, 3, 2] }], attributes: { axis: attr.int(2) } },
      ],
      vjp: (ctx) => [() => ctx.e.reshape(ctx.g, ctx.type(ctx.node.inputs[0]).shape)],
    },
  ],
});

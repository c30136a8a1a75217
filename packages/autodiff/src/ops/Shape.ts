import { intAttr, normAxis } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** y = x.shape[start:end]: a known 1-D int64 tensor. */
const shapeShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const r = x.shape.length;
  const start = normAxis(intAttr(ctx.attributes, 'start', 0), r, true);
  const end = normAxis(intAttr(ctx.attributes, 'end', r), r, true);
  const value = x.shape.slice(start, end);
  return [{ dtype: 'int64', shape: [value.length], value }];
};

/** `Shape` has an int64 output: no cotangent flows back through it. */
export const Shape = defineOp({
  op: 'Shape',
  shape: shapeShape,
  vjp: [
    {
      since: 1,
      samples: [{ label: 'matrix', inputs: [{ float: [2, 3] }] }],
      vjp: () => [undefined],
    },
  ],
});

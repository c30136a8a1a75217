import { attr, intAttr, normAxis } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** y = concat(x₁, …, xₙ) along `axis`: sizes on the axis add; known 1-D ints concatenate. */
const concatShape: ShapeRule = (ctx) => {
  const types = ctx.inputs();
  const r = types[0].shape.length;
  const axis = normAxis(intAttr(ctx.attributes, 'axis', 0), r);
  const shape = [...types[0].shape];
  shape[axis] = types.reduce((s, t) => s + t.shape[axis], 0);
  const value =
    r === 1 && types.every((t) => t.value) ? types.flatMap((t) => t.value as number[]) : undefined;
  return [{ dtype: types[0].dtype, shape, ...(value ? { value } : {}) }];
};

/** y = concat(x₁, …, xₙ) along `axis`  ⇒  x̄ₖ = the slice of ȳ where xₖ was placed (a Slice with unit steps). */
export const Concat = defineOp({
  op: 'Concat',
  shape: concatShape,
  vjp: [
    {
      since: 11,
      samples: [
        {
          label: 'axis 0',
          inputs: [{ float: [2, 3] }, { float: [1, 3] }],
          attributes: { axis: attr.int(0) },
        },
        {
          label: 'negative axis, three inputs',
          inputs: [{ float: [2, 1] }, { float: [2, 3] }, { float: [2, 2] }],
          attributes: { axis: attr.int(-1) },
        },
      ],
      vjp: (ctx) => {
        const { e, node } = ctx;
        const shapes = node.inputs.map((x) => ctx.type(x).shape);
        const axis = normAxis(intAttr(node.attributes, 'axis', 0), shapes[0].length);
        let offset = 0;
        return shapes.map((s) => {
          const [from, to] = [offset, (offset += s[axis])];
          return () => e.op('Slice', [ctx.g, e.int64s([from]), e.int64s([to]), e.int64s([axis])]);
        });
      },
    },
  ],
});

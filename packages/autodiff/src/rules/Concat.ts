import { attr, intAttr, normAxis } from '@biaslab/onnx';
import type { VjpRule } from '../rule';

/** y = concat(x₁, …, xₙ) along `axis`  ⇒  x̄ₖ = the slice of ȳ where xₖ was placed (a Slice with unit steps). */
export const Concat: VjpRule = {
  op: 'Concat',
  since: 11,
  samples: [
    { label: 'axis 0', inputs: [{ float: [2, 3] }, { float: [1, 3] }], attributes: { axis: attr.int(0) } },
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
};

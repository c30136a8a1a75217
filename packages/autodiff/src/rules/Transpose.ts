import { attr, intsAttr } from '@biaslab/onnx';
import type { VjpRule } from '../rule';

/** y = transpose(x, p)  ⇒  x̄ = transpose(ȳ, p⁻¹). */
export const Transpose: VjpRule = {
  op: 'Transpose',
  since: 1,
  samples: [
    { label: 'default reverses', inputs: [{ float: [2, 3, 4] }] },
    { label: 'perm', inputs: [{ float: [2, 3, 4] }], attributes: { perm: attr.ints([1, 2, 0]) } },
  ],
  vjp: (ctx) => {
    const rank = ctx.type(ctx.node.inputs[0]).shape.length;
    const perm = intsAttr(ctx.node.attributes, 'perm') ?? [...Array(rank).keys()].reverse();
    const inverse = new Array<number>(rank);
    perm.forEach((p, i) => (inverse[p] = i));
    return [() => ctx.e.op('Transpose', [ctx.g], { perm: attr.ints(inverse) })];
  },
};

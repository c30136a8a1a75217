import { attr, intsAttr } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** y = transpose(x, perm) (default: reversed axes): the permuted shape. */
const transposeShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const r = x.shape.length;
  const perm = intsAttr(ctx.attributes, 'perm') ?? [...Array(r).keys()].reverse();
  if (perm.length !== r || [...perm].sort((p, q) => p - q).some((p, i) => p !== i))
    ctx.fail(`perm [${perm.join(', ')}] is not a permutation of rank ${r}`);
  return [{ dtype: x.dtype, shape: perm.map((p) => x.shape[p]) }];
};

/** y = transpose(x, p)  ⇒  x̄ = transpose(ȳ, p⁻¹). */
export const Transpose = defineOp({
  op: 'Transpose',
  shape: transposeShape,
  vjp: [
    {
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
    },
  ],
});

import { sizeOf } from '@biaslab/core';
import { DATA_TYPE_CODE, attr, intAttr, normAxis } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** y = take(x, indices, axis): x's shape with the axis replaced by the indices' shape; known 1-D ints gathered. */
const gatherShape: ShapeRule = (ctx) => {
  const [x, idx] = [ctx.input(0), ctx.input(1)];
  const r = x.shape.length;
  const axis = normAxis(intAttr(ctx.attributes, 'axis', 0), r);
  const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
  const value =
    r === 1 && x.value && idx.value ? idx.value.map((i) => x.value![i < 0 ? i + x.shape[0] : i]) : undefined;
  return [{ dtype: x.dtype, shape, ...(value ? { value } : {}) }];
};

/**
 * y = take(x, indices, axis) (opset 11 on: negative indices count from the end)  ⇒  x̄[p, n, q] =
 * Σ_m [idxₘ = n]·ȳ[p, m, q], written as a one-hot matrix product: O = Cast(Equal(arange(N)ᵀ, idx)) of shape
 * [N, M] (N = x's axis size, M = number of indices) times ȳ reshaped to [P, M, Q]. Repeated indices sum; the
 * indices get no cotangent. Costs N·M·P·Q multiply-adds and an N×M one-hot matrix.
 */
export const Gather = defineOp({
  op: 'Gather',
  shape: gatherShape,
  vjp: [
    {
      since: 11,
      samples: [
        { label: 'rows with repeats', inputs: [{ float: [4, 3] }, { int64: [2, 0, 2], shape: [3] }] },
        {
          label: 'axis 1, 2-D negative indices',
          inputs: [{ float: [2, 5, 3] }, { int64: [-1, 0, 3, -5], shape: [2, 2] }],
          attributes: { axis: attr.int(1) },
        },
        {
          label: 'scalar index, axis -1',
          inputs: [{ float: [3, 4] }, { int64: [-2], shape: [] }],
          attributes: { axis: attr.int(-1) },
        },
      ],
      vjp: (ctx) => {
        const { e, node } = ctx;
        const [x, indices] = node.inputs;
        const shape = ctx.type(x).shape;
        const axis = normAxis(intAttr(node.attributes, 'axis', 0), shape.length);
        const n = shape[axis];
        const m = sizeOf(ctx.type(indices).shape);
        const [p, q] = [sizeOf(shape.slice(0, axis)), sizeOf(shape.slice(axis + 1))];
        const dtype = ctx.type(x).dtype;
        return [
          () => {
            let idx = e.reshape(indices, [1, m]);
            if (ctx.type(idx).dtype !== 'int64')
              idx = e.op('Cast', [idx], { to: attr.int(DATA_TYPE_CODE.int64) });
            const zero = e.scalar(0, 'int64');
            // negative index i means i + N
            idx = e.op('Where', [e.op('Less', [idx, zero]), e.op('Add', [idx, e.scalar(n, 'int64')]), idx]);
            const arange = e.int64s(Array.from({ length: n }, (_, i) => i));
            const onehot = e.op('Cast', [e.op('Equal', [e.reshape(arange, [n, 1]), idx])], {
              to: attr.int(DATA_TYPE_CODE[dtype]),
            });
            const g3 = e.reshape(ctx.g, [p, m, q]);
            return e.reshape(e.op('MatMul', [onehot, g3]), shape);
          },
          undefined,
        ];
      },
    },
  ],
});

import { sizeOf } from '@biaslab/core';
import { intAttr } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';

/** Resolves a Reshape target: 0 copies the input dimension (unless allowzero), −1 is inferred. */
function reshapeTarget(
  from: readonly number[],
  target: readonly number[],
  allowZero: boolean,
  fail: (what: string) => never,
): number[] {
  const shape = target.map((d, i) => (d === 0 && !allowZero ? from[i] : d));
  const total = sizeOf(from);
  const minus = shape.filter((d) => d === -1).length;
  if (minus > 1) fail(`shape [${target.join(', ')}] has more than one -1`);
  if (minus === 1) {
    const rest = sizeOf(shape.filter((d) => d !== -1));
    if (rest === 0 || total % rest !== 0)
      fail(`cannot infer -1 in [${target.join(', ')}] for ${total} elements`);
    shape[shape.indexOf(-1)] = total / rest;
  }
  if (sizeOf(shape) !== total)
    fail(`cannot reshape [${from.join(', ')}] (${total} elements) to [${target.join(', ')}]`);
  return shape;
}

/** y = reshape(x, shape): the resolved known target; known ints keep their contents. */
const reshapeShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const allowZero = intAttr(ctx.attributes, 'allowzero', 0) === 1;
  const shape = reshapeTarget(x.shape, ctx.known(1, 'shape'), allowZero, ctx.fail);
  return [{ dtype: x.dtype, shape, ...(x.value ? { value: x.value } : {}) }];
};

/** y = reshape(x)  ⇒  x̄ = reshape(ȳ, shape of x); the shape input gets none. */
export const Reshape = defineOp({
  op: 'Reshape',
  shape: reshapeShape,
  vjp: [
    {
      since: 5,
      samples: [
        { label: 'flatten with -1', inputs: [{ float: [2, 3, 2] }, { int64: [-1, 6] }] },
        { label: 'copy dim with 0', inputs: [{ float: [2, 6] }, { int64: [0, 3, 2] }] },
      ],
      vjp: (ctx) => [() => ctx.e.reshape(ctx.g, ctx.type(ctx.node.inputs[0]).shape), undefined],
    },
  ],
});

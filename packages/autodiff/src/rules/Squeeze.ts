import { attr } from '@biaslab/onnx';
import type { VjpRule } from '../rule';

/** y = squeeze(x)  ⇒  x̄ = reshape(ȳ, shape of x). From opset 13 `axes` is an input (ints, no cotangent). */
export const Squeeze: VjpRule = {
  op: 'Squeeze',
  since: 13,
  samples: [
    { label: 'axes input', inputs: [{ float: [2, 1, 3, 1] }, { int64: [1, -1] }] },
    { label: 'all unit axes', inputs: [{ float: [1, 3, 1] }] },
  ],
  vjp: (ctx) => [() => ctx.e.reshape(ctx.g, ctx.type(ctx.node.inputs[0]).shape), undefined],
};

/** Squeeze before opset 13, with `axes` as an attribute. */
export const SqueezeV1: VjpRule = {
  op: 'Squeeze',
  since: 1,
  until: 12,
  samples: [
    { label: 'axes attribute', inputs: [{ float: [2, 1, 3] }], attributes: { axes: attr.ints([1]) } },
  ],
  vjp: (ctx) => [() => ctx.e.reshape(ctx.g, ctx.type(ctx.node.inputs[0]).shape)],
};

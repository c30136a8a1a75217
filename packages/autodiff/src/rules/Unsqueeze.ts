import { attr } from '@biaslab/onnx';
import type { VjpRule } from '../rule';

/** y = unsqueeze(x)  ⇒  x̄ = reshape(ȳ, shape of x). From opset 13 `axes` is an input (ints, no cotangent). */
export const Unsqueeze: VjpRule = {
  op: 'Unsqueeze',
  since: 13,
  samples: [
    { label: 'axes input', inputs: [{ float: [2, 3] }, { int64: [0, -1] }] },
    { label: 'scalar', inputs: [{ float: [] }, { int64: [0] }] },
  ],
  vjp: (ctx) => [() => ctx.e.reshape(ctx.g, ctx.type(ctx.node.inputs[0]).shape), undefined],
};

/** Unsqueeze before opset 13, with `axes` as an attribute. */
export const UnsqueezeV1: VjpRule = {
  op: 'Unsqueeze',
  since: 1,
  until: 12,
  samples: [{ label: 'axes attribute', inputs: [{ float: [2, 3] }], attributes: { axes: attr.ints([1]) } }],
  vjp: (ctx) => [() => ctx.e.reshape(ctx.g, ctx.type(ctx.node.inputs[0]).shape)],
};

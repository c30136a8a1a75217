import { attr, intsAttr, normAxis } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';
import type { VjpRuleSpec } from '../op-definition';

/** y = unsqueeze(x)  ⇒  x̄ = reshape(ȳ, shape of x). From opset 13 `axes` is an input (ints, no cotangent). */
const UnsqueezeV13: VjpRuleSpec = {
  since: 13,
  samples: [
    { label: 'axes input', inputs: [{ float: [2, 3] }, { int64: [0, -1] }] },
    { label: 'scalar', inputs: [{ float: [] }, { int64: [0] }] },
  ],
  vjp: (ctx) => [() => ctx.e.reshape(ctx.g, ctx.type(ctx.node.inputs[0]).shape), undefined],
};

/** Unsqueeze before opset 13, with `axes` as an attribute. */
const UnsqueezeV1: VjpRuleSpec = {
  since: 1,
  until: 12,
  samples: [{ label: 'axes attribute', inputs: [{ float: [2, 3] }], attributes: { axes: attr.ints([1]) } }],
  vjp: (ctx) => [() => ctx.e.reshape(ctx.g, ctx.type(ctx.node.inputs[0]).shape)],
};

/** y = x with size-1 axes inserted at `axes` (an attribute before opset 13, an input from 13). */
const unsqueezeShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const axes =
    ctx.opset >= 13
      ? ctx.known(1, 'axes')
      : (intsAttr(ctx.attributes, 'axes') ?? ctx.fail('attribute `axes` is required'));
  const r = x.shape.length + axes.length;
  const norm = new Set(axes.map((ax) => normAxis(ax, r)));
  const shape: number[] = [];
  let j = 0;
  for (let i = 0; i < r; i++) shape.push(norm.has(i) ? 1 : x.shape[j++]);
  return [{ dtype: x.dtype, shape, ...(x.value ? { value: x.value } : {}) }];
};

/** Unsqueeze: inserts size-1 axes; differentiated by reshaping the cotangent back. */
export const Unsqueeze = defineOp({
  op: 'Unsqueeze',
  shape: unsqueezeShape,
  vjp: [UnsqueezeV13, UnsqueezeV1],
});

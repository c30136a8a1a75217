import { attr, intsAttr, normAxis } from '@biaslab/onnx';
import type { ShapeRule } from '@biaslab/onnx';
import { defineOp } from '../op-definition';
import type { VjpRuleSpec } from '../op-definition';

/** y = squeeze(x)  ⇒  x̄ = reshape(ȳ, shape of x). From opset 13 `axes` is an input (ints, no cotangent). */
const SqueezeV13: VjpRuleSpec = {
  since: 13,
  samples: [
    { label: 'axes input', inputs: [{ float: [2, 1, 3, 1] }, { int64: [1, -1] }] },
    { label: 'all unit axes', inputs: [{ float: [1, 3, 1] }] },
  ],
  vjp: (ctx) => [() => ctx.e.reshape(ctx.g, ctx.type(ctx.node.inputs[0]).shape), undefined],
};

/** Squeeze before opset 13, with `axes` as an attribute. */
const SqueezeV1: VjpRuleSpec = {
  since: 1,
  until: 12,
  samples: [
    { label: 'axes attribute', inputs: [{ float: [2, 1, 3] }], attributes: { axes: attr.ints([1]) } },
  ],
  vjp: (ctx) => [() => ctx.e.reshape(ctx.g, ctx.type(ctx.node.inputs[0]).shape)],
};

/** y = x without the size-1 axes `axes` (all of them when absent; attribute before opset 13, input from 13). */
const squeezeShape: ShapeRule = (ctx) => {
  const x = ctx.input(0);
  const given =
    ctx.opset >= 13 ? (ctx.has(1) ? ctx.known(1, 'axes') : undefined) : intsAttr(ctx.attributes, 'axes');
  const r = x.shape.length;
  const axes = new Set(
    given ? given.map((ax) => normAxis(ax, r)) : x.shape.flatMap((d, i) => (d === 1 ? [i] : [])),
  );
  for (const ax of axes) if (x.shape[ax] !== 1) ctx.fail(`cannot squeeze axis ${ax} of size ${x.shape[ax]}`);
  return [
    { dtype: x.dtype, shape: x.shape.filter((_, i) => !axes.has(i)), ...(x.value ? { value: x.value } : {}) },
  ];
};

/** Squeeze: removes size-1 axes; differentiated by reshaping the cotangent back. */
export const Squeeze = defineOp({
  op: 'Squeeze',
  shape: squeezeShape,
  vjp: [SqueezeV13, SqueezeV1],
});

import { BiaslabError } from '@biaslab/core';
import { DATA_TYPE_CODE, attr, intAttr, intsAttr, normAxis } from '@biaslab/onnx';
import { defineOp } from '../op-definition';
import type { VjpRuleSpec } from '../op-definition';
import type { LazyGrad, RuleSample, VjpContext } from '../rule';
import { reduceShape } from '../shape-families';

/** The opset from which `axes` is the optional second input instead of an attribute. */
const AXES_INPUT_SINCE = 18;

/**
 * Backward of y = max (or min) over axes: x̄ = [x = y]·ȳ/m with m = Σ_axes [x = y], i.e. the cotangent goes to
 * the arg-extremum positions and ties split it equally (the mean of the one-sided derivatives). `axesInputSince`
 * is the opset from which `axes` is the second input rather than an attribute.
 */
export function reduceExtremumVjp(ctx: VjpContext, axesInputSince: number): LazyGrad {
  const { node, e } = ctx;
  const [x] = node.inputs;
  const [y] = node.outputs;
  const shape = ctx.type(x).shape;
  let given: readonly number[] | undefined;
  if (ctx.opset >= axesInputSince) {
    if (node.inputs[1]) {
      given = ctx.type(node.inputs[1]).value;
      if (!given)
        throw new BiaslabError(
          'SHAPE',
          `\`${node.op}\` at node \`${node.name}\` takes axes from \`${node.inputs[1]}\`, which is not a constant; differentiation needs constant axes.`,
        );
    }
  } else given = intsAttr(node.attributes, 'axes');
  const empty = !given || given.length === 0;
  if (empty && intAttr(node.attributes, 'noop_with_empty_axes', 0) === 1) return () => ctx.g;
  const axes = empty ? [...shape.keys()] : given!.map((ax) => normAxis(ax, shape.length));
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const keepdims = intAttr(node.attributes, 'keepdims', 1) === 1;
  return () => {
    const to = attr.int(DATA_TYPE_CODE[ctx.type(x).dtype]);
    const mask = e.op('Cast', [e.op('Equal', [x, e.reshape(y, kept)])], { to });
    const gk = keepdims ? ctx.g : e.reshape(ctx.g, kept);
    return e.op('Mul', [mask, e.op('Div', [gk, e.reduceSum(mask, axes, true)])]);
  };
}

/** Samples for the axes-input forms of ReduceMax and ReduceMin. */
export const EXTREMUM_AXES_INPUT_SAMPLES: readonly RuleSample[] = [
  { label: 'axis 1 keepdims', inputs: [{ float: [2, 3, 2] }, { int64: [1] }] },
  {
    label: 'axes 0,-1 no keepdims',
    inputs: [{ float: [2, 3, 2] }, { int64: [0, -1] }],
    attributes: { keepdims: attr.int(0) },
  },
  { label: 'all axes', inputs: [{ float: [3, 2] }], attributes: { keepdims: attr.int(0) } },
];

/** Samples for the axes-attribute forms of ReduceMax and ReduceMin. */
export const EXTREMUM_AXES_ATTRIBUTE_SAMPLES: readonly RuleSample[] = [
  { label: 'axes attribute', inputs: [{ float: [2, 3, 2] }], attributes: { axes: attr.ints([1]) } },
  {
    label: 'axes attribute no keepdims',
    inputs: [{ float: [2, 3, 2] }],
    attributes: { axes: attr.ints([0, 2]), keepdims: attr.int(0) },
  },
  { label: 'all axes', inputs: [{ float: [3, 2] }], attributes: { keepdims: attr.int(0) } },
];

/** y = max over `axes` (an input from opset 18)  ⇒  ȳ to the argmax positions, split equally at ties. */
const ReduceMaxV18: VjpRuleSpec = {
  since: AXES_INPUT_SINCE,
  samples: EXTREMUM_AXES_INPUT_SAMPLES,
  vjp: (ctx) => [reduceExtremumVjp(ctx, AXES_INPUT_SINCE), undefined],
};

/** ReduceMax before opset 18, with `axes` as an attribute. */
const ReduceMaxV1: VjpRuleSpec = {
  since: 1,
  until: AXES_INPUT_SINCE - 1,
  samples: EXTREMUM_AXES_ATTRIBUTE_SAMPLES,
  vjp: (ctx) => [reduceExtremumVjp(ctx, AXES_INPUT_SINCE)],
};

/** ReduceMax (`axes` an input from opset 18). */
export const ReduceMax = defineOp({
  op: 'ReduceMax',
  shape: reduceShape(AXES_INPUT_SINCE),
  vjp: [ReduceMaxV18, ReduceMaxV1],
});

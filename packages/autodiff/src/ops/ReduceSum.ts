import { attr } from '@biaslab/onnx';
import { defineOp } from '../op-definition';
import type { VjpRuleSpec } from '../op-definition';
import { reduceBackward } from '../reduce-backward';
import type { RuleSample } from '../rule';
import { reduceShape } from '../shape-families';

/** The opset from which `axes` is the optional second input instead of an attribute. */
const AXES_INPUT_SINCE = 13;

/** Input-axes samples shared by the input forms of ReduceSum (13+) and ReduceMean (18+). */
export const INPUT_AXES_SAMPLES: readonly RuleSample[] = [
  { label: 'axis 1 keepdims', inputs: [{ float: [2, 3, 2] }, { int64: [1] }] },
  {
    label: 'axes 0,-1 no keepdims',
    inputs: [{ float: [2, 3, 2] }, { int64: [0, -1] }],
    attributes: { keepdims: attr.int(0) },
  },
  { label: 'all axes', inputs: [{ float: [3, 2] }], attributes: { keepdims: attr.int(0) } },
  {
    label: 'noop with empty axes',
    inputs: [{ float: [3, 2] }],
    attributes: { noop_with_empty_axes: attr.int(1) },
  },
];

/** Attribute-axes samples shared by the pre-input forms of ReduceSum and ReduceMean. */
export const ATTRIBUTE_AXES_SAMPLES: readonly RuleSample[] = [
  { label: 'axes attribute', inputs: [{ float: [2, 3, 2] }], attributes: { axes: attr.ints([1]) } },
  {
    label: 'axes attribute no keepdims',
    inputs: [{ float: [2, 3, 2] }],
    attributes: { axes: attr.ints([0, 2]), keepdims: attr.int(0) },
  },
  { label: 'all axes', inputs: [{ float: [3, 2] }], attributes: { keepdims: attr.int(0) } },
];

/** y = Σ_axes x  ⇒  x̄ = broadcast(ȳ with kept dims). Opset 13 moved `axes` from an attribute to an input. */
const ReduceSumV13: VjpRuleSpec = {
  since: AXES_INPUT_SINCE,
  samples: INPUT_AXES_SAMPLES,
  vjp: (ctx) => [reduceBackward(ctx, AXES_INPUT_SINCE, false), undefined],
};

/** ReduceSum before opset 13, with `axes` as an attribute. */
const ReduceSumV1: VjpRuleSpec = {
  since: 1,
  until: AXES_INPUT_SINCE - 1,
  samples: ATTRIBUTE_AXES_SAMPLES,
  vjp: (ctx) => [reduceBackward(ctx, AXES_INPUT_SINCE, false)],
};

/** ReduceSum (`axes` an input from opset 13). */
export const ReduceSum = defineOp({
  op: 'ReduceSum',
  shape: reduceShape(AXES_INPUT_SINCE),
  vjp: [ReduceSumV13, ReduceSumV1],
});

import { attr } from '@biaslab/onnx';
import type { RuleSample, VjpRule } from '../rule';
import { reduceBackward } from '../reduce-backward';

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
export const ReduceSum: VjpRule = {
  op: 'ReduceSum',
  since: 13,
  samples: INPUT_AXES_SAMPLES,
  vjp: (ctx) => [reduceBackward(ctx, 13, false), undefined],
};

/** ReduceSum before opset 13, with `axes` as an attribute. */
export const ReduceSumV1: VjpRule = {
  op: 'ReduceSum',
  since: 1,
  until: 12,
  samples: ATTRIBUTE_AXES_SAMPLES,
  vjp: (ctx) => [reduceBackward(ctx, 13, false)],
};

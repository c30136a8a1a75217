import { defineOp } from '../op-definition';
import type { VjpRuleSpec } from '../op-definition';
import { reduceBackward } from '../reduce-backward';
import { reduceShape } from '../shape-families';
import { ATTRIBUTE_AXES_SAMPLES, INPUT_AXES_SAMPLES } from './ReduceSum';

/** The opset from which `axes` is the optional second input instead of an attribute. */
const AXES_INPUT_SINCE = 18;

/** y = mean_axes x  ⇒  x̄ = broadcast(ȳ / n). Opset 18 moved `axes` to an input (and added noop_with_empty_axes). */
const ReduceMeanV18: VjpRuleSpec = {
  since: AXES_INPUT_SINCE,
  samples: INPUT_AXES_SAMPLES,
  vjp: (ctx) => [reduceBackward(ctx, AXES_INPUT_SINCE, true), undefined],
};

/** ReduceMean before opset 18, with `axes` as an attribute. */
const ReduceMeanV1: VjpRuleSpec = {
  since: 1,
  until: AXES_INPUT_SINCE - 1,
  samples: ATTRIBUTE_AXES_SAMPLES,
  vjp: (ctx) => [reduceBackward(ctx, AXES_INPUT_SINCE, true)],
};

/** ReduceMean (`axes` an input from opset 18). */
export const ReduceMean = defineOp({
  op: 'ReduceMean',
  shape: reduceShape(AXES_INPUT_SINCE),
  vjp: [ReduceMeanV18, ReduceMeanV1],
});

import { defineOp } from '../op-definition';
import type { VjpRuleSpec } from '../op-definition';
import { reduceShape } from '../shape-families';
import { EXTREMUM_AXES_ATTRIBUTE_SAMPLES, EXTREMUM_AXES_INPUT_SAMPLES, reduceExtremumVjp } from './ReduceMax';

/** The opset from which `axes` is the optional second input instead of an attribute. */
const AXES_INPUT_SINCE = 18;

/** y = min over `axes` (an input from opset 18)  ⇒  ȳ to the argmin positions, split equally at ties. */
const ReduceMinV18: VjpRuleSpec = {
  since: AXES_INPUT_SINCE,
  samples: EXTREMUM_AXES_INPUT_SAMPLES,
  vjp: (ctx) => [reduceExtremumVjp(ctx, AXES_INPUT_SINCE), undefined],
};

/** ReduceMin before opset 18, with `axes` as an attribute. */
const ReduceMinV1: VjpRuleSpec = {
  since: 1,
  until: AXES_INPUT_SINCE - 1,
  samples: EXTREMUM_AXES_ATTRIBUTE_SAMPLES,
  vjp: (ctx) => [reduceExtremumVjp(ctx, AXES_INPUT_SINCE)],
};

/** ReduceMin (`axes` an input from opset 18). */
export const ReduceMin = defineOp({
  op: 'ReduceMin',
  shape: reduceShape(AXES_INPUT_SINCE),
  vjp: [ReduceMinV18, ReduceMinV1],
});

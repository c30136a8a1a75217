import type { VjpRule } from '../rule';
import { EXTREMUM_AXES_ATTRIBUTE_SAMPLES, EXTREMUM_AXES_INPUT_SAMPLES, reduceExtremumVjp } from './ReduceMax';

/** y = min over `axes` (an input from opset 18)  ⇒  ȳ to the argmin positions, split equally at ties. */
export const ReduceMin: VjpRule = {
  op: 'ReduceMin',
  since: 18,
  samples: EXTREMUM_AXES_INPUT_SAMPLES,
  vjp: (ctx) => [reduceExtremumVjp(ctx, 18), undefined],
};

/** ReduceMin before opset 18, with `axes` as an attribute. */
export const ReduceMinV1: VjpRule = {
  op: 'ReduceMin',
  since: 1,
  until: 17,
  samples: EXTREMUM_AXES_ATTRIBUTE_SAMPLES,
  vjp: (ctx) => [reduceExtremumVjp(ctx, 18)],
};

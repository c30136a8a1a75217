import type { VjpRule } from '../rule';
import { reduceBackward } from '../reduce-backward';
import { ATTRIBUTE_AXES_SAMPLES, INPUT_AXES_SAMPLES } from './ReduceSum';

/** y = mean_axes x  ⇒  x̄ = broadcast(ȳ / n). Opset 18 moved `axes` to an input (and added noop_with_empty_axes). */
export const ReduceMean: VjpRule = {
  op: 'ReduceMean',
  since: 18,
  samples: INPUT_AXES_SAMPLES,
  vjp: (ctx) => [reduceBackward(ctx, 18, true), undefined],
};

/** ReduceMean before opset 18, with `axes` as an attribute. */
export const ReduceMeanV1: VjpRule = {
  op: 'ReduceMean',
  since: 1,
  until: 17,
  samples: ATTRIBUTE_AXES_SAMPLES,
  vjp: (ctx) => [reduceBackward(ctx, 18, true)],
};

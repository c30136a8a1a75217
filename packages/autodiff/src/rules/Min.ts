import type { VjpRule } from '../rule';
import { EXTREMUM_SAMPLES, extremumVjp } from './Max';

/** y = min(x₁, …, xₙ) elementwise with broadcasting (opset 8 on); ties split the cotangent equally. */
export const Min: VjpRule = {
  op: 'Min',
  since: 8,
  samples: EXTREMUM_SAMPLES,
  vjp: extremumVjp,
};

import { defineOp } from '../op-definition';
import { arithmeticShape } from '../shape-families';
import { EXTREMUM_SAMPLES, extremumVjp } from './Max';

/** y = min(x₁, …, xₙ) elementwise with broadcasting (opset 8 on); ties split the cotangent equally. */
export const Min = defineOp({
  op: 'Min',
  shape: arithmeticShape({ value: Math.min }),
  vjp: [
    {
      since: 8,
      samples: EXTREMUM_SAMPLES,
      vjp: extremumVjp,
    },
  ],
});

import { defineOp } from '../op-definition';
import { arithmeticShape } from '../shape-families';

/** y = x₁ + … + xₙ with broadcasting: imported and run, not differentiated. */
export const Sum = defineOp({ op: 'Sum', shape: arithmeticShape() });

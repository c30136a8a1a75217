import { defineOp } from '../op-definition';
import { arithmeticShape } from '../shape-families';

/** y = (x₁ + … + xₙ)/n with broadcasting: imported and run, not differentiated. */
export const Mean = defineOp({ op: 'Mean', shape: arithmeticShape() });

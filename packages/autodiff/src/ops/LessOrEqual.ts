import { defineOp } from '../op-definition';
import { comparisonShape } from '../shape-families';

/** y = a ≤ b with broadcasting, a bool output (shape computations only). */
export const LessOrEqual = defineOp({ op: 'LessOrEqual', shape: comparisonShape });

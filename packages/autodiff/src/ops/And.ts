import { defineOp } from '../op-definition';
import { comparisonShape } from '../shape-families';

/** y = a ∧ b with broadcasting, a bool output (shape computations only). */
export const And = defineOp({ op: 'And', shape: comparisonShape });

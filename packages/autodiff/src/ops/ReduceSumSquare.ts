import { defineOp } from '../op-definition';
import { reduceShape } from '../shape-families';

/** y = Σ x² over `axes` (an input from opset 18): imported and run, not differentiated. */
export const ReduceSumSquare = defineOp({ op: 'ReduceSumSquare', shape: reduceShape(18) });

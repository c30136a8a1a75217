import { defineOp } from '../op-definition';
import { reduceShape } from '../shape-families';

/** y = Σ |x| over `axes` (an input from opset 18): imported and run, not differentiated. */
export const ReduceL1 = defineOp({ op: 'ReduceL1', shape: reduceShape(18) });

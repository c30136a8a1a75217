import { defineOp } from '../op-definition';
import { reduceShape } from '../shape-families';

/** y = log Σ eˣ over `axes` (an input from opset 18): imported and run, not differentiated. */
export const ReduceLogSumExp = defineOp({ op: 'ReduceLogSumExp', shape: reduceShape(18) });

import { defineOp } from '../op-definition';
import { reduceShape } from '../shape-families';

/** y = Π over `axes` (an input from opset 18): imported and run, not differentiated. */
export const ReduceProd = defineOp({ op: 'ReduceProd', shape: reduceShape(18) });

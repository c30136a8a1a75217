import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** y = cos x (elementwise): imported and run, not differentiated. */
export const Cos = defineOp({ op: 'Cos', shape: sameType });

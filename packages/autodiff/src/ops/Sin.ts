import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** y = sin x (elementwise): imported and run, not differentiated. */
export const Sin = defineOp({ op: 'Sin', shape: sameType });

import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** y = ⌊x⌋ (elementwise): imported and run, not differentiated (its derivative is zero almost everywhere). */
export const Floor = defineOp({ op: 'Floor', shape: sameType });

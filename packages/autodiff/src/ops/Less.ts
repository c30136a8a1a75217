import { defineOp } from '../op-definition';
import { comparisonShape } from '../shape-families';
import { BINARY_SAMPLES } from './Add';

/** `Less` has a bool output: no cotangent flows back through it. */
export const Less = defineOp({
  op: 'Less',
  shape: comparisonShape,
  vjp: [
    {
      since: 7,
      samples: BINARY_SAMPLES,
      vjp: () => [undefined, undefined],
    },
  ],
});

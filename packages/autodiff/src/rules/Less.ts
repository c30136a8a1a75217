import type { VjpRule } from '../rule';
import { BINARY_SAMPLES } from './Add';

/** `Less` has a bool output: no cotangent flows back through it. */
export const Less: VjpRule = {
  op: 'Less',
  since: 7,
  samples: BINARY_SAMPLES,
  vjp: () => [undefined, undefined],
};

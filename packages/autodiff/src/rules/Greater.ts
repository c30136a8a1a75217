import type { VjpRule } from '../rule';
import { BINARY_SAMPLES } from './Add';

/** `Greater` has a bool output: no cotangent flows back through it. */
export const Greater: VjpRule = {
  op: 'Greater',
  since: 7,
  samples: BINARY_SAMPLES,
  vjp: () => [undefined, undefined],
};

import type { VjpRule } from '../rule';
import { BINARY_SAMPLES } from './Add';

/** `Equal` has a bool output: no cotangent flows back through it. */
export const Equal: VjpRule = {
  op: 'Equal',
  since: 7,
  samples: BINARY_SAMPLES,
  vjp: () => [undefined, undefined],
};

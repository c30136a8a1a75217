import type { VjpRule } from '../rule';

/** `Shape` has an int64 output: no cotangent flows back through it. */
export const Shape: VjpRule = {
  op: 'Shape',
  since: 1,
  samples: [{ label: 'matrix', inputs: [{ float: [2, 3] }] }],
  vjp: () => [undefined],
};

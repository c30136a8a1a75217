import type { VjpRule } from '../rule';

/** y = sign x is piecewise constant: its derivative is 0 wherever it exists, so x gets no cotangent. */
export const Sign: VjpRule = {
  op: 'Sign',
  since: 9,
  samples: [{ label: 'vector', inputs: [{ float: [5], range: [0.2, 1.5], signed: true }] }],
  vjp: () => [undefined],
};

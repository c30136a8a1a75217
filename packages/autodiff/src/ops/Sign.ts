import { defineOp } from '../op-definition';
import { sameType } from '../shape-families';

/** y = sign x is piecewise constant: its derivative is 0 wherever it exists, so x gets no cotangent. */
export const Sign = defineOp({
  op: 'Sign',
  shape: sameType,
  vjp: [
    {
      since: 9,
      samples: [{ label: 'vector', inputs: [{ float: [5], range: [0.2, 1.5], signed: true }] }],
      vjp: () => [undefined],
    },
  ],
});

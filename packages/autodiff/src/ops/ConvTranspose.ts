import { defineOp } from '../op-definition';

/** The transposed convolution: only its float64 status is known (no shape rule, no VJP). */
export const ConvTranspose = defineOp({
  op: 'ConvTranspose',
  float64: { reason: 'no float64 kernel at any opset; run in float32' },
});

import { defineOp } from '../op-definition';

/** One-hot encoding: only its float64 status is known (no shape rule, no VJP). */
export const OneHot = defineOp({
  op: 'OneHot',
  float64: { reason: 'no float64 kernel; Cast(Equal(indices, arange)) is the float64 equivalent' },
});

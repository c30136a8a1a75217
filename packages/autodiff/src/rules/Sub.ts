import type { VjpRule } from '../rule';
import { BINARY_SAMPLES } from './Add';

/** y = a − b  ⇒  ā = ȳ, b̄ = −ȳ. */
export const Sub: VjpRule = {
  op: 'Sub',
  since: 7,
  samples: BINARY_SAMPLES,
  vjp: (ctx) => [() => ctx.g, () => ctx.e.op('Neg', [ctx.g])],
};

import type { Oracle } from '@biaslab/core';
import { l2Norm } from './vector-norm';

/**
 * k steps of power iteration on the Hessian at θ, from a unit start vector: v ← Hv/‖Hv‖. Returns
 * S = ‖Hv‖ for the last input v (a lower bound on max |λ| that tends to it) and the last direction, to
 * warm-start the next call. Uses k Hessian-vector products.
 */
export async function powerIteration(
  oracle: Oracle,
  theta: Float64Array,
  start: Float64Array,
  iterations: number,
): Promise<{ sharpness: number; direction: Float64Array }> {
  let v = start;
  let sharpness = 0;
  for (let k = 0; k < iterations; k++) {
    const hv = await oracle.hvp(theta, v);
    sharpness = l2Norm(hv);
    if (!(sharpness > 0) || !Number.isFinite(sharpness)) return { sharpness, direction: v };
    const next = new Float64Array(hv.length);
    // v ← Hv / ‖Hv‖
    for (let i = 0; i < hv.length; i++) next[i] = hv[i] / sharpness;
    v = next;
  }
  return { sharpness, direction: v };
}

import type { Rng } from '@biaslab/core';

/**
 * PyTorch's default initialisation of `nn.Linear`: weight and bias ~ U(−1/√fan_in, 1/√fan_in).
 * (For the weight this is what `kaiming_uniform_(a=√5)` reduces to: gain √(2/(1+5)) times √(3/fan_in).)
 * Draws `size` values from `rng`.
 */
export function linearUniform(rng: Rng, fanIn: number, size: number): Float64Array {
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.uniformIn(-bound, bound);
  return out;
}

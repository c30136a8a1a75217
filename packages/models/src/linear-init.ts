import type { Rng } from '@biaslab/core';

/**
 * PyTorch's default initialisation of `nn.Linear` and `nn.Conv2d`: weight and bias ~ U(−1/√fan_in, 1/√fan_in)
 * (fan_in = in_features, or in_channels·k_h·k_w for a convolution). For the weight this is what
 * `kaiming_uniform_(a=√5)` reduces to: gain √(2/(1+5)) times √(3/fan_in). Draws `size` values from `rng`.
 */
export function linearUniform(rng: Rng, fanIn: number, size: number): Float64Array {
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.uniformIn(-bound, bound);
  return out;
}

/** `size` i.i.d. draws of N(0, std²). */
export function gaussian(rng: Rng, std: number, size: number): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = std * rng.normal();
  return out;
}

/** A Float64Array of `size` copies of `value` (BatchNorm / LayerNorm γ = 1, β = 0). */
export function filled(value: number, size: number): Float64Array {
  return new Float64Array(size).fill(value);
}

/**
 * Feature standardisation with statistics of the training split only: x ← (x − μ) / σ with population moments
 * over the training samples, pooled per feature (`per-pixel`), per channel (`per-channel`: every pixel of a
 * colour plane shares μ, σ) or over everything (`global`). A group with σ = 0 (a pixel that is constant on the
 * training set, e.g. MNIST's border) is only centred, so no value becomes infinite. The test split is
 * transformed with the same μ, σ, so its mean is not zero in general.
 */
export type Standardization = 'per-pixel' | 'per-channel' | 'global' | 'none';

/** Per-feature μ and σ (σ = 1 where the training data are constant). */
export interface FeatureStatistics {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

/**
 * Training statistics of `x` ([n, features] row-major) for `mode`; `channels` splits the features into that
 * many equal contiguous planes for `per-channel` ([C, H, W] order). Returns undefined for `none`.
 */
export function trainingStatistics(
  x: Float64Array,
  n: number,
  features: number,
  mode: Standardization,
  channels = 1,
): FeatureStatistics | undefined {
  if (mode === 'none') return undefined;
  const groups = mode === 'per-pixel' ? features : mode === 'per-channel' ? channels : 1;
  const perGroup = features / groups;
  const groupOf = (f: number): number =>
    mode === 'per-pixel' ? f : mode === 'per-channel' ? Math.floor(f / perGroup) : 0;
  const sum = new Float64Array(groups);
  for (let s = 0; s < n; s++) for (let f = 0; f < features; f++) sum[groupOf(f)] += x[s * features + f];
  const count = n * perGroup;
  const mu = sum.map((v) => v / count);
  // Two passes: Σ(x − μ)² avoids the cancellation of Σx² − nμ².
  const squares = new Float64Array(groups);
  for (let s = 0; s < n; s++) {
    for (let f = 0; f < features; f++) {
      const d = x[s * features + f] - mu[groupOf(f)];
      squares[groupOf(f)] += d * d;
    }
  }
  const sigma = squares.map((v) => {
    const sd = Math.sqrt(v / count);
    return sd > 1e-12 ? sd : 1;
  });
  const mean = new Float64Array(features);
  const std = new Float64Array(features);
  for (let f = 0; f < features; f++) {
    mean[f] = mu[groupOf(f)];
    std[f] = sigma[groupOf(f)];
  }
  return { mean, std };
}

/** Applies x ← (x − μ) / σ in place to [n, features] rows. */
export function applyStatistics(x: Float64Array, n: number, stats: FeatureStatistics): void {
  const features = stats.mean.length;
  for (let s = 0; s < n; s++) {
    for (let f = 0; f < features; f++) {
      const i = s * features + f;
      x[i] = (x[i] - stats.mean[f]) / stats.std[f];
    }
  }
}

/** A short statement of the statistics for provenance strings. */
export function describeStatistics(
  mode: Standardization,
  stats: FeatureStatistics | undefined,
  channels = 1,
): string {
  if (!stats) return 'no standardisation';
  if (mode === 'per-pixel') return 'standardised per pixel with training-split statistics';
  const step = stats.mean.length / (mode === 'global' ? 1 : channels);
  const parts = Array.from(
    { length: mode === 'global' ? 1 : channels },
    (_, c) => `μ=${stats.mean[c * step].toPrecision(6)} σ=${stats.std[c * step].toPrecision(6)}`,
  );
  return `standardised ${mode} with training-split statistics (${parts.join('; ')})`;
}

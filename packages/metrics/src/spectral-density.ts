import { BiaslabError } from '@biaslab/core';
import type { Rng } from '@biaslab/core';
import { lanczosTridiagonal, symmetricTridiagonalEigen } from '@biaslab/linalg';
import type { LinearOperator } from '@biaslab/linalg';
import { normalCdf } from './normal-cdf';

/** Options of {@link spectralDensity}. */
export interface SpectralDensityOptions {
  /** Random probe vectors (independent Lanczos runs). */
  readonly probes: number;
  /** Lanczos steps per probe (quadrature nodes per probe; capped at n). */
  readonly steps: number;
  /** Seeded source of the Rademacher probes. */
  readonly rng: Rng;
}

/** A discrete spectral measure Σ_k w_k δ(t − t_k) with Σ w_k = 1: the SLQ estimate of the spectral density. */
export interface SpectralDensity {
  /** Quadrature nodes t_k (Ritz values of every probe), probe by probe. */
  readonly nodes: Float64Array;
  /** Weights w_k ≥ 0 summing to 1. */
  readonly weights: Float64Array;
  /** Smallest and largest node: Ritz values, so inside [λ_min, λ_max] and converging to them fast. */
  readonly min: number;
  readonly max: number;
  /** Mean Σ w_k t_k: the Hutchinson estimate of tr(A)/n from the same probes. */
  readonly mean: number;
  readonly probes: number;
  /** Operator products used. */
  readonly hvps: number;
}

/**
 * Stochastic Lanczos quadrature for the spectral density φ(t) = (1/n) Σᵢ δ(t − λᵢ) of a symmetric operator
 * (Golub & Meurant 1994; Ubaru, Chen & Saad 2017; Ghorbani, Krishnan & Xiao 2019). For each Rademacher probe
 * v_l/√n, m Lanczos steps give T_m = Y diag(θ) Yᵀ, and vᵀ f(A) v / n ≈ Σ_k τ_k f(θ_k) with τ_k = Y_{1k}²
 * (Gauss quadrature, exact for polynomials of degree < 2m). Averaging over the probes:
 *     φ ≈ (1/n_v) Σ_l Σ_k τ_k^{(l)} δ(t − θ_k^{(l)}).
 * Each probe's weights sum to 1, so the measure has total mass 1, and its mean is (1/n_v) Σ_l α₁^{(l)} =
 * (1/n_v) Σ_l v_lᵀAv_l / n, Hutchinson's estimate of tr(A)/n.
 */
export async function spectralDensity(
  op: LinearOperator,
  n: number,
  options: SpectralDensityOptions,
): Promise<SpectralDensity> {
  const { probes, steps, rng } = options;
  if (
    !Number.isInteger(n) ||
    n < 1 ||
    !Number.isInteger(probes) ||
    probes < 1 ||
    !Number.isInteger(steps) ||
    steps < 1
  ) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `spectralDensity: \`n\`, \`probes\` and \`steps\` must be positive integers, received \`${n}\`, \`${probes}\`, \`${steps}\`.`,
    );
  }
  const nodes: number[] = [];
  const weights: number[] = [];
  let hvps = 0;
  for (let l = 0; l < probes; l++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = rng.sign();
    const t = await lanczosTridiagonal(op, n, v, steps);
    hvps += t.hvps;
    const eig = symmetricTridiagonalEigen(t.alpha, t.beta, { vectors: true });
    const m = t.alpha.length;
    const vectors = eig.vectors as Float64Array;
    for (let k = 0; k < m; k++) {
      nodes.push(eig.values[k]);
      // τ_k = (first component of the k-th eigenvector of T_m)²
      weights.push(vectors[k * m] ** 2 / probes);
    }
  }
  let mean = 0;
  for (let k = 0; k < nodes.length; k++) mean += weights[k] * nodes[k];
  return {
    nodes: Float64Array.from(nodes),
    weights: Float64Array.from(weights),
    min: Math.min(...nodes),
    max: Math.max(...nodes),
    mean,
    probes,
    hvps,
  };
}

/** A histogram of a spectral measure: `bins` equal bins with centers and densities (mass / bin width). */
export interface DensityHistogram {
  readonly centers: Float64Array;
  /** Density per bin; Σ density·width = total mass (1 for an SLQ measure). */
  readonly density: Float64Array;
  /** Bin width. */
  readonly width: number;
  /** Absolute smoothing width used (σ_rel · (max − min)). */
  readonly sigma: number;
}

/**
 * Bins a discrete measure Σ w_k δ(t − t_k) after Gaussian smoothing with standard deviation σ = σ_rel·(max − min)
 * (Ghorbani et al. 2019 smooth the same way): bin i receives w_k·(Φ((b_i − t_k)/σ) − Φ((a_i − t_k)/σ)) from each
 * node, over [min − 3σ, max + 3σ] split into `bins` equal bins, with the two Gaussian tails folded into the end
 * bins so no mass is lost. σ_rel = 0 puts each node's mass in the bin containing it.
 */
export function densityHistogram(
  measure: Pick<SpectralDensity, 'nodes' | 'weights'>,
  bins: number,
  sigmaRelative: number,
): DensityHistogram {
  if (!Number.isInteger(bins) || bins < 1 || !(sigmaRelative >= 0) || measure.nodes.length === 0) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `densityHistogram: expected \`bins\` ≥ 1, \`sigma\` ≥ 0 and a non-empty measure, received \`${bins}\`, \`${sigmaRelative}\`, ${measure.nodes.length} nodes.`,
    );
  }
  const { nodes, weights } = measure;
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of nodes) {
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  const spread = hi - lo;
  const sigma = sigmaRelative * spread;
  // A single point (or a zero-width smoothing of one): a window of ±½·max(|t|, 1) around it.
  const pad = spread > 0 ? 3 * sigma : 0.5 * Math.max(Math.abs(lo), 1);
  const start = lo - pad;
  const width = (hi + pad - start) / bins;
  const mass = new Float64Array(bins);
  for (let k = 0; k < nodes.length; k++) {
    if (sigma > 0) {
      // Telescoping differences of Φ at the inner edges: the masses of one node sum to w_k exactly.
      let previous = 0;
      for (let i = 0; i < bins; i++) {
        const edge = i === bins - 1 ? 1 : normalCdf((start + (i + 1) * width - nodes[k]) / sigma);
        mass[i] += weights[k] * (edge - previous);
        previous = edge;
      }
    } else {
      const i = Math.min(bins - 1, Math.max(0, Math.floor((nodes[k] - start) / width)));
      mass[i] += weights[k];
    }
  }
  return {
    centers: Float64Array.from({ length: bins }, (_, i) => start + (i + 0.5) * width),
    density: mass.map((m) => m / width),
    width,
    sigma,
  };
}

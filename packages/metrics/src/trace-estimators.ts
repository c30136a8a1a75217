import { BiaslabError } from '@biaslab/core';
import type { Rng } from '@biaslab/core';
import { dot } from '@biaslab/linalg';
import type { LinearOperator } from '@biaslab/linalg';

/** A stochastic trace estimate. */
export interface TraceEstimate {
  /** The estimate of tr(A). */
  readonly trace: number;
  /**
   * Standard error of the estimate: the sample standard deviation of the random quadratic forms / √(probes)
   * (NaN with a single probe). For Hutch++ it is conditional on the sketch (the deflated part is exact).
   */
  readonly stderr: number;
  /** Random probe vectors in the Hutchinson part. */
  readonly probes: number;
  /** Operator products used in all. */
  readonly hvps: number;
}

/** Options of {@link hutchinson} and {@link hutchPlusPlus}. */
export interface TraceOptions {
  /** Hutchinson: probe vectors (= products). Hutch++: the whole product budget m (≥ 3). */
  readonly probes: number;
  /** Seeded source of the Rademacher probes. */
  readonly rng: Rng;
}

/**
 * Hutchinson's estimator (Hutchinson 1989): tr(A) ≈ (1/m) Σ_l z_lᵀ A z_l with i.i.d. Rademacher z_l
 * (entries ±1), unbiased with variance 2(‖A‖_F² − Σᵢ A_ii²)/m. The standard error is the sample standard
 * deviation of the m quadratic forms over √m.
 */
export async function hutchinson(
  op: LinearOperator,
  n: number,
  options: TraceOptions,
): Promise<TraceEstimate> {
  check(n, options.probes, 1, 'hutchinson');
  const samples: number[] = [];
  for (let l = 0; l < options.probes; l++) {
    const z = rademacher(n, options.rng);
    samples.push(dot(z, await apply(op, z, n)));
  }
  const { mean, stderr } = meanAndStderr(samples);
  return { trace: mean, stderr, probes: samples.length, hvps: samples.length };
}

/**
 * Hutch++ (Meyer, Musco, Musco & Woodruff 2021) with a budget of m products: draw s = ⌊m/3⌋ Rademacher
 * vectors S, orthonormalise Q = orth(AS), and estimate
 *     tr(A) ≈ tr(QᵀAQ) + (1/g) Σ_l z_lᵀ (I − QQᵀ) A (I − QQᵀ) z_l,   g = m − 2s Rademacher z_l.
 * The sketch captures the dominant eigenspace exactly, so for a matrix whose trace is carried by a few large
 * eigenvalues the remaining Hutchinson part has a far smaller variance (error O(1/m) instead of O(1/√m) for
 * PSD A). Columns of AS that are numerically dependent are dropped, so fewer than m products may be used.
 */
export async function hutchPlusPlus(
  op: LinearOperator,
  n: number,
  options: TraceOptions,
): Promise<TraceEstimate> {
  check(n, options.probes, 3, 'hutch++');
  const s = Math.floor(options.probes / 3);
  const g = options.probes - 2 * s;
  let hvps = 0;
  const q: Float64Array[] = [];
  let largest = 0;
  for (let j = 0; j < s; j++) {
    const y = await apply(op, rademacher(n, options.rng), n);
    hvps++;
    const norm0 = Math.sqrt(dot(y, y));
    largest = Math.max(largest, norm0);
    // Gram–Schmidt twice against the basis so far.
    for (let pass = 0; pass < 2; pass++) project(q, y);
    const norm = Math.sqrt(dot(y, y));
    if (norm > 1e-12 * largest && norm > 0) q.push(y.map((x) => x / norm));
  }
  let exact = 0;
  for (const qi of q) {
    exact += dot(qi, await apply(op, qi, n));
    hvps++;
  }
  const samples: number[] = [];
  for (let l = 0; l < g; l++) {
    const z = rademacher(n, options.rng);
    for (let pass = 0; pass < 2; pass++) project(q, z);
    const az = await apply(op, z, n);
    hvps++;
    // (I − QQᵀ) is symmetric and idempotent: zᵀ(I−QQᵀ)A(I−QQᵀ)z = z̃ᵀ A z̃ with z̃ = (I − QQᵀ)z.
    samples.push(dot(z, az));
  }
  const { mean, stderr } = meanAndStderr(samples);
  return { trace: exact + mean, stderr, probes: g, hvps };
}

function meanAndStderr(samples: readonly number[]): { mean: number; stderr: number } {
  const m = samples.length;
  const mean = samples.reduce((a, b) => a + b, 0) / m;
  if (m < 2) return { mean, stderr: Number.NaN };
  let ss = 0;
  for (const x of samples) ss += (x - mean) ** 2;
  return { mean, stderr: Math.sqrt(ss / (m - 1) / m) };
}

function rademacher(n: number, rng: Rng): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = rng.sign();
  return z;
}

/** y ← (I − QQᵀ) y */
function project(q: readonly Float64Array[], y: Float64Array): void {
  const coefficients = q.map((qi) => dot(qi, y));
  for (let i = 0; i < q.length; i++) {
    const c = coefficients[i];
    const qi = q[i];
    for (let k = 0; k < y.length; k++) y[k] -= c * qi[k];
  }
}

async function apply(op: LinearOperator, v: Float64Array, n: number): Promise<Float64Array> {
  const out = await op(v);
  if (out.length !== n || !out.every(Number.isFinite)) {
    throw new BiaslabError(
      'RUNTIME',
      `Trace estimator: the operator returned ${out.length !== n ? `\`${out.length}\` entries for \`${n}\`` : 'a non-finite entry'}; ` +
        'expected a finite vector of the same length. Check that θ has not diverged.',
    );
  }
  return out;
}

function check(n: number, probes: number, least: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `${what}: the order \`n\` must be a positive integer, received \`${n}\`.`,
    );
  }
  if (!Number.isInteger(probes) || probes < least) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `${what}: \`probes\` must be an integer ≥ ${least}, received \`${probes}\`.${least === 3 ? ' Hutch++ splits its budget in three.' : ''}`,
    );
  }
}

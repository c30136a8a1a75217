import { BiaslabError } from '@biaslab/core';

// The eigenproblem of a diagonal matrix plus a rank-one update, D + ρzzᵀ: the merge step of divide and conquer.

const EPS = Number.EPSILON;
const MAX_ITERATIONS = 200;

/**
 * Eigenvalues (ascending) and unit eigenvectors (one per row of the k × k `vectors`) of D + ρzzᵀ, for
 * d₀ < d₁ < … < d_{k−1} strictly increasing, every z_j ≠ 0 and ρ > 0 (what deflation leaves).
 *
 * The eigenvalues are the roots of the secular equation f(λ) = 1/ρ + Σ_j z_j²/(d_j − λ) = 0, one in each
 * (d_i, d_{i+1}) and the last in (d_{k−1}, d_{k−1} + ρzᵀz) (Golub 1973; Bunch, Nielsen & Sorensen 1978), each
 * found as an offset τ from its nearer pole so that every d_j − λ_i is accurate to a few ulps (see
 * {@link secularRoot}). The eigenvectors come from Gu & Eisenstat (1994): the ẑ for which the computed λ are the
 * exact eigenvalues of D + ρẑẑᵀ, ẑ_j² = Π_i (λ_i − d_j) / (ρ Π_{i≠j} (d_i − d_j)), then u_i ∝ (D − λ_i)⁻¹ẑ —
 * numerically orthogonal however close the λ_i are, without reorthogonalisation.
 */
export function rankOneUpdateEigen(
  d: Float64Array,
  z: Float64Array,
  rho: number,
): { values: Float64Array; vectors: Float64Array } {
  const k = d.length;
  const values = new Float64Array(k);
  // delta[i·k + j] = d_j − λ_i, then u_i[j]
  const delta = new Float64Array(k * k);
  const shift = new Float64Array(k);
  for (let i = 0; i < k; i++)
    values[i] = secularRoot(d, z, rho, i, shift, delta.subarray(i * k, (i + 1) * k));
  // ẑ_j² ∝ −Π_i (d_j − λ_i) / Π_{i≠j} (d_j − d_i), one ratio per factor so nothing overflows
  const zHat = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let w = delta[j * k + j];
    for (let i = 0; i < k; i++) if (i !== j) w *= delta[i * k + j] / (d[j] - d[i]);
    zHat[j] = Math.sign(z[j]) * Math.sqrt(Math.max(-w, 0));
  }
  for (let i = 0; i < k; i++) {
    const row = i * k;
    let ssq = 0;
    for (let j = 0; j < k; j++) {
      const u = zHat[j] / delta[row + j];
      delta[row + j] = u;
      ssq += u * u;
    }
    const scale = 1 / Math.sqrt(ssq);
    for (let j = 0; j < k; j++) delta[row + j] *= scale;
  }
  return { values, vectors: delta };
}

/**
 * The i-th root λ_i of 1/ρ + Σ_j z_j²/(d_j − λ) = 0; writes d_j − λ_i into `delta` (length k), using `shift`
 * (length k) as scratch.
 *
 * λ = d_o + τ with the origin d_o the pole nearer the root (decided by the sign of f at the interval's middle),
 * so τ and every d_j − λ = (d_j − d_o) − τ keep full relative accuracy. τ is kept in a bracket where f changes
 * sign and refined by the "middle way" of Li (1993): f is modelled near τ by c + S_l/(d_l − λ) + S_r/(d_r − λ),
 * the two poles around the root kept exact and the rest of each side's sum frozen to a constant matching its
 * value and slope; the model's root (a quadratic) is the next τ, or the bracket's middle when it falls
 * outside. Stops when |f| is below its rounding-error bound or the bracket is a few ulps wide.
 */
function secularRoot(
  d: Float64Array,
  z: Float64Array,
  rho: number,
  i: number,
  shift: Float64Array,
  delta: Float64Array,
): number {
  const k = d.length;
  if (k === 1) {
    delta[0] = -rho * z[0] * z[0];
    return d[0] + rho * z[0] * z[0];
  }
  const inv = 1 / rho;
  const last = i === k - 1;
  // the poles the model keeps: l (left) and r = l + 1
  const l = last ? k - 2 : i;
  const r = l + 1;
  let origin: number;
  let lo: number;
  let hi: number;
  if (last) {
    let zz = 0;
    for (let j = 0; j < k; j++) zz += z[j] * z[j];
    origin = k - 1;
    lo = 0;
    hi = rho * zz;
  } else {
    const half = (d[i + 1] - d[i]) / 2;
    let f = inv;
    for (let j = 0; j < k; j++) f += (z[j] * z[j]) / (d[j] - d[i] - half);
    if (f >= 0) {
      origin = i;
      lo = 0;
      hi = half;
    } else {
      origin = i + 1;
      lo = -half;
      hi = 0;
    }
  }
  const dOrigin = d[origin];
  for (let j = 0; j < k; j++) shift[j] = d[j] - dOrigin;
  // start at the bracket's end away from the origin, where f's sign is known
  let tau = origin === i ? hi : lo;
  for (let iteration = 0; ; iteration++) {
    // f = 1/ρ + ψ + φ, ψ over j ≤ l, φ over j ≥ r; slopes ψ′, φ′ (d/dλ of z²/(d − λ) is z²/(d − λ)²)
    let psi = 0;
    let dPsi = 0;
    let phi = 0;
    let dPhi = 0;
    let absSum = 0;
    for (let j = 0; j < k; j++) {
      const dj = shift[j] - tau;
      delta[j] = dj;
      const t = (z[j] * z[j]) / dj;
      absSum += Math.abs(t);
      if (j <= l) {
        psi += t;
        dPsi += t / dj;
      } else {
        phi += t;
        dPhi += t / dj;
      }
    }
    const f = inv + psi + phi;
    // rounding error of f: each term a few ulps, plus the ulp of τ itself times the slope
    const bound = EPS * (2 * inv + 8 * absSum + 3 * Math.abs(tau) * (dPsi + dPhi));
    if (Math.abs(f) <= bound) return dOrigin + tau;
    if (f < 0) lo = tau;
    else hi = tau;
    if (hi - lo <= 4 * EPS * Math.max(Math.abs(lo), Math.abs(hi)) || iteration === MAX_ITERATIONS) {
      if (iteration === MAX_ITERATIONS) {
        throw new BiaslabError(
          'INTERNAL',
          `The secular equation of a rank-one update (root ${i} of ${k}) did not converge in ${MAX_ITERATIONS} iterations; expected quadratic convergence. Report the matrix.`,
        );
      }
      return dOrigin + tau;
    }
    const next = tau + middleWayStep(f, delta[l], delta[r], dPsi, dPhi, psi, phi, inv);
    tau = next > lo && next < hi ? next : (lo + hi) / 2;
  }
}

/**
 * The step η to the root of the model c + S_l/(Δ_l − η) + S_r/(Δ_r − η) of f at the current point, where
 * Δ = d − λ at the two kept poles, S_l = Δ_l²ψ′, S_r = Δ_r²φ′ and c = f − Δ_lψ′ − Δ_rφ′. Clearing denominators:
 * cη² − aη + b = 0 with a = c(Δ_l + Δ_r) + S_l + S_r and b = Δ_lΔ_r f. Of the two roots, the one of smaller
 * magnitude (the model's root near the current point, computed without cancellation); NaN when none exists.
 */
function middleWayStep(
  f: number,
  deltaL: number,
  deltaR: number,
  dPsi: number,
  dPhi: number,
  psi: number,
  phi: number,
  inv: number,
): number {
  // products ordered so that no intermediate leaves the range of the result (Δ² alone may underflow)
  const sL = deltaL * (deltaL * dPsi);
  const sR = deltaR * (deltaR * dPhi);
  // c from the frozen parts of both sums: 1/ρ + (ψ − Δ_lψ′) + (φ − Δ_rφ′)
  const c = inv + (psi - deltaL * dPsi) + (phi - deltaR * dPhi);
  const a = c * (deltaL + deltaR) + sL + sR;
  const b = deltaL * (deltaR * f);
  if (c === 0) return b / a;
  const disc = Math.sqrt(Math.max(a * a - 4 * b * c, 0));
  const q = 0.5 * (a + (a >= 0 ? disc : -disc));
  if (q === 0) return Number.NaN;
  const small = b / q;
  const large = q / c;
  return Math.abs(small) <= Math.abs(large) ? small : large;
}

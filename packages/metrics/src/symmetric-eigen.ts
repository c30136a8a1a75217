import { BiaslabError } from '@biaslab/core';

/** Eigen-decomposition of a symmetric matrix: A = V diag(values) Vᵀ. */
export interface SymmetricEigen {
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /**
   * Orthonormal eigenvectors, n × n row-major, one eigenvector per ROW: row k (`vectors.subarray(k·n, (k+1)·n)`)
   * belongs to `values[k]`.
   */
  readonly vectors: Float64Array;
}

/** Eigen-decomposition of a symmetric tridiagonal matrix (see {@link symmetricTridiagonalEigen}). */
export interface TridiagonalEigen {
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /** Last component of each eigenvector (`lastComponents[k]` for `values[k]`); always computed, O(k²). */
  readonly lastComponents: Float64Array;
  /** Eigenvectors one per row as in {@link SymmetricEigen}, when asked for. */
  readonly vectors?: Float64Array;
}

/** Sweeps on one eigenvalue before couplings below ε‖T‖ count as zero. */
const ABSOLUTE_TEST_AFTER = 8;
const MAX_SWEEPS_PER_VALUE = 60;

/**
 * Eigenvalues and eigenvectors of a dense symmetric n × n matrix (row-major Float64Array), in float64.
 *
 * Householder reduction to tridiagonal form T = Qᵀ A Q, then the implicit QL algorithm with Wilkinson shifts on
 * T, accumulating the rotations into Q (Golub & Van Loan, Matrix Computations, 4th ed., §8.3; Wilkinson &
 * Reinsch 1971). O(n³). Only the lower triangle is assumed symmetric to the upper one; symmetrise first when the
 * input may not be.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  if (!Number.isInteger(n) || n < 0 || a.length !== n * n) {
    throw new BiaslabError(
      'SHAPE',
      `symmetricEigen needs an n × n matrix: expected \`${n} × ${n} = ${n * n}\` entries, received \`${a.length}\`. ` +
        'Pass the matrix row-major with its order n.',
    );
  }
  assertFinite(a, 'symmetricEigen');
  const work = Float64Array.from(a);
  const qt = new Float64Array(n * n);
  const diag = new Float64Array(n);
  const off = new Float64Array(Math.max(n - 1, 0));
  householderTridiagonalise(work, n, qt, diag, off);
  return implicitQl(diag, off, qt, n);
}

/**
 * Eigenvalues (ascending) of the symmetric tridiagonal matrix with diagonal `alpha` (length k) and off-diagonal
 * `beta` (length k − 1), the last component of every eigenvector, and optionally all eigenvectors.
 *
 * Implicit QL with Wilkinson shifts (Golub & Van Loan §8.3). Rotations act on the columns of the accumulated
 * eigenvector matrix, so each of its rows evolves independently: tracking only the last row costs O(k) per
 * rotation sweep, which is what Lanczos needs for its residual estimates β_k·|y_k|.
 */
export function symmetricTridiagonalEigen(
  alpha: ArrayLike<number>,
  beta: ArrayLike<number>,
  options: { vectors?: boolean } = {},
): TridiagonalEigen {
  const k = alpha.length;
  if (beta.length < Math.max(k - 1, 0)) {
    throw new BiaslabError(
      'SHAPE',
      `symmetricTridiagonalEigen: expected \`${Math.max(k - 1, 0)}\` off-diagonal entries for a diagonal of ${k}, received \`${beta.length}\`.`,
    );
  }
  const diag = Float64Array.from(alpha);
  const off = new Float64Array(Math.max(k - 1, 0));
  for (let i = 0; i < off.length; i++) off[i] = beta[i];
  assertFinite(diag, 'symmetricTridiagonalEigen');
  assertFinite(off, 'symmetricTridiagonalEigen');
  if (options.vectors) {
    const identity = new Float64Array(k * k);
    for (let i = 0; i < k; i++) identity[i * k + i] = 1;
    const { values, vectors } = implicitQl(diag, off, identity, k);
    const lastComponents = new Float64Array(k);
    for (let j = 0; j < k; j++) lastComponents[j] = vectors[j * k + k - 1];
    return { values, lastComponents, vectors };
  }
  // Track only the last row of the eigenvector matrix: it starts as e_kᵀ.
  const lastRow = new Float64Array(k);
  if (k > 0) lastRow[k - 1] = 1;
  const { values, vectors } = implicitQl(diag, off, lastRow, k);
  return { values, lastComponents: vectors };
}

/**
 * Reduces the symmetric `a` (overwritten) to tridiagonal form by Householder reflections, a = Q T Qᵀ, writing
 * Qᵀ row-major into `qt` (row j = column j of Q), T's diagonal into `diag` and its sub-diagonal into `off`.
 */
function householderTridiagonalise(
  a: Float64Array,
  n: number,
  qt: Float64Array,
  diag: Float64Array,
  off: Float64Array,
): void {
  qt.fill(0);
  for (let i = 0; i < n; i++) qt[i * n + i] = 1;
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  const u = new Float64Array(n);
  for (let k = 0; k + 2 < n; k++) {
    // Reflect x = A[k+1:, k] onto −sign(x₀)‖x‖ e₁ with H = I − τ v vᵀ, v = x + sign(x₀)‖x‖ e₁.
    let scale = 0;
    for (let i = k + 1; i < n; i++) scale = Math.max(scale, Math.abs(a[i * n + k]));
    if (scale === 0) continue;
    let norm2 = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = a[i * n + k] / scale;
      norm2 += v[i] * v[i];
    }
    const x0 = v[k + 1];
    const alpha = (x0 >= 0 ? -1 : 1) * Math.sqrt(norm2);
    v[k + 1] = x0 - alpha;
    let vv = 0;
    for (let i = k + 1; i < n; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    const tau = 2 / vv;
    // p = τ A₂₂ v;  w = p − (τ/2)(pᵀv) v;  A₂₂ ← A₂₂ − v wᵀ − w vᵀ (a symmetric rank-2 update).
    let pv = 0;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += a[i * n + j] * v[j];
      p[i] = tau * s;
      pv += p[i] * v[i];
    }
    const half = 0.5 * tau * pv;
    for (let i = k + 1; i < n; i++) p[i] -= half * v[i];
    for (let i = k + 1; i < n; i++) {
      for (let j = k + 1; j < n; j++) a[i * n + j] -= v[i] * p[j] + p[i] * v[j];
    }
    a[(k + 1) * n + k] = alpha * scale;
    a[k * n + k + 1] = alpha * scale;
    for (let i = k + 2; i < n; i++) {
      a[i * n + k] = 0;
      a[k * n + i] = 0;
    }
    // Q ← Q H, i.e. Q[:, k+1:] −= τ (Q[:, k+1:] v) vᵀ, on Qᵀ so that every loop runs over contiguous rows.
    u.fill(0);
    for (let j = k + 1; j < n; j++) {
      const vj = v[j];
      const o = j * n;
      for (let r = 0; r < n; r++) u[r] += vj * qt[o + r];
    }
    for (let j = k + 1; j < n; j++) {
      const c = tau * v[j];
      const o = j * n;
      for (let r = 0; r < n; r++) qt[o + r] -= c * u[r];
    }
  }
  for (let i = 0; i < n; i++) diag[i] = a[i * n + i];
  for (let i = 0; i + 1 < n; i++) off[i] = a[(i + 1) * n + i];
}

/**
 * Implicit QL with Wilkinson shifts on the tridiagonal (diag, off), both overwritten. `zt` holds the transpose
 * of a `width` × n matrix Z (row j of `zt` = column j of Z) and receives the column rotations, so on return
 * it holds (Z·Y)ᵀ with Y the eigenvectors of T. Returns the eigenvalues ascending and the rows of (Z·Y)ᵀ in the
 * same order: with Z = Q that is one eigenvector of A per row; with Z = e_nᵀ (width 1) the last components.
 */
function implicitQl(
  diag: Float64Array,
  off: Float64Array,
  zt: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const width = n === 0 ? 0 : zt.length / n;
  const d = diag;
  // e[i] couples d[i] and d[i+1]; one extra zero slot simplifies the sweep.
  const e = new Float64Array(n + 1);
  e.set(off);
  // ‖T‖ bound: a coupling below ε‖T‖ is at the level of the tridiagonalisation's own backward error.
  let scale = 0;
  for (let i = 0; i < n; i++)
    scale = Math.max(scale, Math.abs(d[i]) + Math.abs(e[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0));
  for (let l = 0; l < n; l++) {
    let sweeps = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        // Relative test first (keeps small eigenvalues of graded matrices accurate); a block of numerically
        // zero eigenvalues never passes it, so after a few sweeps the absolute test ε‖T‖ splits it (Weyl: the
        // eigenvalues move by at most that much).
        if (Math.abs(e[m]) <= Number.EPSILON * dd) break;
        if (sweeps >= ABSOLUTE_TEST_AFTER && Math.abs(e[m]) <= Number.EPSILON * scale) break;
      }
      if (m === l) break;
      if (++sweeps > MAX_SWEEPS_PER_VALUE) {
        throw new BiaslabError(
          'INTERNAL',
          `Implicit QL did not converge for eigenvalue ${l} after ${MAX_SWEEPS_PER_VALUE} sweeps; the matrix may contain extreme values.`,
        );
      }
      // Wilkinson shift from the leading 2 × 2 block.
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // Underflow: the matrix splits here; restart the sweep on the smaller block.
          d[i + 1] -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        // Rotate columns i and i+1 of Z (rows of zt).
        const oi = i * width;
        const oi1 = oi + width;
        for (let r = 0; r < width; r++) {
          const zi1 = zt[oi1 + r];
          const zi = zt[oi + r];
          zt[oi1 + r] = s * zi + c * zi1;
          zt[oi + r] = c * zi - s * zi1;
        }
      }
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(width * n);
  for (let j = 0; j < n; j++) {
    values[j] = d[order[j]];
    vectors.set(zt.subarray(order[j] * width, (order[j] + 1) * width), j * width);
  }
  return { values, vectors };
}

function assertFinite(values: Float64Array, where: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new BiaslabError(
        'RUNTIME',
        `${where}: entry ${i} is \`${values[i]}\`; expected finite numbers. The parameters or the Hessian have diverged.`,
        { index: i },
      );
    }
  }
}

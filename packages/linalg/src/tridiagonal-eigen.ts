import { BiaslabError } from '@biaslab/core';
import { assertFinite } from './finite';

/** Eigen-decomposition of a symmetric tridiagonal matrix (see {@link symmetricTridiagonalEigen}). */
export interface TridiagonalEigen {
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /** Last component of each eigenvector (`lastComponents[k]` for `values[k]`); always computed, O(k²). */
  readonly lastComponents: Float64Array;
  /** Eigenvectors when asked for, k × k row-major, one per row: row j belongs to `values[j]`. */
  readonly vectors?: Float64Array;
}

/** Sweeps on one eigenvalue before couplings below ε‖T‖ count as zero. */
const ABSOLUTE_TEST_AFTER = 8;
const MAX_SWEEPS_PER_VALUE = 60;

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
 * Implicit QL with Wilkinson shifts on the tridiagonal (diag, off), both overwritten. `zt` holds the transpose
 * of a `width` × n matrix Z (row j of `zt` = column j of Z) and receives the column rotations, so on return
 * it holds (Z·Y)ᵀ with Y the eigenvectors of T. Returns the eigenvalues ascending and the rows of (Z·Y)ᵀ in the
 * same order: with Z = Q that is one eigenvector of A per row; with Z = e_nᵀ (width 1) the last components.
 */
export function implicitQl(
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


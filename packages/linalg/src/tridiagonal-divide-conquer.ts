import { mergeRankOne } from './rank-one-merge';
import { implicitQl } from './tridiagonal-eigen';

/** Blocks of at most this order are solved directly by implicit QL. */
const LEAF_ORDER = 32;

/**
 * Eigenvalues (ascending) and eigenvectors (one per row of the n × n `vectors`) of the symmetric tridiagonal
 * matrix T with diagonal `diag` and sub-diagonal `off` (neither modified), by divide and conquer (Cuppen 1981;
 * the stable form of Gu & Eisenstat 1995, as in LAPACK's dstedc).
 *
 * T splits at its middle coupling β into two halves and a rank-one correction,
 * T = diag(T₁ − |β|e_lastᵀ-corner, T₂ − |β|e_firstᵀ-corner) + |β|wwᵀ with w = e_{m−1} + sign(β)e_m; each half is
 * solved recursively (below {@link LEAF_ORDER} by implicit QL), and then T = B (D + ρzzᵀ) Bᵀ with B =
 * diag(Q₁, Q₂), z = Bᵀw/√2 and ρ = 2|β| — a diagonal-plus-rank-one problem, solved by `mergeRankOne`. Most of
 * the O(n³) work is the matrix product B·U of each merge, less where deflation removes columns.
 */
export function tridiagonalDivideConquer(
  diag: ArrayLike<number>,
  off: ArrayLike<number>,
): { values: Float64Array; vectors: Float64Array } {
  const n = diag.length;
  const d = Float64Array.from(diag);
  const e = Float64Array.from(off);
  // Scale T by a power of two (exact) to max |T_ij| ≈ 1: the secular equation's slopes Σ z²/(d − λ)² stay in
  // range (as LAPACK's dstedc does).
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(d[i]));
  for (let i = 0; i + 1 < n; i++) max = Math.max(max, Math.abs(e[i]));
  const exponent = max > 0 ? -Math.round(Math.log2(max)) : 0;
  scaleByPowerOfTwo(d, exponent);
  scaleByPowerOfTwo(e, exponent);
  // Rows are eigenvectors; the block of a sub-problem at [o, o+s) occupies rows and columns o…o+s−1.
  const vectors = new Float64Array(n * n);
  solve(d, e, vectors, n, 0, n);
  scaleByPowerOfTwo(d, -exponent);
  return { values: d, vectors };
}

/** x ← x·2^p in two halves, so that 2^p itself need not be representable. */
function scaleByPowerOfTwo(x: Float64Array, p: number): void {
  const first = 2 ** Math.trunc(p / 2);
  const second = 2 ** (p - Math.trunc(p / 2));
  for (let i = 0; i < x.length; i++) x[i] = x[i] * first * second;
}

/** Solves the block [o, o+s) of (d, e) in place: d ← its eigenvalues ascending, its rows of `zt` ← eigenvectors. */
function solve(d: Float64Array, e: Float64Array, zt: Float64Array, n: number, o: number, s: number): void {
  if (s <= LEAF_ORDER) {
    const identity = new Float64Array(s * s);
    for (let i = 0; i < s; i++) identity[i * s + i] = 1;
    const { values, vectors } = implicitQl(d.slice(o, o + s), e.slice(o, o + s - 1), identity, s);
    d.set(values, o);
    for (let r = 0; r < s; r++) zt.set(vectors.subarray(r * s, (r + 1) * s), (o + r) * n + o);
    return;
  }
  const n1 = s >> 1;
  const m = o + n1;
  const beta = e[m - 1];
  // T = diag(T₁′, T₂′) + |β| w wᵀ, w = e_{m−1} + sign(β) e_m: take |β| off the two corners it adds to
  d[m - 1] -= Math.abs(beta);
  d[m] -= Math.abs(beta);
  solve(d, e, zt, n, o, n1);
  solve(d, e, zt, n, m, s - n1);
  mergeRankOne(d, zt, n, o, n1, s, beta);
}

import type { HouseholderFactors } from './householder-tridiagonal';
import { multiply } from './matrix-multiply';

/** Reflectors applied together as one compact WY block. */
const BLOCK = 64;

/**
 * X ← X·Qᵀ in place for a `rows` × n row-major X and the factored Q of the blocked reduction: with X's rows the
 * eigenvectors of T (as rows), the result's rows are those of A = Q T Qᵀ. Qᵀ = diag(I, Q_Bᵀ) H_{s−1} ⋯ H_0, so
 * X is first multiplied by Q_Bᵀ on its last n − s columns, then by the reflectors from the last to the first,
 * {@link BLOCK} at a time in compact WY form (Schreiber & Van Loan 1989; LAPACK's dlarft/dlarfb):
 * H_k ⋯ H_{k+b−1} = I − V T Vᵀ with T upper triangular, so X·H_{k+b−1} ⋯ H_k = X − (X V) Tᵀ Vᵀ — two matrix
 * products instead of b rank-one updates. 2·rows·n² operations.
 */
export function applyQTransposeOnRight(x: Float64Array, rows: number, factors: HouseholderFactors): void {
  const { n, start, blockQt } = factors;
  const m = n - start;
  // X[:, s:] ← X[:, s:] · Q_Bᵀ
  const tail = new Float64Array(rows * m);
  multiply(rows, m, m, 1, { data: x, offset: start, stride: n }, { data: blockQt, offset: 0, stride: m }, 0, {
    data: tail,
    offset: 0,
    stride: m,
  });
  for (let r = 0; r < rows; r++) x.set(tail.subarray(r * m, (r + 1) * m), r * n + start);
  const xv = new Float64Array(rows * BLOCK);
  const xvt = new Float64Array(rows * BLOCK);
  for (let k0 = Math.floor((start - 1) / BLOCK) * BLOCK; k0 >= 0; k0 -= BLOCK) {
    const b = Math.min(BLOCK, start - k0);
    // Reflector k acts on indices k+1…n−1; the block's V spans columns k0+1…n−1 (width w).
    const w = n - k0 - 1;
    const v = panel(factors, k0, b);
    const t = triangularFactor(v, factors.taus, k0, b, w);
    const xView = { data: x, offset: k0 + 1, stride: n };
    // XV = X[:, k0+1:] Vᵀ-stored-by-rows; XVT = XV · Tᵀ; X[:, k0+1:] −= XVT · V
    multiply(rows, b, w, 1, xView, { data: v, offset: 0, stride: w, transposed: true }, 0, {
      data: xv,
      offset: 0,
      stride: b,
    });
    multiply(
      rows,
      b,
      b,
      1,
      { data: xv, offset: 0, stride: b },
      { data: t, offset: 0, stride: b, transposed: true },
      0,
      {
        data: xvt,
        offset: 0,
        stride: b,
      },
    );
    multiply(
      rows,
      w,
      b,
      -1,
      { data: xvt, offset: 0, stride: b },
      { data: v, offset: 0, stride: w },
      1,
      xView,
    );
  }
}

/**
 * The block's reflectors v_{k0} … v_{k0+b−1} as the rows of a b × (n − k0 − 1) matrix, zero before each start
 * (and zero for an identity step, whose row of `reflectors` was never overwritten).
 */
function panel(factors: HouseholderFactors, k0: number, b: number): Float64Array {
  const { n, reflectors, taus } = factors;
  const w = n - k0 - 1;
  const v = new Float64Array(b * w);
  for (let j = 0; j < b; j++) {
    const k = k0 + j;
    if (taus[k] === 0) continue;
    // v_k lives in row k, columns k+1…n−1 → panel columns j…w−1
    v.set(reflectors.subarray(k * n + k + 1, (k + 1) * n), j * w + j);
  }
  return v;
}

/**
 * The upper triangular T of H_{k0} ⋯ H_{k0+b−1} = I − V T Vᵀ (forward accumulation, LAPACK's dlarft):
 * T_jj = τ_j and T[0:j, j] = −τ_j T[0:j, 0:j] (V[:, 0:j]ᵀ v_j).
 */
function triangularFactor(
  v: Float64Array,
  taus: Float64Array,
  k0: number,
  b: number,
  w: number,
): Float64Array {
  const t = new Float64Array(b * b);
  const y = new Float64Array(b);
  for (let j = 0; j < b; j++) {
    const tau = taus[k0 + j];
    t[j * b + j] = tau;
    if (tau === 0) continue;
    const vj = j * w;
    // y_i = v_iᵀ v_j over the columns where v_j is nonzero (from j on)
    for (let i = 0; i < j; i++) {
      const vi = i * w;
      let s = 0;
      for (let c = j; c < w; c++) s += v[vi + c] * v[vj + c];
      y[i] = -tau * s;
    }
    for (let i = 0; i < j; i++) {
      let s = 0;
      for (let l = i; l < j; l++) s += t[i * b + l] * y[l];
      t[i * b + j] = s;
    }
  }
  return t;
}

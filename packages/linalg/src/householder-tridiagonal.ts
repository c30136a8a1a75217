import { applyQTransposeOnRight } from './householder-back-transform';
import { dot } from './vector-ops';
import { instantiateWasmKernels, type WasmKernels } from './wasm-instance';

/** T = QᵀAQ of a symmetric A: diagonal, sub-diagonal and (when asked for) Qᵀ. */
export interface Tridiagonalisation {
  /** T's diagonal (length n). */
  readonly diag: Float64Array;
  /** T's sub-diagonal (length n − 1, at least 0). */
  readonly off: Float64Array;
  /** Qᵀ, n × n row-major (row j = column j of Q), when asked for. */
  readonly qt?: Float64Array;
}

/**
 * Q of the blocked reduction in factored form: Qᵀ = diag(I, Q_Bᵀ) H_{s−1} ⋯ H_0 with H_k = I − τ_k v_k v_kᵀ
 * (s = `start`) and Q_B the last block's orthogonal factor.
 */
export interface HouseholderFactors {
  /** The order n of A. */
  readonly n: number;
  /** Row k (k < start) holds v_k in columns k+1…n−1 (v_k is zero before k+1); other entries are not v. */
  readonly reflectors: Float64Array;
  /** τ_k; 0 for an identity step. */
  readonly taus: Float64Array;
  /** The number s of blocked reflectors; the last block spans indices s…n−1. */
  readonly start: number;
  /** Q_Bᵀ, (n − s) × (n − s) row-major. */
  readonly blockQt: Float64Array;
}

/** Orders at or below which the reduction runs unblocked; a larger matrix's last block of this order too. */
export const UNBLOCKED_ORDER = 128;
/** Reflectors per panel of the blocked reduction. */
const PANEL = 32;

/**
 * Householder reduction of the symmetric n × n row-major `a` to tridiagonal form, A = Q T Qᵀ (Golub & Van Loan,
 * Matrix Computations, 4th ed., §8.3.1); `a` may be overwritten. Up to {@link UNBLOCKED_ORDER} the reduction is
 * the unblocked one, reading both triangles; above, panels of {@link PANEL} reflectors are built from the upper
 * triangle and applied to the trailing matrix as one symmetric rank-2·PANEL update (LAPACK's dsytrd/dlatrd
 * scheme; Dongarra, Sorensen & Hammarling 1989), which keeps the O(n³) part in cache-friendly row sweeps; the
 * last block of order ≤ {@link UNBLOCKED_ORDER} is finished unblocked. With `vectors`, Qᵀ is formed (above
 * the crossover by the blocked back-transformation of the identity).
 */
export function tridiagonalise(a: Float64Array, n: number, vectors: boolean): Tridiagonalisation {
  if (n <= UNBLOCKED_ORDER) {
    const diag = new Float64Array(n);
    const off = new Float64Array(Math.max(n - 1, 0));
    const qt = vectors ? new Float64Array(n * n) : undefined;
    reduceUnblocked(a, n, qt, diag, off);
    return { diag, off, qt };
  }
  const { diag, off, factors } = tridiagonaliseBlocked(a, n, vectors);
  if (!factors) return { diag, off };
  const qt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) qt[i * n + i] = 1;
  applyQTransposeOnRight(qt, n, factors);
  return { diag, off, qt };
}

/**
 * The blocked reduction of an n × n `source` (n > {@link UNBLOCKED_ORDER}, upper triangle read, not modified):
 * T and, with `factors`, Q in factored form ({@link HouseholderFactors}). The work is done on a copy in the
 * memory of a WebAssembly instance of its own, whose `rank2k` updates the trailing matrix.
 */
export function tridiagonaliseBlocked(
  source: ArrayLike<number>,
  n: number,
  factors: boolean,
): { diag: Float64Array; off: Float64Array; factors?: HouseholderFactors } {
  const diag = new Float64Array(n);
  const off = new Float64Array(n - 1);
  const taus = new Float64Array(n);
  const kernels = instantiateWasmKernels(8 * (n * n + (2 * PANEL + 1) * n));
  const a = new Float64Array(kernels.memory, 0, n * n);
  a.set(source);
  // Blocked steps k < start write their reflector v_k into row k of `a`, columns k+1…n−1.
  const start = reduceBlocked(a, n, taus, diag, off, kernels);
  const m = n - start;
  const block = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      const x = a[(start + i) * n + start + j];
      block[i * m + j] = x;
      block[j * m + i] = x;
    }
  }
  const blockQt = factors ? new Float64Array(m * m) : undefined;
  reduceUnblocked(block, m, blockQt, diag.subarray(start), off.subarray(start));
  if (!blockQt) return { diag, off };
  return { diag, off, factors: { n, reflectors: a, taus, start, blockQt } };
}

/**
 * The unblocked reduction: overwrites `a` (both triangles read), writes Qᵀ into `qt` when given, T's diagonal
 * into `diag` and its sub-diagonal into `off`.
 */
function reduceUnblocked(
  a: Float64Array,
  n: number,
  qt: Float64Array | undefined,
  diag: Float64Array,
  off: Float64Array,
): void {
  if (qt) {
    qt.fill(0);
    for (let i = 0; i < n; i++) qt[i * n + i] = 1;
  }
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
    if (!qt) continue;
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
 * The blocked steps on the upper triangle of `a`: panels of PANEL reflectors while more than UNBLOCKED_ORDER
 * rows remain. Within a panel, row k is first brought up to date with the panel's earlier reflectors, the
 * reflector H_k = I − τ v vᵀ is formed from A[k, k+1:], and w = τ A′v − (τ²/2)(vᵀA′v) v with A′ the current
 * trailing matrix, whose product is A_panel v − Σ_p [v_p (w_pᵀv) + w_p (v_pᵀv)] (the update is deferred). After
 * the panel, A₂₂ ← A₂₂ − V Wᵀ − W Vᵀ (`rank2k` of wasm-kernels.wat, four reflector pairs per sweep over a row).
 * `a` lies at the start of the kernels' memory; V and W follow it. Returns the first index left to the
 * unblocked reduction.
 */
function reduceBlocked(
  a: Float64Array,
  n: number,
  taus: Float64Array,
  diag: Float64Array,
  off: Float64Array,
  kernels: WasmKernels,
): number {
  // the rows v_0 … v_{P−1}, w_0 … w_{P−1} right after A, where `rank2k` reads them
  const vwAt = 8 * n * n;
  const vt = Array.from({ length: PANEL }, (_, p) => new Float64Array(kernels.memory, vwAt + 8 * p * n, n));
  const wt = Array.from(
    { length: PANEL },
    (_, p) => new Float64Array(kernels.memory, vwAt + 8 * (PANEL + p) * n, n),
  );
  const yAt = vwAt + 8 * 2 * PANEL * n;
  const y = new Float64Array(kernels.memory, yAt, n);
  let k0 = 0;
  for (; n - k0 > UNBLOCKED_ORDER; k0 += PANEL) {
    for (let j = 0; j < PANEL; j++) {
      const k = k0 + j;
      const v = vt[j];
      const w = wt[j];
      v.fill(0);
      w.fill(0);
      // row k of A′: A[k, k:] −= Σ_p v_p[k] w_p[k:] + w_p[k] v_p[k:]
      const row = k * n;
      for (let p = 0; p < j; p++) {
        const vk = vt[p][k];
        const wk = wt[p][k];
        const vp = vt[p];
        const wp = wt[p];
        for (let c = k; c < n; c++) a[row + c] -= vk * wp[c] + wk * vp[c];
      }
      diag[k] = a[row + k];
      const tau = reflector(a, row, k + 1, n, v);
      off[k] = a[row + k + 1];
      taus[k] = tau;
      if (tau === 0) continue;
      // y = A′ v over the trailing block k+1…n−1
      kernels.symv(0, n, k + 1, vwAt + 8 * j * n, yAt);
      for (let p = 0; p < j; p++) {
        const wv = dot(wt[p].subarray(k + 1), v.subarray(k + 1));
        const vv = dot(vt[p].subarray(k + 1), v.subarray(k + 1));
        const vp = vt[p];
        const wp = wt[p];
        for (let i = k + 1; i < n; i++) y[i] -= vp[i] * wv + wp[i] * vv;
      }
      // w = τy − (τ/2)(τ yᵀv) v
      let pv = 0;
      for (let i = k + 1; i < n; i++) {
        w[i] = tau * y[i];
        pv += w[i] * v[i];
      }
      const half = 0.5 * tau * pv;
      for (let i = k + 1; i < n; i++) w[i] -= half * v[i];
      // Row k beyond the sub-diagonal is no longer read: keep v_k there for Qᵀ.
      for (let i = k + 1; i < n; i++) a[row + i] = v[i];
    }
    kernels.rank2k(0, n, k0 + PANEL, vwAt, PANEL);
  }
  return k0;
}

/**
 * The reflector of x = a[row + from … row + n − 1]: v (written into `v[from…]`) and τ with
 * (I − τvvᵀ)x = −sign(x₀)‖x‖e₁; writes −sign(x₀)‖x‖ into a[row + from] and returns τ (0 when x = 0).
 */
function reflector(a: Float64Array, row: number, from: number, n: number, v: Float64Array): number {
  let scale = 0;
  for (let i = from; i < n; i++) scale = Math.max(scale, Math.abs(a[row + i]));
  if (scale === 0) return 0;
  let norm2 = 0;
  for (let i = from; i < n; i++) {
    v[i] = a[row + i] / scale;
    norm2 += v[i] * v[i];
  }
  const x0 = v[from];
  const alpha = (x0 >= 0 ? -1 : 1) * Math.sqrt(norm2);
  v[from] = x0 - alpha;
  let vv = 0;
  for (let i = from; i < n; i++) vv += v[i] * v[i];
  if (vv === 0) {
    v.fill(0, from);
    return 0;
  }
  a[row + from] = alpha * scale;
  return 2 / vv;
}

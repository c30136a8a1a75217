import { instantiateWasmKernels, type WasmKernels } from './wasm-instance';

// Dense matrix–matrix product C ← β·C + α·A·B on strided row-major views: the level-3 kernel of the divide and
// conquer tridiagonal eigensolver and of the blocked Householder back-transformation.
//
// Scheme of GotoBLAS (Goto & van de Geijn 2008): A and B are copied, one block at a time, into "packed"
// micro-panels of 3 rows of A and 4 columns of B laid out contiguously along k, and a 3 × 4 micro-kernel keeps
// its 12 sums in registers while it streams them. The micro-kernel loop is WebAssembly with 128-bit SIMD
// (`block` in wasm-kernels.wat): measured here ≈ 16 GFLOP/s against ≈ 5 for the same loop in JavaScript, whose
// doubles are scalar, and ≈ 0.4 for `@stdlib/blas-base-dgemm`. Every sum runs over k in order with a separate
// multiply and add, so the result does not depend on which of the two runs it.

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
/** Layout of the kernel's memory, in doubles: packed A, packed B, then the MC × NC block of C it writes. */
const A_AT = 0;
const B_AT = A_AT + MC * KC;
const C_AT = B_AT + KC * NC;

let kernel: { block: WasmKernels['block']; memory: Float64Array } | undefined;

/** The kernels' instance of this file, with room for {@link C_AT} + MC × NC doubles, made on first use. */
function loadKernel(): { block: WasmKernels['block']; memory: Float64Array } {
  if (kernel) return kernel;
  const { block, memory } = instantiateWasmKernels(8 * (C_AT + MC * NC));
  kernel = { block, memory: new Float64Array(memory) };
  return kernel;
}

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
  const { block, memory } = loadKernel();
  for (let pc = 0; pc < k; pc += KC) {
    const kc = Math.min(KC, k - pc);
    const accumulate = pc > 0 || beta === 1;
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      const ncPadded = roundUp(nc, NR);
      packPanels(b, pc, jc, kc, nc, true, NR, memory, B_AT);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanels(a, ic, pc, mc, kc, false, MR, memory, A_AT);
        block(roundUp(mc, MR) / MR, ncPadded / NR, kc, 8 * A_AT, 8 * B_AT, 8 * C_AT, ncPadded);
        // C[ic…, jc…] (+)= α·block
        const { data, stride } = c;
        for (let i = 0; i < mc; i++) {
          const row = c.offset + (ic + i) * stride + jc;
          const from = C_AT + i * ncPadded;
          if (accumulate) for (let j = 0; j < nc; j++) data[row + j] += alpha * memory[from + j];
          else for (let j = 0; j < nc; j++) data[row + j] = alpha * memory[from + j];
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
  at: number,
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
    const base = at + l0 * depth;
    const live = Math.min(width, lines - l0);
    if (live < width) out.fill(0, base, base + depth * width);
    const first = origin + l0 * lineStep;
    if (lineStep === 1) {
      // a depth step's `width` entries are adjacent in storage: copy them side by side
      for (let p = 0, src = first, dst = base; p < depth; p++, src += depthStep, dst += width) {
        for (let w = 0; w < live; w++) out[dst + w] = data[src + w];
      }
    } else {
      for (let w = 0; w < live; w++) {
        let src = first + w * lineStep;
        for (let p = 0, dst = base + w; p < depth; p++, src += depthStep, dst += width) out[dst] = data[src];
      }
    }
  }
}

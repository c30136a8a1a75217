import { multiply } from './matrix-multiply';
import { rankOneUpdateEigen } from './secular-equation';

// The merge step of divide and conquer: two solved halves and their coupling β become one solved block.

const EPS = Number.EPSILON;
/** Which rows of a block an eigenvector of the merge's input touches: the first half, the second, or both. */
const FIRST = 1;
const SECOND = 2;

/**
 * Merges the solved halves [o, o+n1) and [o+n1, o+s) of a block: on entry `d[o…o+s)` holds each half's
 * eigenvalues (ascending within each half) and the rows o…o+s−1 of `zt` (stride n) its eigenvectors; on
 * return they hold the block's, ascending. The block is B (D + ρzzᵀ) Bᵀ with B = diag(Q₁, Q₂), ρ = 2|β| and
 * z = Bᵀ(e_{n1−1} + sign(β) e_{n1})/√2 — the last row of Q₁ beside the first row of Q₂.
 *
 * Deflation (Dongarra & Sorensen 1987, as in LAPACK's dlaed2): with tol = 8ε·max(max|d|, ρ), a component with
 * ρ|z_j| ≤ tol keeps (d_j, row j) as an eigenpair; two components whose rotation into one would change the
 * matrix by |(d_j − d_i) c s| ≤ tol are rotated together (z_i ← 0, z_j ← ‖(z_i, z_j)‖). The rest form a
 * smaller D + ρzzᵀ with strictly increasing d (solved by `rankOneUpdateEigen`), whose eigenvectors U map back
 * as the rows of Uᵀ·Bᵀ — one matrix product per half, over the rows that touch it.
 */
export function mergeRankOne(
  d: Float64Array,
  zt: Float64Array,
  n: number,
  o: number,
  n1: number,
  s: number,
  beta: number,
): void {
  const rho = 2 * Math.abs(beta);
  const sign = beta < 0 ? -1 : 1;
  const z = new Float64Array(s);
  const old = new Float64Array(s * s);
  for (let r = 0; r < s; r++) {
    old.set(zt.subarray((o + r) * n + o, (o + r) * n + o + s), r * s);
    z[r] = (r < n1 ? old[r * s + n1 - 1] : sign * old[r * s + n1]) * Math.SQRT1_2;
  }
  const dv = d.slice(o, o + s);
  const part = new Uint8Array(s);
  part.fill(FIRST, 0, n1);
  part.fill(SECOND, n1);
  const kept = deflate(dv, z, rho, old, s, part);
  const k = kept.length;
  // eigenpairs of the block: (value, row of `old` for a deflated one, or −1 − i for the secular root i)
  const values: number[] = [];
  const sources: number[] = [];
  const keptSet = new Uint8Array(s);
  for (const j of kept) keptSet[j] = 1;
  for (let j = 0; j < s; j++) {
    if (keptSet[j]) continue;
    values.push(dv[j]);
    sources.push(j);
  }
  let mapped: Float64Array = new Float64Array(0);
  if (k > 0) {
    const secular = rankOneUpdateEigen(
      Float64Array.from(kept, (j) => dv[j]),
      Float64Array.from(kept, (j) => z[j]),
      rho,
    );
    for (let i = 0; i < k; i++) {
      values.push(secular.values[i]);
      sources.push(-1 - i);
    }
    mapped = mapBack(secular.vectors, kept, part, old, s, n1);
  }
  const order = Array.from(values.keys()).sort((x, y) => values[x] - values[y]);
  for (let r = 0; r < s; r++) {
    const source = sources[order[r]];
    d[o + r] = values[order[r]];
    const from =
      source >= 0
        ? old.subarray(source * s, (source + 1) * s)
        : mapped.subarray((-1 - source) * s, -source * s);
    zt.set(from, (o + r) * n + o);
  }
}

/**
 * Deflates D + ρzzᵀ in place (d, z, the rows of `old` and their `part` are updated by the rotations) and
 * returns the indices of the components left for the secular equation, in increasing d.
 */
function deflate(
  d: Float64Array,
  z: Float64Array,
  rho: number,
  old: Float64Array,
  s: number,
  part: Uint8Array,
): number[] {
  const order = Array.from(d.keys()).sort((x, y) => d[x] - d[y]);
  let dMax = 0;
  for (let j = 0; j < s; j++) dMax = Math.max(dMax, Math.abs(d[j]));
  const tol = 8 * EPS * Math.max(dMax, rho);
  const kept: number[] = [];
  let previous = -1;
  for (const j of order) {
    if (rho * Math.abs(z[j]) <= tol) continue;
    if (previous < 0) {
      previous = j;
      continue;
    }
    const t = Math.hypot(z[previous], z[j]);
    const c = z[j] / t;
    const sn = z[previous] / t;
    // the off-diagonal entry that rotating the pair into (0, t) leaves behind
    if (Math.abs((d[j] - d[previous]) * c * sn) > tol) {
      kept.push(previous);
      previous = j;
      continue;
    }
    // row_p ← c·row_p − s·row_j, row_j ← s·row_p + c·row_j; d_p ← c²d_p + s²d_j, d_j ← s²d_p + c²d_j
    const rp = previous * s;
    const rj = j * s;
    for (let col = 0; col < s; col++) {
      const x = old[rp + col];
      const y = old[rj + col];
      old[rp + col] = c * x - sn * y;
      old[rj + col] = sn * x + c * y;
    }
    const dp = d[previous];
    const dj = d[j];
    d[previous] = c * c * dp + sn * sn * dj;
    d[j] = sn * sn * dp + c * c * dj;
    z[j] = t;
    z[previous] = 0;
    part[j] |= part[previous];
    previous = j;
  }
  if (previous >= 0) kept.push(previous);
  return kept;
}

/**
 * The block's eigenvectors for the secular roots: row i = Σ_j U_i[j]·old[kept_j], computed as one product per
 * half over the kept rows that touch it (a row of the first half is zero in the second half's columns).
 */
function mapBack(
  u: Float64Array,
  kept: readonly number[],
  part: Uint8Array,
  old: Float64Array,
  s: number,
  n1: number,
): Float64Array {
  const k = kept.length;
  const out = new Float64Array(k * s);
  for (const [half, from, width] of [
    [FIRST, 0, n1],
    [SECOND, n1, s - n1],
  ] as const) {
    const columns = [];
    for (let c = 0; c < k; c++) if (part[kept[c]] & half) columns.push(c);
    const count = columns.length;
    // U restricted to those kept components (k × count) and their rows of `old` on the half's columns
    const uPart = new Float64Array(k * count);
    for (let i = 0; i < k; i++) for (let c = 0; c < count; c++) uPart[i * count + c] = u[i * k + columns[c]];
    const rows = new Float64Array(count * width);
    for (let c = 0; c < count; c++) {
      const r = kept[columns[c]] * s + from;
      rows.set(old.subarray(r, r + width), c * width);
    }
    multiply(
      k,
      width,
      count,
      1,
      { data: uPart, offset: 0, stride: count },
      { data: rows, offset: 0, stride: width },
      0,
      { data: out, offset: from, stride: s },
    );
  }
  return out;
}

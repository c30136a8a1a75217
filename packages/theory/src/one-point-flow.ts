import { BiaslabError } from '@biaslab/core';
import { requirePositive, toVector } from './inputs';
import type { VectorInput } from './inputs';
import { rankOneUpdateExtremes } from './rank-one-eigen';
import { increasingRoot } from './root-finding';

/**
 * One data point (x, y) fitted by the shared-weight diagonal network β = w⊙w from w₀ = α·1, with loss
 * L(w) = ½(⟨x, w⊙w⟩ − y)².
 */
export interface OnePointProblem {
  readonly x: VectorInput;
  readonly y: number;
  readonly alpha: number;
}

interface Checked {
  readonly x: Float64Array;
  readonly y: number;
  readonly alpha: number;
}

/**
 * Validate a one-point problem and check that the flow has a finite limit: φ(c) = α² Σ x_i e^{c x_i} ranges
 * over (min, max) with min = −∞ if some x_i < 0 (else 0) and max = +∞ if some x_i > 0 (else 0), so
 * φ(c) = y has a root iff y > 0 and some x_i > 0, or y < 0 and some x_i < 0, or y = 0 and x has both signs.
 */
function check(problem: OnePointProblem): Checked {
  const x = toVector(problem.x, 'x');
  const alpha = requirePositive(problem.alpha, 'alpha');
  const y = problem.y;
  if (!Number.isFinite(y)) {
    throw new BiaslabError('INVALID_OPTIONS', `\`y\` is ${y}; expected a finite number.`, { received: y });
  }
  const pos = x.some((v) => v > 0);
  const neg = x.some((v) => v < 0);
  if (!((y > 0 && pos) || (y < 0 && neg) || (y === 0 && pos && neg))) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `The gradient flow of β = w⊙w has no finite limit for \`y\` = ${y} and \`x\` = (${Array.from(x).join(', ')}): ` +
        'expected some x_i with the sign of y (and, for y = 0, entries of both signs). Flip the sign of y or x.',
      { y, x: Array.from(x) },
    );
  }
  return { x, y, alpha };
}

/** β(c)_i = α² e^{c x_i}: the point of the flow path with path coordinate c (c = 0 at w₀ = α·1). */
export function onePointPathBeta(problem: OnePointProblem, c: number): Float64Array {
  const { x, alpha } = check(problem);
  return Float64Array.from(x, (xi) => alpha * alpha * Math.exp(c * xi));
}

function residualAt(p: Checked, c: number): number {
  let s = 0;
  for (let i = 0; i < p.x.length; i++) s += p.x[i] * p.alpha * p.alpha * Math.exp(c * p.x[i]);
  return s - p.y;
}

function residualSlope(p: Checked, c: number): number {
  let s = 0;
  for (let i = 0; i < p.x.length; i++) s += p.x[i] * p.x[i] * p.alpha * p.alpha * Math.exp(c * p.x[i]);
  return s;
}

/** The residual r(c) = ⟨x, β(c)⟩ − y = α² Σ x_i e^{c x_i} − y along the flow path. */
export function onePointPathResidual(problem: OnePointProblem, c: number): number {
  return residualAt(check(problem), c);
}

/**
 * Sharpness of the one-point loss at w: the eigenvalue of largest magnitude (with its sign) of
 *   ∇²L(w) = 4 (x⊙w)(x⊙w)ᵀ + 2r·diag(x),  r = ⟨x, w⊙w⟩ − y,
 * a diagonal plus rank-one matrix, solved exactly through its secular equation (`rankOneUpdateExtremes`).
 */
export function onePointSharpness(x: VectorInput, y: number, w: VectorInput): number {
  const xv = toVector(x, 'x');
  const wv = toVector(w, 'w', xv.length);
  let r = -y;
  for (let i = 0; i < xv.length; i++) r += xv[i] * wv[i] * wv[i];
  const { min, max } = rankOneUpdateExtremes(
    Float64Array.from(xv, (xi) => 2 * r * xi),
    Float64Array.from(xv, (xi, i) => xi * wv[i]),
    4,
  );
  return Math.abs(min) > Math.abs(max) ? min : max;
}

/** The gradient-flow limit of the one-point shared-weight network (see `onePointFlowLimit`). */
export interface OnePointFlowLimit {
  /** The root c* of α² Σ x_i e^{c x_i} = y. */
  readonly c: number;
  /** β_GF,i = α² e^{c* x_i}. */
  readonly beta: Float64Array;
  /** ‖β_GF‖₁. */
  readonly l1: number;
  /** S(β_GF) = 4 Σ x_i² β_i, the sharpness at the limit (the Hessian there is rank one). */
  readonly sharpness: number;
}

/**
 * The gradient-flow limit from w₀ = α·1. The flow ẇ = −∇L = −2r(x⊙w) gives w_i(t) = α exp(−2x_i ∫₀ᵗ r), so
 * β_i(t) = α² e^{c(t) x_i} with c(t) = −4∫₀ᵗ r ds, i.e. ċ = −4 r(c); r(c) is increasing in c, so c moves
 * monotonically to the unique root of α² Σ x_i e^{c x_i} = y and β_GF,i = α² e^{c* x_i}.
 * Domain: α > 0 and y > 0 with some x_i > 0, y < 0 with some x_i < 0, or y = 0 with x of both signs
 * (mixed signs in x are allowed). Root by bracketed, safeguarded Newton.
 * Reference: Matveev et al. 2025 (arXiv 2505.21423), the one-point diagonal network; Woodworth et al. 2020.
 */
export function onePointFlowLimit(problem: OnePointProblem): OnePointFlowLimit {
  const p = check(problem);
  const c = increasingRoot(
    (t) => residualAt(p, t),
    (t) => residualSlope(p, t),
    0,
    'α² Σ x_i e^{c x_i} − y',
  );
  const beta = Float64Array.from(p.x, (xi) => p.alpha * p.alpha * Math.exp(c * xi));
  let l1 = 0;
  let sharpness = 0;
  for (let i = 0; i < beta.length; i++) {
    l1 += beta[i];
    sharpness += 4 * p.x[i] * p.x[i] * beta[i];
  }
  return { c, beta, l1, sharpness };
}

/**
 * The path coordinate c_ε at which the flow's loss ½r² first drops to ε: 0 if it starts there, otherwise the
 * root of r(c) = sign(r₀)·√(2ε) (r moves monotonically from r₀ to 0 along the path). ε = 0 gives c*.
 */
export function onePointPathCoordinateAtLoss(problem: OnePointProblem, epsilon: number): number {
  const p = check(problem);
  const r0 = residualAt(p, 0);
  if (!(epsilon >= 0)) {
    throw new BiaslabError('INVALID_OPTIONS', `\`epsilon\` is ${epsilon}; expected a number ≥ 0.`, {});
  }
  if (0.5 * r0 * r0 <= epsilon) return 0;
  const target = Math.sign(r0) * Math.sqrt(2 * epsilon);
  return increasingRoot(
    (t) => residualAt(p, t) - target,
    (t) => residualSlope(p, t),
    0,
    'r(c) ± √(2ε)',
  );
}

/** S along the flow path as a function of the path coordinate c (w_i = α e^{c x_i / 2}). */
export function onePointPathSharpness(problem: OnePointProblem, c: number): number {
  const p = check(problem);
  const w = Float64Array.from(p.x, (xi) => p.alpha * Math.exp(0.5 * c * xi));
  return onePointSharpness(p.x, p.y, w);
}

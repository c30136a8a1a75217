import { BiaslabError } from '@biaslab/core';
import { requirePositive, toVector } from './inputs';
import type { VectorInput } from './inputs';
import { onePointFlowLimit } from './one-point-flow';
import type { OnePointProblem } from './one-point-flow';
import { onePointFlowSharpness } from './one-point-critical-rate';

/**
 * Sharpness of the shared-weight one-point loss at an interpolator β ≥ 0 (⟨x, β⟩ = y): there r = 0 and
 * ∇²L = 4(x⊙w)(x⊙w)ᵀ has rank one, so S(β) = 4‖x⊙w‖² = 4 Σ x_i² β_i.
 */
export function onePointInterpolatorSharpness(x: VectorInput, beta: VectorInput): number {
  const xv = toVector(x, 'x');
  const b = toVector(beta, 'beta', xv.length);
  let s = 0;
  for (let i = 0; i < xv.length; i++) s += 4 * xv[i] * xv[i] * b[i];
  return s;
}

/** A vertex of the zero-loss set {β ≥ 0 : ⟨x, β⟩ = y}: β = (y / x_k) e_k. */
export interface SimplexVertex {
  readonly index: number;
  readonly beta: Float64Array;
  readonly l1: number;
  readonly sharpness: number;
}

function vertices(x: VectorInput, y: number): SimplexVertex[] {
  const xv = toVector(x, 'x');
  const out: SimplexVertex[] = [];
  for (let k = 0; k < xv.length; k++) {
    if (xv[k] * y <= 0) continue;
    const beta = new Float64Array(xv.length);
    beta[k] = y / xv[k];
    out.push({ index: k, beta, l1: beta[k], sharpness: 4 * xv[k] * y });
  }
  if (out.length === 0) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `No β ≥ 0 interpolates \`y\` = ${y} with \`x\` = (${Array.from(xv).join(', ')}): expected some x_i with the sign of y.`,
      { y },
    );
  }
  return out;
}

/**
 * The minimum-ℓ1 interpolator with β ≥ 0: ‖β‖₁ is linear on the zero-loss set, so the minimum is the vertex
 * (y / x_k) e_k with the largest |x_k| among the x_k that share the sign of y (for x > 0, y > 0: argmax x_i).
 */
export function onePointMinL1Interpolator(x: VectorInput, y: number): SimplexVertex {
  return vertices(x, y).reduce((best, v) => (v.l1 < best.l1 ? v : best));
}

/**
 * The minimum-sharpness interpolator with β ≥ 0: S(β) = 4Σx_i²β_i is linear on the zero-loss set, so the
 * minimum is the vertex with the smallest |x_k| of the sign of y (x > 0, y > 0: argmin x_i), S = 4 x_k y.
 */
export function onePointMinSharpnessInterpolator(x: VectorInput, y: number): SimplexVertex {
  return vertices(x, y).reduce((best, v) => (v.sharpness < best.sharpness ? v : best));
}

/**
 * The stability edge η_max = 2 / min S = 1 / (2y·min_k x_k) (over x_k of the sign of y; |·| for y < 0): GD
 * with step η can only settle at an interpolator with S ≤ 2/η, and beyond η_max none exists.
 */
export function onePointStabilityEdge(x: VectorInput, y: number): number {
  return 2 / onePointMinSharpnessInterpolator(x, y).sharpness;
}

function checkPair(x: VectorInput, y: number): [number, number] {
  const xv = toVector(x, 'x', 2);
  requirePositive(y, 'y');
  if (!(xv[0] > 0 && xv[1] > 0 && xv[0] !== xv[1])) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `The d = 2 trade-off needs \`x\` = (x₁, x₂) with x₁, x₂ > 0 and x₁ ≠ x₂; received (${xv[0]}, ${xv[1]}).`,
      { x: Array.from(xv) },
    );
  }
  return [xv[0], xv[1]];
}

/**
 * The d = 2 trade-off line on the zero-loss segment: with β₁ + β₂ = ‖β‖₁ and x₁β₁ + x₂β₂ = y,
 *   β₁ = (y − x₂‖β‖₁)/(x₁ − x₂),  β₂ = (x₁‖β‖₁ − y)/(x₁ − x₂),
 * and substituting into S = 4(x₁²β₁ + x₂²β₂) gives S = 4[y(x₁ + x₂) − x₁x₂‖β‖₁]
 * for ‖β‖₁ between y/max(x) and y/min(x). Throws outside that range.
 */
export function onePointTradeOff(
  x: VectorInput,
  y: number,
  l1: number,
): { beta: Float64Array; sharpness: number } {
  const [x1, x2] = checkPair(x, y);
  const lo = y / Math.max(x1, x2);
  const hi = y / Math.min(x1, x2);
  const tol = 1e-12 * hi;
  if (!(l1 >= lo - tol && l1 <= hi + tol)) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `\`l1\` = ${l1} is outside the zero-loss segment; expected ‖β‖₁ in [${lo}, ${hi}].`,
      { l1, lo, hi },
    );
  }
  const beta = Float64Array.of(
    Math.max(0, (y - x2 * l1) / (x1 - x2)),
    Math.max(0, (x1 * l1 - y) / (x1 - x2)),
  );
  return { beta, sharpness: 4 * (y * (x1 + x2) - x1 * x2 * l1) };
}

/**
 * The d = 2 interpolator whose sharpness is exactly 2/η: ‖β‖₁ = [y(x₁ + x₂) − 1/(2η)] / (x₁x₂) on the
 * trade-off line. Exists for 2/η between 4y·min(x) and 4y·max(x); throws otherwise.
 */
export function onePointEdgeOfStabilityInterpolator(x: VectorInput, y: number, eta: number): Float64Array {
  const [x1, x2] = checkPair(x, y);
  requirePositive(eta, 'eta');
  const l1 = (y * (x1 + x2) - 1 / (2 * eta)) / (x1 * x2);
  return onePointTradeOff([x1, x2], y, l1).beta;
}

/**
 * The stable part of the d = 2 zero-loss segment at step η: {β : S(β) ≤ 2/η}, an interval of ‖β‖₁ ending at
 * the min-sharpness vertex. Null beyond the stability edge (no stable interpolator).
 */
export function onePointStableSegment(
  x: VectorInput,
  y: number,
  eta: number,
): { readonly l1: readonly [number, number]; readonly from: Float64Array; readonly to: Float64Array } | null {
  const [x1, x2] = checkPair(x, y);
  requirePositive(eta, 'eta');
  const lo = y / Math.max(x1, x2);
  const hi = y / Math.min(x1, x2);
  // S ≤ 2/η  ⇔  ‖β‖₁ ≥ [y(x₁+x₂) − 1/(2η)] / (x₁x₂)
  const start = Math.max(lo, (y * (x1 + x2) - 1 / (2 * eta)) / (x1 * x2));
  if (start > hi * (1 + 1e-12)) return null;
  const from = onePointTradeOff([x1, x2], y, Math.min(start, hi)).beta;
  return { l1: [Math.min(start, hi), hi], from, to: onePointTradeOff([x1, x2], y, hi).beta };
}

/** The GD limit predicted at step η, by regime. */
export interface PredictedLimit {
  readonly regime: 'flow-aligned' | 'edge-of-stability' | 'unstable';
  /** The predicted interpolator, or null when no interpolator is stable (η > η_max). */
  readonly beta: Float64Array | null;
  /** S(β) = 4Σx_i²β_i of the prediction. */
  readonly sharpness: number | null;
  readonly etaC: number;
  readonly etaMax: number;
}

/**
 * The paper's prediction for the one-point network (d = 2 for the EoS branch): for η ≤ η_c = 2/s_GF GD
 * follows the flow and ends at β_GF; for η_c < η ≤ η_max it ends at the interpolator with S = 2/η (capped at
 * S(β_GF) when the flow's sharpness peaked before its end, where β_GF is already stable); beyond
 * η_max = 1/(2y·min x) no interpolator is stable. `epsilon` is the flow's stopping loss for s_GF (0: limit).
 * Reference: Matveev et al. 2025 (arXiv 2505.21423).
 */
export function onePointPredictedLimit(problem: OnePointProblem, eta: number, epsilon = 0): PredictedLimit {
  requirePositive(eta, 'eta');
  const { etaC } = onePointFlowSharpness(problem, { epsilon });
  const etaMax = onePointStabilityEdge(problem.x, problem.y);
  const limit = onePointFlowLimit(problem);
  if (eta <= etaC)
    return { regime: 'flow-aligned', beta: limit.beta, sharpness: limit.sharpness, etaC, etaMax };
  if (eta > etaMax) return { regime: 'unstable', beta: null, sharpness: null, etaC, etaMax };
  if (2 / eta >= limit.sharpness) {
    return { regime: 'edge-of-stability', beta: limit.beta, sharpness: limit.sharpness, etaC, etaMax };
  }
  if (problem.x.length !== 2) {
    throw new BiaslabError(
      'SHAPE',
      `The edge-of-stability prediction S = 2/η picks one interpolator only for d = 2; received d = ${problem.x.length}. ` +
        'For d > 2 the interpolators with S = 2/η form a face of the simplex; use \`onePointInterpolatorSharpness\` to test points on it.',
      { d: problem.x.length },
    );
  }
  const beta = onePointEdgeOfStabilityInterpolator(problem.x, problem.y, eta);
  return { regime: 'edge-of-stability', beta, sharpness: 2 / eta, etaC, etaMax };
}

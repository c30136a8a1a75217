import { BiaslabError } from '@biaslab/core';
import {
  onePointFlowLimit,
  onePointPathCoordinateAtLoss,
  onePointPathResidual,
  onePointPathSharpness,
} from './one-point-flow';
import type { OnePointProblem } from './one-point-flow';

/** The largest sharpness along the gradient flow and the critical learning rate it predicts. */
export interface FlowSharpness {
  /** s_GF = max |λ|max of ∇²L along the flow path until the loss reaches ε (ε = 0: the whole path). */
  readonly sGF: number;
  /** The signed eigenvalue at the maximiser (negative when the flow is sharpest along a negative direction). */
  readonly signedAtMax: number;
  /** Path coordinate c of the maximiser (β_i = α² e^{c x_i}). */
  readonly cAtMax: number;
  /** Path coordinate where the loss reaches ε (c* for ε = 0). */
  readonly cEnd: number;
  /** η_c = 2 / s_GF. */
  readonly etaC: number;
}

/**
 * s_GF = max_{t ≤ t_ε} S(w_GF(t)) and η_c = 2/s_GF for the one-point shared-weight network. The flow path is
 * β_i = α² e^{c x_i} with c running monotonically from 0 to c_ε (see `onePointFlowLimit`), so the maximum
 * over time is a maximum over c ∈ [0, c_ε]: a 1025-point grid, then golden-section refinement around the best
 * grid point. S at each c is exact (secular equation of 4uuᵀ + 2r·diag(x)).
 * Reference: Matveev et al. 2025 (arXiv 2505.21423), η_c = 2/s_GF.
 */
export function onePointFlowSharpness(
  problem: OnePointProblem,
  options: { epsilon?: number } = {},
): FlowSharpness {
  const epsilon = options.epsilon ?? 0;
  const cEnd = epsilon > 0 ? onePointPathCoordinateAtLoss(problem, epsilon) : onePointFlowLimit(problem).c;
  const abs = (c: number) => Math.abs(onePointPathSharpness(problem, c));
  const grid = 1024;
  let best = 0;
  let bestValue = abs(0);
  for (let k = 1; k <= grid; k++) {
    const v = abs((cEnd * k) / grid);
    if (v > bestValue) {
      bestValue = v;
      best = k;
    }
  }
  let lo = (cEnd * Math.max(best - 1, 0)) / grid;
  let hi = (cEnd * Math.min(best + 1, grid)) / grid;
  // golden-section search for the maximum on [lo, hi]
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = abs(a);
  let fb = abs(b);
  for (let it = 0; it < 200 && Math.abs(hi - lo) > 1e-15 * Math.max(1, Math.abs(cEnd)); it++) {
    if (fa >= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = abs(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = abs(b);
    }
  }
  const candidates = [(cEnd * best) / grid, a, b];
  let cAtMax = candidates[0];
  for (const c of candidates) if (abs(c) > abs(cAtMax)) cAtMax = c;
  const signedAtMax = onePointPathSharpness(problem, cAtMax);
  const sGF = Math.abs(signedAtMax);
  return { sGF, signedAtMax, cAtMax, cEnd, etaC: 2 / sGF };
}

/** Samples of the one-point gradient flow in time. */
export interface FlowTrajectory {
  readonly t: Float64Array;
  /** Path coordinate c(t); β_i(t) = α² e^{c(t) x_i}. */
  readonly c: Float64Array;
  /** ½ r(t)². */
  readonly loss: Float64Array;
  /** Signed largest-|λ| eigenvalue of ∇²L along the flow. */
  readonly sharpness: Float64Array;
  /** First sampled time with loss ≤ ε (null if not reached by `maxTime`). */
  readonly tEps: number | null;
}

/**
 * The flow in time: ċ = −4 r(c) (from ẇ_i = −2r x_i w_i and β_i = α² e^{c x_i}) integrated by classical RK4
 * with step h = min(hMax, 0.1 / (4 φ′(c))), φ′(c) = α² Σ x_i² e^{c x_i} the scalar ODE's stiffness; stops
 * once ½r² ≤ ε or at `maxTime`.
 */
export function onePointFlowTrajectory(
  problem: OnePointProblem,
  options: { epsilon?: number; maxTime?: number; hMax?: number } = {},
): FlowTrajectory {
  const epsilon = options.epsilon ?? 1e-8;
  const maxTime = options.maxTime ?? 1e4;
  const hMax = options.hMax ?? 0.01;
  if (!(epsilon > 0) || !(maxTime > 0) || !(hMax > 0)) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `Flow trajectory options must be positive; received \`epsilon\` = ${epsilon}, \`maxTime\` = ${maxTime}, \`hMax\` = ${hMax}.`,
      {},
    );
  }
  const x = Float64Array.from(problem.x);
  const a2 = problem.alpha * problem.alpha;
  const rate = (c: number) => -4 * onePointPathResidual(problem, c);
  const stiffness = (c: number) => {
    let s = 0;
    for (const xi of x) s += xi * xi * a2 * Math.exp(c * xi);
    return 4 * s;
  };
  const ts: number[] = [];
  const cs: number[] = [];
  const losses: number[] = [];
  const sharp: number[] = [];
  let t = 0;
  let c = 0;
  let tEps: number | null = null;
  for (;;) {
    const r = onePointPathResidual(problem, c);
    ts.push(t);
    cs.push(c);
    losses.push(0.5 * r * r);
    sharp.push(onePointPathSharpness(problem, c));
    if (0.5 * r * r <= epsilon) {
      tEps = t;
      break;
    }
    if (t >= maxTime) break;
    const h = Math.min(hMax, 0.1 / stiffness(c), maxTime - t);
    const k1 = rate(c);
    const k2 = rate(c + 0.5 * h * k1);
    const k3 = rate(c + 0.5 * h * k2);
    const k4 = rate(c + h * k3);
    c += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
    t += h;
  }
  return {
    t: Float64Array.from(ts),
    c: Float64Array.from(cs),
    loss: Float64Array.from(losses),
    sharpness: Float64Array.from(sharp),
    tEps,
  };
}

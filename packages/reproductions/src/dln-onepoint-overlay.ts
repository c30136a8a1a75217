import type { ExperimentPoint } from '@biaslab/report';
import {
  onePointFlowLimit,
  onePointFlowSharpness,
  onePointMinL1Interpolator,
  onePointMinSharpnessInterpolator,
  onePointPredictedLimit,
  onePointStabilityEdge,
} from '@biaslab/theory';
import { observedBreakPoint } from './break-point';
import type { BreakPointRule } from './break-point';
import { convergedRuns, finalTheta } from './experiment-data';
import { ONE_POINT } from './one-point';

/** The one-point problem as @biaslab/theory takes it. */
export const PROBLEM = { x: ONE_POINT.x, y: ONE_POINT.y, alpha: ONE_POINT.alpha };

/** ‖β − β*‖² (the Gaussian-input generalisation error). */
export function errorOf(beta: ArrayLike<number>): number {
  return ONE_POINT.betaStar.reduce((s, b, i) => s + (beta[i] - b) ** 2, 0);
}

/** β = w⊙w of the shared diagonal network. */
export const square = (w: readonly number[]) => w.map((v) => v * v);

/** The closed forms of @biaslab/theory beside what the lab measured for the one-point sweep. */
export function onePointOverlay(point: ExperimentPoint, rule: BreakPointRule) {
  const flow = point.flow;
  // The flow ran to loss ε; the closed forms are taken at the same loss.
  const flowLoss = typeof flow?.final.loss === 'number' ? flow.final.loss : 1e-8;
  const sGF = flow?.sGF ?? null;
  return {
    flowLoss,
    limit: onePointFlowLimit(PROBLEM),
    minL1: onePointMinL1Interpolator(PROBLEM.x, PROBLEM.y),
    minS: onePointMinSharpnessInterpolator(PROBLEM.x, PROBLEM.y),
    etaMax: onePointStabilityEdge(PROBLEM.x, PROBLEM.y),
    theory: onePointFlowSharpness(PROBLEM, { epsilon: flowLoss }),
    sGF,
    etaC: flow?.etaC ?? null,
    breakEta: observedBreakPoint(point.runs, sGF, rule).breakEta,
    flowTheta: flow ? finalTheta(flow.final) : null,
    flowThetaL1: typeof flow?.final.thetaL1 === 'number' ? flow.final.thetaL1 : null,
  };
}

/** What {@link onePointOverlay} computes. */
export type OnePointOverlay = ReturnType<typeof onePointOverlay>;

/** One converged GD limit beside the theory's prediction for its η (a table row, hence a type, not an interface). */
export type LimitRow = {
  readonly eta: number;
  readonly steps: number | null;
  readonly betaL1: number | null;
  readonly sharpness: number | null;
  /** S·η/2. */
  readonly stability: number | null;
  /** ‖β − β*‖² of the final β (the test error when θ was not recorded). */
  readonly error: number | null;
  readonly regime: string;
  readonly predictedL1: number | null;
  readonly predictedS: number | null;
};

/** The converged runs of the sweep beside the predicted limit (flow limit below η_c, S = 2/η above). */
export function limitRows(point: ExperimentPoint, flowLoss: number): LimitRow[] {
  return convergedRuns(point).map((r) => {
    const w = finalTheta(r.final);
    const beta = w ? square(w) : null;
    const predicted = onePointPredictedLimit(PROBLEM, r.eta, flowLoss);
    return {
      eta: r.eta,
      steps: r.steps ?? null,
      betaL1: r.betaL1 ?? null,
      sharpness: r.sharpness,
      stability: r.sharpness === null ? null : (r.sharpness * r.eta) / 2,
      error: beta ? errorOf(beta) : (r.testError ?? null),
      regime: predicted.regime,
      predictedL1: predicted.beta ? predicted.beta.reduce((s, b) => s + b, 0) : null,
      predictedS: predicted.sharpness,
    };
  });
}

/** The converged run with the smallest error, or null. */
export function bestLimit(rows: readonly LimitRow[]): LimitRow | null {
  return rows.reduce<LimitRow | null>(
    (b, r) => (r.error !== null && (b === null || r.error < b.error!) ? r : b),
    null,
  );
}

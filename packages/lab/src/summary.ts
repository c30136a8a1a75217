import type { SummaryRow } from '@biaslab/results';
import type { RunResult } from './run';
import type { MetricValues } from './metric-evaluator';
import { finiteOrNull } from './metric-evaluator';

/** The metric keys the summary lifts out of a run's metrics (the names the built-in metrics report). */
export const SUMMARY_METRIC_KEYS = { sharpness: 'sharpness', testError: 'test-error' } as const;

/** ‖v‖₁ = Σ|vᵢ|. */
export function l1Norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.abs(v[i]);
  return s;
}

/** The summary row of a finished run. */
export function summarize(
  index: number,
  result: RunResult,
  predictor?: (theta: Float64Array) => Float64Array,
): SummaryRow {
  const { eta, metrics } = result;
  const sRaw = metrics[SUMMARY_METRIC_KEYS.sharpness];
  const sharpness = typeof sRaw === 'number' ? Math.abs(sRaw) : null;
  let betaL1: number | null | undefined;
  if (predictor) {
    betaL1 = result.theta.every(Number.isFinite) ? finiteOrNull(l1Norm(predictor(result.theta))) : null;
  }
  return {
    type: 'summary',
    index,
    eta,
    status: result.status,
    steps: result.steps,
    reason: result.reason,
    loss: finiteOrNull(result.loss),
    thetaL1: finiteOrNull(l1Norm(result.theta)),
    ...(betaL1 !== undefined ? { betaL1 } : {}),
    sharpness,
    twoOverEta: 2 / eta,
    sharpnessEtaOver2: sharpness === null ? null : (sharpness * eta) / 2,
    testError: finiteOrNull(metrics[SUMMARY_METRIC_KEYS.testError] ?? null),
    metrics,
    seconds: result.seconds,
  };
}

import { l1Norm } from '@biaslab/linalg';
import type { RunStatus } from './stop-rules';
import type { RunResult } from './run';
import type { MetricValues } from './metric-evaluator';
import { finiteOrNull } from './metric-evaluator';

// ‖·‖₁ lives in @biaslab/linalg; the lab's modules take it from here, beside the summary it feeds.
export { l1Norm };

/** The metric keys the summary lifts out of a run's metrics (the names the built-in metrics report). */
export const SUMMARY_METRIC_KEYS = { sharpness: 'sharpness', testError: 'test-error' } as const;

/** One row of a sweep's summary: one learning rate, its outcome and the numbers of the phase table. */
export interface SummaryRow {
  readonly type: 'summary';
  /** Position of η in the sweep. */
  readonly index: number;
  readonly eta: number;
  readonly status: RunStatus;
  readonly steps: number;
  readonly reason: string;
  /** L(θ_final); null when non-finite. */
  readonly loss: number | null;
  /** ‖θ‖₁ over all parameters (biases included). */
  readonly thetaL1: number | null;
  /** ‖β‖₁ of the end-to-end predictor, for models that have one. */
  readonly betaL1?: number | null;
  /** S = max |λ(∇²L)| at θ_final, when a `sharpness` metric ran. */
  readonly sharpness: number | null;
  /** The stability threshold 2/η. */
  readonly twoOverEta: number;
  /** S·η/2: ≈ 1 at the Edge of Stability, < 1 in the flow-aligned regime. */
  readonly sharpnessEtaOver2: number | null;
  /** Test error, when a `test-error` metric ran. */
  readonly testError: number | null;
  /** Every metric value at θ_final. */
  readonly metrics: MetricValues;
  readonly seconds: number;
  /** The run's id in the experiment directory (`runs/<run>.jsonl`). */
  readonly run?: string;
  /** Grid point index, its grid values and seed. */
  readonly point?: number;
  readonly grid?: Readonly<Record<string, unknown>>;
  readonly seed?: number;
  /** Why η is in the sweep: first pass (`grid`), around η_c (`eta-c`) or edge bisection (`edge`). */
  readonly phase?: 'grid' | 'eta-c' | 'edge';
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

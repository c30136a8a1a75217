import { l1Norm } from '@biaslab/linalg';
import type { MetricComponent, SummaryQuantity } from '@biaslab/core';
import type { RunStatus } from './stop-rules';
import type { RunResult } from './run';
import type { MetricValues } from './metric-evaluator';
import { finiteOrNull } from './metric-evaluator';

// ‖·‖₁ lives in @biaslab/linalg; the lab's modules take it from here, beside the summary it feeds.
export { l1Norm };

/** For each summary quantity, the metric value that fills it: the key named after the metric providing it. */
export type SummaryKeys = Readonly<Partial<Record<SummaryQuantity, string>>>;

/**
 * The summary keys of an experiment's metrics: each quantity from the first metric whose component
 * `provides` it (`metric/sharpness` gives S, `metric/test-error` the test error).
 */
export function summaryKeys(
  metrics: readonly { readonly name: string; readonly component: Pick<MetricComponent, 'provides'> }[],
): SummaryKeys {
  const keys: Partial<Record<SummaryQuantity, string>> = {};
  for (const { name, component } of metrics) {
    if (component.provides) keys[component.provides] ??= name;
  }
  return keys;
}

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
  /** S = max |λ(∇²L)| at θ_final, when a metric that provides it ran. */
  readonly sharpness: number | null;
  /** The stability threshold 2/η. */
  readonly twoOverEta: number;
  /** S·η/2: ≈ 1 at the Edge of Stability, < 1 in the flow-aligned regime. */
  readonly sharpnessEtaOver2: number | null;
  /** Test error, when a metric that provides it ran. */
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

/** The summary row of a finished run; `keys` says which metric values are S and the test error. */
export function summarize(
  index: number,
  result: RunResult,
  predictor: ((theta: Float64Array) => Float64Array) | undefined,
  keys: SummaryKeys,
): SummaryRow {
  const { eta, metrics } = result;
  const sRaw = keys.sharpness === undefined ? undefined : metrics[keys.sharpness];
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
    testError: keys.testError === undefined ? null : finiteOrNull(metrics[keys.testError] ?? null),
    metrics,
    seconds: result.seconds,
  };
}

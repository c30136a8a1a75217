import { l1Norm } from '@biaslab/linalg';
import type { MetricComponent, SummaryQuantity } from '@biaslab/core';
import type { SummaryRow } from '@biaslab/results';
import type { RunResult } from './run';
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

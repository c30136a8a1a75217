import { Rng } from '@biaslab/core';
import type { Optimizer, Oracle } from '@biaslab/core';
import { runOnce } from './run';
import type { RunResult } from './run';
import type { SeriesRow, SummaryRow } from '@biaslab/results';
import { defaultDivergenceBound } from './stop-rules';
import type { StopRules } from './stop-rules';
import type { RunMetricHooks } from './prepare';
import { summarize } from './summary';
import type { SummaryKeys } from './summary';

/** Stop rules of a sweep; the divergence bound defaults to 10⁶ · max(L(θ₀), 1). */
export type SweepStopRules = Omit<StopRules, 'divergence'> & { readonly divergence?: number };

/** Inputs of `sweep`. */
export interface SweepOptions {
  /** The training objective, shared by every run. */
  readonly oracle: Oracle;
  /** A fresh optimizer for each run. */
  readonly createOptimizer: () => Optimizer<any>;
  /** θ₀, shared by every run. */
  readonly theta0: Float64Array;
  readonly etas: readonly number[];
  readonly stop: SweepStopRules;
  /** Series cadence (see `RunOptions.every`). */
  readonly every: number;
  /** Seed of the per-run random streams (run i draws from `new Rng(seed).fork('run-i')`). */
  readonly seed: number;
  /** The metrics of one run (called once per run with `run-<index>`, so per-run state stays per run). */
  readonly createMetrics?: (runKey: string) => RunMetricHooks;
  /** Which metric values are S and the test error of the summary rows (see `summaryKeys`). */
  readonly summaryKeys: SummaryKeys;
  /** The model's end-to-end predictor β(θ), for ‖β‖₁. */
  readonly predictor?: (theta: Float64Array) => Float64Array;
  /** A summary row for runs already finished (resume); such runs are not recomputed. */
  readonly finished?: (index: number, eta: number) => SummaryRow | undefined;
  readonly onRunStart?: (index: number, eta: number) => void;
  readonly onSeries?: (index: number, eta: number, row: SeriesRow) => void;
  readonly onRunEnd?: (row: SummaryRow, result: RunResult | undefined) => void;
}

/** The outcome of a sweep. */
export interface SweepResult {
  readonly rows: SummaryRow[];
  readonly initialLoss: number;
  readonly divergence: number;
}

/**
 * Runs GD (or any optimizer) from one θ₀ at each learning rate in order, sharing the compiled objective.
 * A diverged or capped run is labelled and the sweep goes on.
 */
export async function sweep(options: SweepOptions): Promise<SweepResult> {
  const initialLoss = await options.oracle.loss(options.theta0);
  const divergence = options.stop.divergence ?? defaultDivergenceBound(initialLoss);
  const stop: StopRules = { ...options.stop, divergence };
  const root = new Rng(options.seed);
  const rows: SummaryRow[] = [];
  for (const [index, eta] of options.etas.entries()) {
    const done = options.finished?.(index, eta);
    if (done) {
      rows.push(done);
      options.onRunEnd?.(done, undefined);
      continue;
    }
    options.onRunStart?.(index, eta);
    const hooks = options.createMetrics?.(`run-${index}`);
    const result = await runOnce({
      oracle: options.oracle,
      optimizer: options.createOptimizer(),
      theta0: options.theta0,
      eta,
      stop,
      every: options.every,
      rng: root.fork(`run-${index}`),
      metrics: hooks
        ? (theta, step, tolerant, extras) => hooks.evaluate(theta, eta, step, tolerant, extras)
        : undefined,
      observe: hooks?.observe ? (theta, step) => hooks.observe!(theta, step, eta) : undefined,
      onSeries: options.onSeries ? (row) => options.onSeries!(index, eta, row) : undefined,
    });
    const row = summarize(index, result, options.predictor, options.summaryKeys);
    rows.push(row);
    options.onRunEnd?.(row, result);
  }
  return { rows, initialLoss, divergence };
}

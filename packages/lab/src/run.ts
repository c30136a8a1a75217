import type { Optimizer, Oracle, Rng } from '@biaslab/core';
import type { MetricValues, RunStatus, SeriesRow } from '@biaslab/results';
import { StopMonitor } from './stop-rules';
import type { StopRules } from './stop-rules';
import type { EvaluationExtras } from './metric-evaluator';
import { finiteOrNull } from './metric-evaluator';

/** Metric values at an iterate; `tolerant` asks for nulls instead of errors (diverged runs). */
export type MetricsAt = (
  theta: Float64Array,
  step: number,
  tolerant: boolean,
  extras: EvaluationExtras,
) => Promise<MetricValues>;

/** The series row of an iterate: non-finite numbers become null, and empty metrics are left out. */
export function seriesRow(
  step: number,
  loss: number,
  gradNorm: number | undefined,
  metrics: MetricValues | undefined,
): SeriesRow {
  return {
    type: 'series',
    step,
    loss: finiteOrNull(loss),
    ...(gradNorm !== undefined ? { gradNorm: finiteOrNull(gradNorm) } : {}),
    ...(metrics && Object.keys(metrics).length > 0 ? { metrics } : {}),
  };
}

/** Everything one training run needs. */
export interface RunOptions {
  readonly oracle: Oracle;
  readonly optimizer: Optimizer<any>;
  /** θ₀; never mutated. */
  readonly theta0: Float64Array;
  readonly eta: number;
  readonly stop: StopRules;
  /** A series row (with metrics) every `every` steps and at the final iterate; 0 = only the final one. */
  readonly every: number;
  readonly rng: Rng;
  /** Metric values at an iterate; `tolerant` asks for nulls instead of errors (diverged runs). */
  readonly metrics?: MetricsAt;
  /** Sees θ₀ (step 0) and the iterate after every step (`Metric.observe`); must be cheap. */
  readonly observe?: (theta: Float64Array, step: number) => void;
  /** Receives each series row as it is made (the results store appends it). */
  readonly onSeries?: (row: SeriesRow) => void;
  /** Receives the loss of every iterate (progress displays). */
  readonly onStep?: (step: number, loss: number) => void;
  /** When aborted, the run stops after the current step by throwing `RunInterrupted`. */
  readonly signal?: AbortSignal;
}

/** Thrown by `runOnce` and `gradientFlow` when their abort signal fires; nothing final was produced. */
export class RunInterrupted extends Error {
  override readonly name = 'RunInterrupted';
  constructor(readonly step: number) {
    super(`interrupted at step ${step}`);
  }
}

/** The outcome of one run. */
export interface RunResult {
  readonly eta: number;
  readonly status: RunStatus;
  readonly reason: string;
  /** Steps taken to reach the final θ. */
  readonly steps: number;
  /** L at the final θ (non-finite for diverged runs). */
  readonly loss: number;
  readonly theta: Float64Array;
  /** Metrics at the final θ (nulls where non-finite). */
  readonly metrics: MetricValues;
  readonly series: readonly SeriesRow[];
  readonly seconds: number;
}

/**
 * Trains from θ₀ with one learning rate until a stop rule fires. Step t evaluates L(θ_t) (the optimizer
 * reports it for the θ it starts from) and the stop rules see it before θ_{t+1} is taken, so a converged run
 * ends at the last iterate at which the loss was < ε and the patience completed; a capped run ends at
 * θ_maxSteps; a diverged run ends at the first iterate whose loss is non-finite or above the bound. Divergence
 * is a result, never an exception.
 */
export async function runOnce(options: RunOptions): Promise<RunResult> {
  const { oracle, optimizer, eta, stop, every, rng } = options;
  const started = performance.now();
  const monitor = new StopMonitor(stop);
  const series: SeriesRow[] = [];
  const emit = (
    step: number,
    loss: number,
    gradNorm: number | undefined,
    metrics: MetricValues | undefined,
  ) => {
    const row = seriesRow(step, loss, gradNorm, metrics);
    series.push(row);
    options.onSeries?.(row);
  };

  let theta: Float64Array = Float64Array.from(options.theta0);
  let state = optimizer.init(theta);
  const extras = (): EvaluationExtras => ({ preconditioner: optimizer.preconditioner?.(state) });
  options.observe?.(theta, 0);
  for (let step = 0; ; step++) {
    if (options.signal?.aborted) throw new RunInterrupted(step);
    let loss: number;
    let gradNorm: number | undefined;
    let next: { theta: Float64Array; state: unknown } | undefined;
    if (step < stop.maxSteps) {
      let result;
      try {
        result = await optimizer.step({ theta, state, eta, step, oracle, rng });
      } catch (error) {
        // An engine failure on a runaway iterate is divergence; on a finite one it is a real error.
        if (theta.every(Number.isFinite)) throw error;
        result = { theta, state, loss: Number.NaN };
      }
      loss = result.loss ?? (await oracle.loss(theta));
      gradNorm = result.gradNorm;
      next = { theta: result.theta, state: result.state };
    } else {
      loss = await oracle.loss(theta);
    }
    options.onStep?.(step, loss);
    const verdict = monitor.observe(step, loss);
    if (verdict) {
      const metrics = options.metrics
        ? await options.metrics(theta, step, verdict.status === 'diverged', extras())
        : {};
      emit(step, loss, gradNorm, metrics);
      return {
        eta,
        status: verdict.status,
        reason: verdict.reason,
        steps: step,
        loss,
        theta,
        metrics,
        series,
        seconds: (performance.now() - started) / 1000,
      };
    }
    if (every > 0 && step % every === 0) {
      emit(
        step,
        loss,
        gradNorm,
        options.metrics ? await options.metrics(theta, step, false, extras()) : undefined,
      );
    }
    theta = next!.theta;
    state = next!.state;
    options.observe?.(theta, step + 1);
  }
}

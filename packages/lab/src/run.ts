import type { Optimizer, Oracle, Rng } from '@biaslab/core';
import type { MetricValues, RunStatus, SeriesRow } from '@biaslab/results';
import { StopMonitor } from './stop-rules';
import type { StopRules } from './stop-rules';
import type { EvaluationExtras } from './metric-evaluator';
import { finiteOrNull } from './metric-evaluator';
import { OptimizerSteps } from './optimizer-steps';

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

/** One run of a group: its learning rate and optimizer, its random stream, and where its results go. */
export interface GroupRun {
  readonly eta: number;
  /** A fresh optimizer of this run's own. */
  readonly optimizer: Optimizer<any>;
  readonly rng: Rng;
  /** Metric values at an iterate; `tolerant` asks for nulls instead of errors (diverged runs). */
  readonly metrics?: MetricsAt;
  /** Sees θ₀ (step 0) and the iterate after every step (`Metric.observe`); must be cheap. */
  readonly observe?: (theta: Float64Array, step: number) => void;
  /** Receives each series row as it is made (the results store appends it). */
  readonly onSeries?: (row: SeriesRow) => void;
  /** Receives the loss of every iterate (progress displays). */
  readonly onStep?: (step: number, loss: number) => void;
  /** Receives the run's result when a stop rule ends it; the other runs of the group go on. */
  readonly onFinish?: (result: RunResult) => void | Promise<void>;
}

/**
 * How the runs of a group take their steps. `run` is a run's index in the group. At step t the loop asks for
 * `evaluate`, reads what it needs of every run still going, then `advance`s the ones its stop rules let go on.
 */
export interface GroupStepper {
  /** Evaluates the step at θ_t of every run still going; `rowsDue` when the loop writes a row of each. */
  evaluate(step: number, rowsDue: boolean): Promise<void>;
  /** L(θ_t), as the run's step reports it. */
  loss(run: number): number;
  /** θ_t (not to be modified). */
  theta(run: number): Float64Array;
  /** ‖∇L(θ_t)‖ as the run's optimizer reports it; asked for only for the rows the loop writes. */
  gradNorm(run: number): Promise<number | undefined>;
  /** What metrics see of the run's optimizer at θ_t. */
  extras(run: number): EvaluationExtras;
  /** Takes the evaluated step of the runs in `ongoing`; the others have finished and leave the group. */
  advance(ongoing: readonly number[]): Promise<void>;
}

/** Everything a group of runs from one θ₀ needs. */
export interface RunGroupOptions {
  /** The training objective each run's optimizer steps with. */
  readonly oracle: Oracle;
  /** θ₀, shared by every run; never mutated. */
  readonly theta0: Float64Array;
  readonly runs: readonly GroupRun[];
  readonly stop: StopRules;
  /** A series row (with metrics) every `every` steps and at the final iterate; 0 = only the final one. */
  readonly every: number;
  /**
   * How the runs step (default: each run's optimizer on `oracle`, one after the other, `OptimizerSteps`); the
   * lab passes `BatchedGdSteps` for plain GD on a model with a batched graph.
   */
  readonly stepper?: GroupStepper;
  /** When aborted, the group stops after the current step by throwing `RunInterrupted`. */
  readonly signal?: AbortSignal;
}

/** Everything one training run needs (a group of one). */
export interface RunOptions extends Omit<GroupRun, 'onFinish'> {
  readonly oracle: Oracle;
  readonly theta0: Float64Array;
  readonly stop: StopRules;
  readonly every: number;
  readonly signal?: AbortSignal;
}

/** Thrown by `runGroup` and `gradientFlow` when their abort signal fires; nothing final was produced. */
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
 * The training loop: trains every run of a group from θ₀ with its own η, optimizer and random stream until a
 * stop rule ends it, and returns the results in order. Step t evaluates the run's step at θ_t — it reports
 * L(θ_t) and ‖∇L(θ_t)‖ — and the stop rules see L(θ_t) before θ_{t+1} is taken, so a converged run ends at the
 * last iterate at which the loss was < ε and the patience completed; a capped run ends at θ_maxSteps (whose
 * step is evaluated but not taken, so its row has the same fields as every other); a diverged run ends at the
 * first iterate whose loss is non-finite or above the bound. Divergence is a result, never an exception.
 * Series rows, final metrics and `onFinish` are made here and only here, for a group of one run or of many,
 * whatever the `stepper`; runs of a group share no state, so a run's numbers are those it gets alone.
 */
export async function runGroup(options: RunGroupOptions): Promise<RunResult[]> {
  const { runs, stop, every, signal } = options;
  const started = performance.now();
  const stepper = options.stepper ?? new OptimizerSteps(runs, options.oracle, options.theta0);
  const monitors = runs.map(() => new StopMonitor(stop));
  const series: SeriesRow[][] = runs.map(() => []);
  const results: RunResult[] = [];
  runs.forEach((run, r) => run.observe?.(stepper.theta(r), 0));
  let active = runs.map((_, r) => r);
  for (let step = 0; ; step++) {
    if (signal?.aborted) throw new RunInterrupted(step);
    const rowsDue = every > 0 && step % every === 0;
    await stepper.evaluate(step, rowsDue);
    const ongoing: number[] = [];
    for (const r of active) {
      const run = runs[r];
      const loss = stepper.loss(r);
      run.onStep?.(step, loss);
      const verdict = monitors[r].observe(step, loss);
      if (verdict || rowsDue) {
        const theta = stepper.theta(r);
        const tolerant = verdict?.status === 'diverged';
        let metrics = run.metrics ? await run.metrics(theta, step, tolerant, stepper.extras(r)) : undefined;
        if (verdict) metrics ??= {};
        const row = seriesRow(step, loss, await stepper.gradNorm(r), metrics);
        series[r].push(row);
        run.onSeries?.(row);
        if (verdict) {
          const seconds = (performance.now() - started) / 1000;
          results[r] = {
            eta: run.eta,
            ...verdict,
            steps: step,
            loss,
            theta,
            metrics: metrics!,
            series: series[r],
            seconds,
          };
          await run.onFinish?.(results[r]);
          continue;
        }
      }
      ongoing.push(r);
    }
    if (ongoing.length === 0) return results;
    await stepper.advance(ongoing);
    active = ongoing;
    for (const r of active) runs[r].observe?.(stepper.theta(r), step + 1);
  }
}

/** Trains from θ₀ with one learning rate until a stop rule fires: `runGroup` with a group of one. */
export async function runOnce(options: RunOptions): Promise<RunResult> {
  const { oracle, theta0, stop, every, signal, ...run } = options;
  const [result] = await runGroup({ oracle, theta0, stop, every, signal, runs: [run] });
  return result;
}

import type { Optimizer, Oracle, Rng } from '@biaslab/core';
import { StopMonitor } from './stop-rules';
import type { RunStatus, StopRules } from './stop-rules';
import type { EvaluationExtras, MetricValues } from './metric-evaluator';
import { finiteOrNull } from './metric-evaluator';
import type { GradientBatcher } from './gradient-batcher';

/** One row of a run's series: the loss (and metrics, when due) at the iterate reached after `step` steps. */
export interface SeriesRow {
  readonly type: 'series';
  readonly step: number;
  readonly loss: number | null;
  readonly gradNorm?: number | null;
  readonly metrics?: MetricValues;
}

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

/** Everything a group of runs from one θ₀ needs. */
export interface RunGroupOptions {
  /** The training objective each run's optimizer steps with. */
  readonly oracle: Oracle;
  /**
   * Shares the runs' full-batch gradients in one engine call per step (for a model with a batched graph);
   * its `oracle` then replaces `oracle` for the optimizers, and the runs step together.
   */
  readonly batcher?: GradientBatcher;
  /** θ₀, shared by every run; never mutated. */
  readonly theta0: Float64Array;
  readonly runs: readonly GroupRun[];
  readonly stop: StopRules;
  /** A series row (with metrics) every `every` steps and at the final iterate; 0 = only the final one. */
  readonly every: number;
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

/** A run in progress: its iterate and optimizer state, stop rules and rows so far. */
interface RunState {
  readonly run: GroupRun;
  readonly monitor: StopMonitor;
  readonly series: SeriesRow[];
  theta: Float64Array;
  state: unknown;
  result?: RunResult;
}

/** What one step reported at θ_t: L(θ_t), ‖∇L(θ_t)‖ when computed, and θ_{t+1} with its state. */
interface StepOutcome {
  readonly loss: number;
  readonly gradNorm?: number;
  readonly next?: { readonly theta: Float64Array; readonly state: unknown };
}

/**
 * The training loop: trains every run of a group from θ₀ with its own η, optimizer and random stream until a
 * stop rule ends it, and returns the results in order. Step t evaluates the optimizer's step at θ_t — it
 * reports L(θ_t) and ‖∇L(θ_t)‖ — and the stop rules see L(θ_t) before θ_{t+1} is taken, so a converged run
 * ends at the last iterate at which the loss was < ε and the patience completed; a capped run ends at
 * θ_maxSteps (whose step is evaluated but not taken, so its row has the same fields as every other); a
 * diverged run ends at the first iterate whose loss is non-finite or above the bound. Divergence is a
 * result, never an exception. Series rows, final metrics and `onFinish` are made here and only here, for a
 * group of one run or of many; runs of a group never share state, so each run's numbers are those it gets
 * alone (with a `batcher`, given the row-independence of the batched graph).
 */
export async function runGroup(options: RunGroupOptions): Promise<RunResult[]> {
  const { batcher, stop, every, signal } = options;
  const oracle = batcher?.oracle ?? options.oracle;
  const started = performance.now();
  const states: RunState[] = options.runs.map((run) => {
    const theta = Float64Array.from(options.theta0);
    const state = run.optimizer.init(theta);
    run.observe?.(theta, 0);
    return { run, monitor: new StopMonitor(stop), series: [], theta, state };
  });
  for (let step = 0; ; step++) {
    if (signal?.aborted) throw new RunInterrupted(step);
    const active = states.filter((s) => !s.result);
    const steps = active.map((s) => () => stepAt(s, step, oracle));
    // Without a batcher nothing is shared, so the runs step one after the other.
    const outcomes = batcher ? await batcher.round(steps) : await sequentially(steps);
    for (const [i, s] of active.entries()) {
      const outcome = outcomes[i];
      s.run.onStep?.(step, outcome.loss);
      const verdict = s.monitor.observe(step, outcome.loss);
      if (verdict) {
        const tolerant = verdict.status === 'diverged';
        const metrics = s.run.metrics ? await s.run.metrics(s.theta, step, tolerant, extras(s)) : {};
        emit(s, step, outcome, metrics);
        s.result = {
          eta: s.run.eta,
          ...verdict,
          steps: step,
          loss: outcome.loss,
          theta: s.theta,
          metrics,
          series: s.series,
          seconds: (performance.now() - started) / 1000,
        };
        await s.run.onFinish?.(s.result);
        continue;
      }
      if (every > 0 && step % every === 0) {
        emit(
          s,
          step,
          outcome,
          s.run.metrics ? await s.run.metrics(s.theta, step, false, extras(s)) : undefined,
        );
      }
      s.theta = outcome.next!.theta;
      s.state = outcome.next!.state;
      s.run.observe?.(s.theta, step + 1);
    }
    if (states.every((s) => s.result)) return states.map((s) => s.result!);
  }
}

/** Trains from θ₀ with one learning rate until a stop rule fires: `runGroup` with a group of one. */
export async function runOnce(options: RunOptions): Promise<RunResult> {
  const { oracle, theta0, stop, every, signal, ...run } = options;
  const [result] = await runGroup({ oracle, theta0, stop, every, signal, runs: [run] });
  return result;
}

/** The optimizer's step at the run's θ_t; an engine failure on a runaway iterate is divergence. */
async function stepAt(s: RunState, step: number, oracle: Oracle): Promise<StepOutcome> {
  const { theta, state, run } = s;
  let result;
  try {
    result = await run.optimizer.step({ theta, state, eta: run.eta, step, oracle, rng: run.rng });
  } catch (error) {
    // on a finite iterate it is a real error
    if (theta.every(Number.isFinite)) throw error;
    return { loss: Number.NaN };
  }
  return {
    loss: result.loss ?? (await oracle.loss(theta)),
    gradNorm: result.gradNorm,
    next: { theta: result.theta, state: result.state },
  };
}

async function sequentially<T>(steps: readonly (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (const step of steps) out.push(await step());
  return out;
}

/** What metrics see of the run's optimizer: its current preconditioner (adaptive methods). */
function extras(s: RunState): EvaluationExtras {
  return { preconditioner: s.run.optimizer.preconditioner?.(s.state) };
}

function emit(s: RunState, step: number, outcome: StepOutcome, metrics: MetricValues | undefined): void {
  const row = seriesRow(step, outcome.loss, outcome.gradNorm, metrics);
  s.series.push(row);
  s.run.onSeries?.(row);
}

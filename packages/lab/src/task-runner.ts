import { BiaslabError, Rng } from '@biaslab/core';
import { createBatchedGd } from '@biaslab/runtime';
import type { BatchedGd, BatchedGdOptions } from '@biaslab/runtime';
import type { ResolvedExperiment, ResolvedPoint } from './resolve-experiment';
import { prepareExperiment } from './prepare';
import type { ObjectiveFactory, PreparedExperiment } from './prepare';
import { runOnce, RunInterrupted } from './run';
import type { RunResult } from './run';
import { runBatch } from './batch-run';
import { gradientFlow } from './gradient-flow';
import { defaultDivergenceBound } from './stop-rules';
import { summarize, summaryKeys, l1Norm } from './summary';
import type { FlowSummary } from '@biaslab/results';
import type { BatchTask, FinalRow, FlowTask, RunTask, Task, TaskCallbacks, TaskExecutor } from './tasks';

/** A prepared point with its initial loss and divergence bound. */
interface PreparedPoint {
  readonly prepared: PreparedExperiment;
  readonly initialLoss: number;
  readonly divergence: number;
  /** Batched GD steppers of this point, by number of runs (compiled on first use). */
  readonly steppers: Map<number, Promise<BatchedGd>>;
}

/** Builds a batched GD stepper; defaults to `createBatchedGd` of @biaslab/runtime. */
export type BatchedGdFactory = (options: BatchedGdOptions) => Promise<BatchedGd>;

/** Progress is reported at most this often (milliseconds). */
const PROGRESS_INTERVAL_MS = 200;

/**
 * Executes flow and run tasks of one experiment in this process. Compiled objectives and θ₀ are built once
 * per distinct point (`prepareKey`) and kept for the next tasks of that point (the `cacheSize` most recent).
 * Each run's random streams and metric memory are its own, so a run's numbers do not depend on which tasks
 * this runner executed before.
 */
export class TaskRunner {
  private readonly cache = new Map<string, Promise<PreparedPoint>>();

  constructor(
    readonly resolved: ResolvedExperiment,
    private readonly factory?: ObjectiveFactory,
    private readonly cacheSize = 2,
    private readonly batchedFactory: BatchedGdFactory = createBatchedGd,
  ) {}

  /** Runs one task to its final row; throws `RunInterrupted` when `signal` fires. */
  async run(task: Task, callbacks: TaskCallbacks, signal?: AbortSignal): Promise<FinalRow> {
    const point = this.resolved.points[task.point];
    if (!point)
      throw new BiaslabError(
        'INTERNAL',
        `Task \`${task.id}\` names grid point ${task.point}, which does not exist`,
      );
    if (task.kind === 'flow') return this.flow(task, point, callbacks, signal);
    if (task.kind === 'batch') return this.batch(task, point, callbacks, signal);
    return this.train(task, point, callbacks, signal);
  }

  /** The prepared point (compiling it on first use). */
  prepare(point: ResolvedPoint): Promise<PreparedPoint> {
    let entry = this.cache.get(point.prepareKey);
    if (entry) {
      // Most recently used last.
      this.cache.delete(point.prepareKey);
      this.cache.set(point.prepareKey, entry);
      return entry;
    }
    entry = (async () => {
      const prepared = await prepareExperiment(point, this.factory);
      const initialLoss = await prepared.train.loss(prepared.theta0);
      const divergence = point.config.stop.divergence ?? defaultDivergenceBound(initialLoss);
      return { prepared, initialLoss, divergence, steppers: new Map() };
    })();
    this.cache.set(point.prepareKey, entry);
    entry.catch(() => this.cache.delete(point.prepareKey));
    while (this.cache.size > this.cacheSize) {
      const [oldest, evicted] = this.cache.entries().next().value!;
      this.cache.delete(oldest);
      void evicted.then((p) => release(p)).catch(() => undefined);
    }
    return entry;
  }

  /** Releases every compiled objective. */
  async dispose(): Promise<void> {
    const entries = [...this.cache.values()];
    this.cache.clear();
    for (const entry of entries) {
      try {
        await release(await entry);
      } catch {
        // A point that failed to prepare has nothing to release.
      }
    }
  }

  private async train(
    task: RunTask,
    point: ResolvedPoint,
    callbacks: TaskCallbacks,
    signal?: AbortSignal,
  ): Promise<FinalRow> {
    const { prepared, divergence } = await this.prepare(point);
    const { config } = point;
    const { eta, index } = task;
    const hooks = point.metrics.length > 0 ? prepared.createMetrics(`run-${index}`) : undefined;
    let sharpness: number | null | undefined;
    let lastReport = 0;
    const result = await runOnce({
      oracle: prepared.train,
      optimizer: prepared.createOptimizer(),
      theta0: prepared.theta0,
      eta,
      stop: { ...config.stop, divergence },
      every: config.every,
      rng: new Rng(config.seed).fork(`run-${index}`),
      metrics: hooks
        ? (theta, step, tolerant, extras) => hooks.evaluate(theta, eta, step, tolerant, extras)
        : undefined,
      observe: hooks?.observe ? (theta, step) => hooks.observe!(theta, step, eta) : undefined,
      onSeries: (row) => {
        const s = row.metrics?.sharpness;
        if (s !== undefined) sharpness = s === null ? null : Math.abs(s);
        callbacks.row(row as unknown as Record<string, unknown>);
      },
      onStep: callbacks.progress
        ? (step, loss) => {
            const now = performance.now();
            if (now - lastReport < PROGRESS_INTERVAL_MS) return;
            lastReport = now;
            callbacks.progress!({ step, loss: Number.isFinite(loss) ? loss : null, sharpness });
          }
        : undefined,
      signal,
    });
    return finalRow(task, result, prepared);
  }

  /**
   * Trains the members of a batch task as one batched graph (`runBatch`), reporting each member's rows and
   * final row under its own id. Falls back to one run after another when the model instance has no
   * batched graph.
   */
  private async batch(
    task: BatchTask,
    point: ResolvedPoint,
    callbacks: TaskCallbacks,
    signal?: AbortSignal,
  ): Promise<FinalRow> {
    const entry = await this.prepare(point);
    const { prepared, divergence } = entry;
    const { config } = point;
    const done: FinalRow = { type: 'final', batch: task.id, runs: task.runs.map((r) => r.id) };
    if (!prepared.model.batchedGraph) {
      for (const run of task.runs) {
        const final = await this.train(
          run,
          point,
          {
            row: (row) => callbacks.row(row, run.id),
            progress: callbacks.progress ? (p) => callbacks.progress!(p, run.id) : undefined,
          },
          signal,
        );
        callbacks.finished?.(run.id, final);
      }
      return done;
    }
    const stepper = (runs: number): Promise<BatchedGd> => {
      let s = entry.steppers.get(runs);
      if (!s) {
        s = this.batchedFactory({
          model: prepared.model,
          loss: point.loss,
          data: prepared.dataset.train,
          dtype: config.dtype,
          runs,
          threads: config.threads,
        });
        entry.steppers.set(runs, s);
        s.catch(() => entry.steppers.delete(runs));
      }
      return s;
    };
    let lastReport = 0;
    await runBatch({
      stepper,
      layout: prepared.model.layout,
      theta0: prepared.theta0,
      stop: { ...config.stop, divergence },
      every: config.every,
      members: task.runs.map((run) => {
        const hooks = point.metrics.length > 0 ? prepared.createMetrics(`run-${run.index}`) : undefined;
        return {
          eta: run.eta,
          metrics: hooks
            ? (theta, step, tolerant, extras) => hooks.evaluate(theta, run.eta, step, tolerant, extras)
            : undefined,
          onSeries: (row) => callbacks.row(row as unknown as Record<string, unknown>, run.id),
          onFinish: (result) => callbacks.finished?.(run.id, finalRow(run, result, prepared)),
        };
      }),
      onStep: callbacks.progress
        ? (step, active) => {
            const now = performance.now();
            if (now - lastReport < PROGRESS_INTERVAL_MS) return;
            lastReport = now;
            for (const { member, loss } of active) {
              callbacks.progress!({ step, loss: Number.isFinite(loss) ? loss : null }, task.runs[member].id);
            }
          }
        : undefined,
      signal,
    });
    return done;
  }

  private async flow(
    task: FlowTask,
    point: ResolvedPoint,
    callbacks: TaskCallbacks,
    signal?: AbortSignal,
  ): Promise<FinalRow> {
    const { prepared } = await this.prepare(point);
    if (!prepared.sharpness) {
      throw new BiaslabError(
        'INTERNAL',
        'The gradient-flow reference is enabled but no sharpness metric was resolved',
      );
    }
    const { config } = point;
    const epsilon = config.flow.epsilon ?? config.stop.epsilon;
    let lastReport = 0;
    const result = await gradientFlow({
      oracle: prepared.train,
      theta0: prepared.theta0,
      sharpness: prepared.sharpness,
      settings: { ...config.flow, epsilon },
      onRow: (row) => {
        callbacks.row(row as unknown as Record<string, unknown>);
        const now = performance.now();
        if (callbacks.progress && now - lastReport >= PROGRESS_INTERVAL_MS) {
          lastReport = now;
          callbacks.progress({ step: row.step, loss: row.loss, sharpness: row.sharpness });
        }
      },
      signal,
    });
    const beta = prepared.model.predictor?.(result.theta);
    const summary: FlowSummary = {
      type: 'final',
      status: result.status,
      reason: result.reason,
      sGF: result.sGF,
      etaC: result.etaC,
      sFinal: result.sFinal,
      tEps: result.tEps,
      epsilon,
      steps: result.steps,
      loss: Number.isFinite(result.loss) ? result.loss : null,
      thetaL1: l1Norm(result.theta),
      ...(beta ? { betaL1: l1Norm(beta) } : {}),
      seconds: result.seconds,
    };
    return { ...summary, flow: task.id, theta: result.theta };
  }
}

/** The final row of a run task: its summary, identity and final θ. */
function finalRow(task: RunTask, result: RunResult, prepared: PreparedExperiment): FinalRow {
  const { model } = prepared;
  const row = summarize(
    task.index,
    result,
    model.predictor ? (t) => model.predictor!(t) : undefined,
    summaryKeys(prepared.resolved.metrics),
  );
  return {
    ...row,
    run: task.id,
    point: task.point,
    grid: task.grid,
    seed: task.seed,
    phase: task.phase,
    type: 'final',
    theta: result.theta,
  };
}

/** Releases a point's compiled objectives and batched steppers. */
async function release(point: PreparedPoint): Promise<void> {
  for (const s of await Promise.allSettled(point.steppers.values()))
    if (s.status === 'fulfilled') await s.value.dispose();
  await point.prepared.dispose();
}

/** A `TaskExecutor` that runs one task at a time in this process. */
export class LocalExecutor implements TaskExecutor {
  readonly slots = 1;
  private controller = new AbortController();

  constructor(private readonly runner: TaskRunner) {}

  run(task: Task, callbacks: TaskCallbacks): Promise<FinalRow> {
    if (this.controller.signal.aborted) return Promise.reject(new RunInterrupted(0));
    return this.runner.run(task, callbacks, this.controller.signal);
  }

  interrupt(): void {
    this.controller.abort();
  }

  close(): Promise<void> {
    return this.runner.dispose();
  }
}

import { BiaslabError, Rng } from '@biaslab/core';
import type { ResolvedExperiment, ResolvedPoint } from './resolve-experiment';
import { prepareExperiment } from './prepare';
import type { ObjectiveFactory, PreparedExperiment } from './prepare';
import { runOnce, RunInterrupted } from './run';
import { gradientFlow } from './gradient-flow';
import { defaultDivergenceBound } from './stop-rules';
import { summarize, l1Norm } from './summary';
import type { FlowSummary } from './flow-summary';
import type { FinalRow, FlowTask, RunTask, Task, TaskCallbacks, TaskExecutor } from './tasks';

/** A prepared point with its initial loss and divergence bound. */
interface PreparedPoint {
  readonly prepared: PreparedExperiment;
  readonly initialLoss: number;
  readonly divergence: number;
}

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
  ) {}

  /** Runs one task to its final row; throws `RunInterrupted` when `signal` fires. */
  async run(task: Task, callbacks: TaskCallbacks, signal?: AbortSignal): Promise<FinalRow> {
    const point = this.resolved.points[task.point];
    if (!point) throw new BiaslabError('INTERNAL', `Task \`${task.id}\` names grid point ${task.point}, which does not exist`);
    return task.kind === 'flow'
      ? this.flow(task, point, callbacks, signal)
      : this.train(task, point, callbacks, signal);
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
      return { prepared, initialLoss, divergence };
    })();
    this.cache.set(point.prepareKey, entry);
    entry.catch(() => this.cache.delete(point.prepareKey));
    while (this.cache.size > this.cacheSize) {
      const [oldest, evicted] = this.cache.entries().next().value!;
      this.cache.delete(oldest);
      void evicted.then((p) => p.prepared.dispose()).catch(() => undefined);
    }
    return entry;
  }

  /** Releases every compiled objective. */
  async dispose(): Promise<void> {
    const entries = [...this.cache.values()];
    this.cache.clear();
    for (const entry of entries) {
      try {
        await (await entry).prepared.dispose();
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
    const row = summarize(index, result, prepared.model.predictor ? (t) => prepared.model.predictor!(t) : undefined);
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

  private async flow(
    task: FlowTask,
    point: ResolvedPoint,
    callbacks: TaskCallbacks,
    signal?: AbortSignal,
  ): Promise<FinalRow> {
    const { prepared } = await this.prepare(point);
    if (!prepared.sharpness) {
      throw new BiaslabError('INTERNAL', 'The gradient-flow reference is enabled but no sharpness metric was resolved');
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

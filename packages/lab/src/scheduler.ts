import { BiaslabError } from '@biaslab/core';
import type { ResolvedExperiment } from './resolve-experiment';
import type { FlowSummary, LineWriter, ResultsStore, RunPhase, SummaryRow } from '@biaslab/results';
import type { ExperimentLayout } from './experiment-layout';
import type { FileTask, FinalRow, RunTask, Task, TaskExecutor, TaskProgress } from './tasks';
import { RunInterrupted } from './run';
import { bisectEta, divergenceBracket, etaCNeighbours } from './refine';
import type { EtaOutcome } from './refine';

/** Callbacks the scheduler reports to (a subset of `RunExperimentOptions`). */
export interface SchedulerEvents {
  readonly onPlan?: (totalRuns: number) => void;
  readonly onTaskStart?: (task: FileTask) => void;
  readonly onProgress?: (task: FileTask, progress: TaskProgress) => void;
  readonly onFlowEnd?: (flow: FlowSummary, resumed: boolean, points: readonly number[]) => void;
  readonly onRunEnd?: (row: SummaryRow, resumed: boolean) => void;
}

interface PointState {
  coarseLeft: number;
  etaCDone: boolean;
  readonly coarse: EtaOutcome[];
  readonly edge: EtaOutcome[];
  readonly etas: number[];
}

/** The summary is rewritten at most this often while runs finish (and always at the end). */
const SUMMARY_INTERVAL_MS = 1000;

/**
 * Decides what runs when: the flows and the first-pass runs at once, then per point the runs around η_c
 * (once the point's first pass and flow are done) and the sequential bisection at the divergence edge (from
 * the first-pass outcomes and earlier bisection steps only). Everything derived is a function of finished
 * results, never of timing, so run ids and numbers are the same whatever the parallelism or the number of
 * interruptions. A task whose file already has a final row counts as finished without running.
 */
export class Scheduler {
  private readonly queue: FileTask[] = [];
  private readonly rows = new Map<string, SummaryRow>();
  private readonly flows = new Map<string, FlowSummary>();
  private readonly states: PointState[];
  private stopped = false;
  private wasInterrupted = false;
  private failure: unknown;
  private lastSummary = 0;
  planned = 0;

  /**
   * `groupSizes[p]`: at most this many queued runs of point p are handed out together as one group task
   * (1 for every point by default; `runExperiment` allows `batch` for points whose model has a batched graph).
   */
  constructor(
    private readonly resolved: ResolvedExperiment,
    private readonly layout: ExperimentLayout,
    private readonly store: ResultsStore | undefined,
    private readonly events: SchedulerEvents,
    private readonly groupSizes: readonly number[] = resolved.points.map(() => 1),
  ) {
    this.states = resolved.points.map((p) => ({
      coarseLeft: p.lrs.length,
      etaCDone: false,
      coarse: [],
      edge: [],
      etas: [...p.lrs],
    }));
  }

  /** Runs planned so far (first pass plus the refinements the configuration asks for). */
  get plannedRuns(): number {
    return this.planned;
  }

  /** Tasks waiting to run. */
  get pending(): number {
    return this.queue.length;
  }

  /** True when a stop request left work undone. */
  get interrupted(): boolean {
    return this.wasInterrupted;
  }

  /** Queues every flow and first-pass run (taking finished ones from the store). */
  seed(): void {
    const { refine } = this.resolved.config;
    this.planned = this.resolved.points.length * (this.resolved.lrs.length + refine.etaC + refine.edge);
    for (const flow of this.layout.flows) this.submit({ kind: 'flow', id: flow.id, point: flow.points[0] });
    for (const point of this.resolved.points) {
      point.lrs.forEach((eta, index) => this.submit(this.runTask(point.index, index, eta, 'grid')));
    }
  }

  /** Stops handing out tasks; running ones are interrupted by the executor. */
  stop(): void {
    this.stopped = true;
  }

  /** The flow summary of a flow id, once finished. */
  flow(id: string): FlowSummary | undefined {
    return this.flows.get(id);
  }

  /** Every finished run, by point and position. */
  summaryRows(): SummaryRow[] {
    return [...this.rows.values()].sort((a, b) => (a.point ?? 0) - (b.point ?? 0) || a.index - b.index);
  }

  /**
   * Runs the queue on `executor` until it is empty (or stopped); rethrows the first task failure. `wake`
   * resolves when the executor gains slots (worker processes that finished starting).
   */
  async drain(executor: TaskExecutor, wake?: Promise<unknown>): Promise<void> {
    const running = new Set<Promise<void>>();
    let woken: Promise<void> | undefined;
    const forget = (): void => {
      woken = undefined;
    };
    woken = wake?.then(forget, forget);
    for (;;) {
      while (!this.stopped && running.size < executor.slots && this.queue.length > 0) {
        const job = this.start(executor, this.next(executor.slots - running.size)).finally(() =>
          running.delete(job),
        );
        running.add(job);
      }
      if (running.size === 0) break;
      await Promise.race(woken ? [...running, woken] : running);
    }
    if (this.stopped && this.queue.length > 0) this.wasInterrupted = true;
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * The next task of the queue. A run takes along other queued runs of its point as one group: at most the
   * point's group size, and few enough that the point's queued runs fill every free slot (spread evenly over
   * the queue, so each group mixes small and large η). The grouping only changes which runs share an
   * onnxruntime call, never a run's numbers.
   */
  private next(freeSlots: number): Task {
    const first = this.queue.shift()!;
    if (first.kind === 'flow') return first;
    const group = [
      first,
      ...this.queue.filter((t): t is RunTask => t.kind === 'run' && t.point === first.point),
    ];
    const count = Math.min(this.groupSizes[first.point], Math.ceil(group.length / Math.max(1, freeSlots)));
    // `count` runs spread evenly over the point's queue
    const runs = Array.from(
      { length: Math.max(1, count) },
      (_, i) => group[Math.floor((i * group.length) / count)],
    );
    const taken = new Set<FileTask>(runs);
    this.queue.splice(0, this.queue.length, ...this.queue.filter((t) => !taken.has(t)));
    return { kind: 'runs', id: runs.length === 1 ? first.id : `${first.id}+`, point: first.point, runs };
  }

  /** Runs a task: one file, progress entry and completion per flow or run in it. */
  private async start(executor: TaskExecutor, task: Task): Promise<void> {
    const files = new Map<string, FileTask>(
      (task.kind === 'flow' ? [task] : task.runs).map((f) => [f.id, f]),
    );
    const writers = new Map<string, LineWriter | undefined>();
    for (const file of files.values()) {
      writers.set(file.id, this.store?.begin(this.store.pathOf(file.kind, file.id)));
      this.events.onTaskStart?.(file);
    }
    try {
      await executor.run(task, {
        row: (id, row) => writers.get(id)?.append(row),
        progress: this.events.onProgress ? (id, p) => this.events.onProgress!(files.get(id)!, p) : undefined,
        finished: (id, final) => {
          const writer = writers.get(id);
          writer?.append(final);
          writer?.close();
          writers.delete(id);
          this.complete(files.get(id)!, final, false);
        },
      });
      if (writers.size > 0) {
        throw new BiaslabError(
          'INTERNAL',
          `Task \`${task.id}\` ended without a final row for ${[...writers.keys()].map((id) => `\`${id}\``).join(', ')}`,
        );
      }
    } catch (error) {
      this.failed(executor, error);
    } finally {
      for (const writer of writers.values()) writer?.close();
    }
  }

  /** An interrupted task leaves the experiment resumable; any other failure stops it and is rethrown. */
  private failed(executor: TaskExecutor, error: unknown): void {
    if (error instanceof RunInterrupted) {
      this.wasInterrupted = true;
    } else if (this.failure === undefined) {
      this.failure = error;
      this.stopped = true;
      executor.interrupt();
    }
  }

  private submit(task: FileTask): void {
    const final = this.store?.readFinal(task.kind, task.id);
    if (final) this.complete(task, final as FinalRow, true);
    else this.queue.push(task);
  }

  private runTask(point: number, index: number, eta: number, phase: RunPhase): RunTask {
    const p = this.resolved.points[point];
    return {
      kind: 'run',
      id: this.layout.runId(point, index, eta),
      point,
      index,
      eta,
      phase,
      grid: p.grid,
      seed: p.config.seed,
    };
  }

  private complete(task: FileTask, final: FinalRow, resumed: boolean): void {
    const { theta: _theta, ...rest } = final;
    if (task.kind === 'flow') {
      const summary = rest as unknown as FlowSummary;
      this.flows.set(task.id, summary);
      const points = this.layout.flows.find((f) => f.id === task.id)!.points;
      this.events.onFlowEnd?.(summary, resumed, points);
      for (const p of points) this.refineAroundEtaC(p);
    } else {
      const row = { ...rest, type: 'summary' } as unknown as SummaryRow;
      this.rows.set(task.id, row);
      this.events.onRunEnd?.(row, resumed);
      const state = this.states[task.point];
      const outcome = { eta: task.eta, status: row.status };
      if (task.phase === 'grid') {
        state.coarse.push(outcome);
        if (--state.coarseLeft === 0) {
          this.refineAroundEtaC(task.point);
          this.bisectEdge(task.point);
        }
      } else if (task.phase === 'edge') {
        state.edge.push(outcome);
        this.bisectEdge(task.point);
      }
    }
    this.writeSummarySoon();
  }

  private refineAroundEtaC(point: number): void {
    const state = this.states[point];
    const { refine } = this.resolved.config;
    const flowId = this.layout.flowOf[point];
    const flow = flowId ? this.flows.get(flowId) : undefined;
    if (state.etaCDone || state.coarseLeft > 0 || refine.etaC === 0 || !flow) return;
    state.etaCDone = true;
    const first = this.resolved.lrs.length;
    const etas = etaCNeighbours(flow.etaC, refine.etaC, refine.spread, this.resolved.points[point].lrs);
    this.planned -= refine.etaC - etas.length;
    if (etas.length < refine.etaC) this.events.onPlan?.(this.planned);
    etas.forEach((eta, j) => this.submit(this.runTask(point, first + j, eta, 'eta-c')));
  }

  private bisectEdge(point: number): void {
    const state = this.states[point];
    const { refine } = this.resolved.config;
    const step = state.edge.length;
    if (state.coarseLeft > 0 || step >= refine.edge) return;
    const bracket = divergenceBracket([...state.coarse, ...state.edge]);
    const eta = bracket ? bisectEta(bracket) : undefined;
    if (eta === undefined) {
      this.planned -= refine.edge - step;
      this.events.onPlan?.(this.planned);
      return;
    }
    const index = this.resolved.lrs.length + refine.etaC + step;
    this.submit(this.runTask(point, index, eta, 'edge'));
  }

  private writeSummarySoon(): void {
    if (!this.store) return;
    const now = performance.now();
    if (now - this.lastSummary < SUMMARY_INTERVAL_MS) return;
    this.lastSummary = now;
    this.store.writeSummary(this.summaryRows());
  }
}

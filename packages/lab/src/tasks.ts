import type { RunPhase } from '@biaslab/results';
import type { GridPoint } from './grid';

/** The gradient-flow reference of one grid point (shared by the points with the same flow key). */
export interface FlowTask {
  readonly kind: 'flow';
  /** Stable identity, also the file stem (`flow`, `flows/f01`). */
  readonly id: string;
  readonly point: number;
}

/** One training run: a grid point at one learning rate. */
export interface RunTask {
  readonly kind: 'run';
  /** Stable identity, also the file stem (`000-eta0.1`, `p01-003-eta0.25`). */
  readonly id: string;
  readonly point: number;
  /** Position of η in the point's list (first pass, then refinements). */
  readonly index: number;
  readonly eta: number;
  readonly phase: RunPhase;
  /** The point's grid values, copied into the summary row. */
  readonly grid: GridPoint;
  readonly seed: number;
}

/**
 * Runs of one grid point trained together in one loop (`runGroup`): a single run is a group of one. Each run
 * keeps its own id, file and final row; its numbers do not depend on which runs share its group or on the
 * group's size.
 */
export interface RunGroupTask {
  readonly kind: 'runs';
  /** Stable identity of the group: its run's id, or its first run's id with a `+` suffix; no file of its own. */
  readonly id: string;
  readonly point: number;
  readonly runs: readonly RunTask[];
}

/** Work for an executor: a gradient-flow reference, or a group of runs. */
export type Task = FlowTask | RunGroupTask;

/** A task with a file of its own: what progress displays and the results store see. */
export type FileTask = FlowTask | RunTask;

/** Progress of a flow or run is reported at most this often (milliseconds). */
export const PROGRESS_INTERVAL_MS = 200;

/** Live state of a task, for progress displays. */
export interface TaskProgress {
  readonly step: number;
  readonly loss: number | null;
  /** The latest sharpness estimate of the run, when a metric reports one. */
  readonly sharpness?: number | null;
}

/** What a task reports while it runs, each report under the id of the flow or run (file) it is about. */
export interface TaskCallbacks {
  /** A series (or flow-path) row to append to that file. */
  row(id: string, row: Record<string, unknown>): void;
  /** Throttled progress. */
  progress?(id: string, progress: TaskProgress): void;
  /** That flow or run finished: its final row (the other runs of a group go on). */
  finished(id: string, final: FinalRow): void;
}

/** The final row of a flow or run: `{type: 'final', …summary…, theta}`. */
export type FinalRow = Record<string, unknown> & { readonly type: 'final' };

/**
 * Something that executes tasks — in this process, in a pool of worker processes, or elsewhere. It takes
 * tasks and hands back, through `callbacks`, every row and the final row of each flow or run in the task.
 */
export interface TaskExecutor {
  /** How many tasks may run at once. */
  readonly slots: number;
  /**
   * Runs a task; resolves once every flow or run of it has been handed back with `finished`, and rejects
   * with `RunInterrupted` after `interrupt()`.
   */
  run(task: Task, callbacks: TaskCallbacks): Promise<void>;
  /** Asks every running task to stop after its current step. */
  interrupt(): void;
  close(): Promise<void>;
}

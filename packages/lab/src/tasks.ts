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
 * Runs of one grid point trained together as one batched graph (`ResolvedPoint.batchSize`). Each member
 * keeps its own id, file and final row; a member's numbers do not depend on which others share its batch.
 */
export interface BatchTask {
  readonly kind: 'batch';
  /** Stable identity of the batch (its first member's id with a `+` suffix); it has no file of its own. */
  readonly id: string;
  readonly point: number;
  readonly runs: readonly RunTask[];
}

/** Work for a task runner. */
export type Task = FlowTask | RunTask | BatchTask;

/** A task with a file of its own: what progress displays and the results store see. */
export type FileTask = FlowTask | RunTask;

/** Live state of a task, for progress displays. */
export interface TaskProgress {
  readonly step: number;
  readonly loss: number | null;
  /** The latest sharpness estimate of the run, when a metric reports one. */
  readonly sharpness?: number | null;
}

/** What a task reports while it runs. For a batch task, `member` names the run each report is about. */
export interface TaskCallbacks {
  /** A series (or flow-path) row to append to the task's file. */
  row(row: Record<string, unknown>, member?: string): void;
  /** Throttled progress. */
  progress?(progress: TaskProgress, member?: string): void;
  /** A member of a batch task finished: its final row (the batch goes on with the others). */
  finished?(member: string, final: FinalRow): void;
}

/** The final row of a task: `{type: 'final', …summary…, theta}`. */
export type FinalRow = Record<string, unknown> & { readonly type: 'final' };

/** Something that executes tasks: in this process, or in a pool of worker processes. */
export interface TaskExecutor {
  /** How many tasks may run at once. */
  readonly slots: number;
  /** Runs a task; rejects with `RunInterrupted` after `interrupt()`. */
  run(task: Task, callbacks: TaskCallbacks): Promise<FinalRow>;
  /** Asks every running task to stop after its current step. */
  interrupt(): void;
  close(): Promise<void>;
}

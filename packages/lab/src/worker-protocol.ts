import { BiaslabError, isBiaslabError } from '@biaslab/core';
import type { ErrorCode } from '@biaslab/core';
import type { ExperimentConfig } from './experiment';
import type { FinalRow, Task, TaskProgress } from './tasks';

/** Parent → worker messages. */
export type ToWorker =
  | {
      readonly type: 'init';
      readonly config: ExperimentConfig;
      readonly mode: 'run' | 'sweep';
      /** Whatever the worker script needs to build its Registry (the CLI sends plugin specs and cwd). */
      readonly payload: unknown;
    }
  | { readonly type: 'task'; readonly task: Task }
  | { readonly type: 'stop' }
  | { readonly type: 'close' };

/**
 * Worker → parent messages. `row`, `progress` and `final` name the flow or run (file) they are about; `done`,
 * `interrupted` and `error` name the task, which is done once each of its flows or runs sent its `final`.
 */
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'row'; readonly id: string; readonly row: Record<string, unknown> }
  | { readonly type: 'progress'; readonly id: string; readonly progress: TaskProgress }
  | { readonly type: 'final'; readonly id: string; readonly final: FinalRow }
  | { readonly type: 'done'; readonly id: string }
  | { readonly type: 'interrupted'; readonly id: string }
  | { readonly type: 'error'; readonly id?: string; readonly error: SerializedError };

/** An error as it crosses the process boundary. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly details?: Record<string, unknown>;
  readonly stack?: string;
}

/** `error` in a form that survives structured cloning with its code and stack. */
export function serializeError(error: unknown): SerializedError {
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    name: e.name,
    message: e.message,
    ...(isBiaslabError(e) ? { code: e.code, details: { ...e.details } } : {}),
    stack: e.stack,
  };
}

/** The error again: a BiaslabError with its code, or an Error carrying the worker's stack. */
export function deserializeError(error: SerializedError): Error {
  if (error.code) {
    return new BiaslabError(error.code as ErrorCode, error.message, error.details ?? {});
  }
  const e = new Error(error.message);
  e.name = error.name;
  if (error.stack) e.stack = `${error.stack}\n    (in a worker process)`;
  return e;
}

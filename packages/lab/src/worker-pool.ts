import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BiaslabError } from '@biaslab/core';
import type { ExperimentConfig } from './experiment';
import { RunInterrupted } from './run';
import type { Task, TaskCallbacks, TaskExecutor } from './tasks';
import { deserializeError } from './worker-protocol';
import type { FromWorker, ToWorker } from './worker-protocol';

/** How to start a worker process. */
export interface WorkerScript {
  /** The module to fork; it calls `serveWorker` (path or file URL). */
  readonly script: string | URL;
  /** What `serveWorker`'s registry builder receives. */
  readonly payload: unknown;
  /** Node flags of the workers (default: this process's, minus test-runner and inspector flags). */
  readonly execArgv?: readonly string[];
}

interface Pending {
  readonly id: string;
  /** Ids of the task's flow or runs, whose rows and final rows arrive under their own ids. */
  readonly files: ReadonlySet<string>;
  readonly callbacks: TaskCallbacks;
  resolve(): void;
  reject(error: unknown): void;
}

interface Slot {
  readonly child: ChildProcess;
  pending?: Pending;
  exited: boolean;
}

/**
 * A `TaskExecutor` over `count` forked worker processes, each running one task at a time. Messages use
 * structured cloning (`serialization: 'advanced'`), so θ crosses as a Float64Array with every bit intact.
 */
export class WorkerPool implements TaskExecutor {
  private readonly slotList: Slot[];

  private constructor(slots: Slot[]) {
    this.slotList = slots;
  }

  get slots(): number {
    return this.slotList.length;
  }

  /** Forks `count` workers and waits until each has resolved the experiment. */
  static async start(
    count: number,
    worker: WorkerScript,
    config: ExperimentConfig,
    mode: 'run' | 'sweep',
  ): Promise<WorkerPool> {
    const script = worker.script instanceof URL ? fileURLToPath(worker.script) : worker.script;
    const execArgv = worker.execArgv ?? process.execArgv.filter((a) => !/^--(test|inspect|watch)/.test(a));
    const slots: Slot[] = [];
    const ready: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const child = fork(script, [], {
        execArgv: [...execArgv],
        serialization: 'advanced',
        stdio: 'inherit',
      });
      const slot: Slot = { child, exited: false };
      slots.push(slot);
      ready.push(
        new Promise<void>((resolve, reject) => {
          const onMessage = (message: FromWorker) => {
            if (message.type === 'ready') {
              child.off('message', onMessage);
              resolve();
            } else if (message.type === 'error') {
              reject(deserializeError(message.error));
            }
          };
          child.on('message', onMessage);
          child.once('exit', (code) =>
            reject(
              new BiaslabError('INTERNAL', `Worker process ${i} exited with code ${code} while starting`),
            ),
          );
        }),
      );
      child.send({ type: 'init', config, mode, payload: worker.payload } satisfies ToWorker);
    }
    const pool = new WorkerPool(slots);
    for (const slot of slots) pool.listen(slot);
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  run(task: Task, callbacks: TaskCallbacks): Promise<void> {
    const slot = this.slotList.find((s) => !s.pending && !s.exited);
    if (!slot) return Promise.reject(new BiaslabError('INTERNAL', 'No idle worker for a task'));
    return new Promise<void>((resolve, reject) => {
      const files = new Set(task.kind === 'flow' ? [task.id] : task.runs.map((r) => r.id));
      slot.pending = { id: task.id, files, callbacks, resolve, reject };
      slot.child.send({ type: 'task', task } satisfies ToWorker);
    });
  }

  interrupt(): void {
    for (const slot of this.slotList) {
      if (!slot.exited && slot.child.connected) slot.child.send({ type: 'stop' } satisfies ToWorker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      this.slotList.map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.exited) return resolve();
            slot.child.once('exit', () => resolve());
            if (slot.child.connected) slot.child.send({ type: 'close' } satisfies ToWorker);
            else slot.child.kill();
          }),
      ),
    );
  }

  private listen(slot: Slot): void {
    slot.child.on('message', (message: FromWorker) => {
      const pending = slot.pending;
      if (message.type === 'ready') return;
      if (message.type === 'error' && message.id === undefined) {
        if (pending) {
          slot.pending = undefined;
          pending.reject(deserializeError(message.error));
        }
        return;
      }
      if (!pending || !('id' in message)) return;
      switch (message.type) {
        case 'row':
          if (pending.files.has(message.id)) pending.callbacks.row(message.id, message.row);
          return;
        case 'progress':
          if (pending.files.has(message.id)) pending.callbacks.progress?.(message.id, message.progress);
          return;
        case 'final':
          if (pending.files.has(message.id)) pending.callbacks.finished(message.id, message.final);
          return;
        case 'done':
        case 'interrupted':
        case 'error':
          if (message.id !== pending.id) return;
          slot.pending = undefined;
          if (message.type === 'done') pending.resolve();
          else if (message.type === 'interrupted') pending.reject(new RunInterrupted(0));
          else pending.reject(deserializeError(message.error));
          return;
      }
    });
    slot.child.on('exit', (code, signal) => {
      slot.exited = true;
      const pending = slot.pending;
      slot.pending = undefined;
      pending?.reject(
        new BiaslabError(
          'INTERNAL',
          `A worker process died (${signal ?? `exit code ${code}`}) while running \`${pending.id}\``,
        ),
      );
    });
  }
}

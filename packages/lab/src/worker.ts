import type { Registry } from '@biaslab/core';
import { resolveExperiment } from './resolve-experiment';
import { RunInterrupted } from './run';
import { TaskRunner } from './task-runner';
import { serializeError } from './worker-protocol';
import type { FromWorker, ToWorker } from './worker-protocol';

/**
 * The body of a worker process forked by `WorkerPool`: builds the Registry from the parent's payload,
 * resolves the experiment, then runs the tasks it is sent one at a time, compiling each point's objectives
 * once. It writes no file (the parent is the only writer), ignores SIGINT (the parent decides when to stop
 * and sends `stop`), and exits when the parent goes away.
 *
 * A worker script is a module that calls this, e.g. the CLI's:
 * `await serveWorker((payload) => createRegistry(payload.plugins, payload.cwd))`.
 */
export async function serveWorker(
  createRegistry: (payload: any) => Promise<Registry> | Registry,
): Promise<void> {
  if (!process.send) throw new Error('serveWorker must run in a process forked with an IPC channel');
  const send = (message: FromWorker) => {
    if (process.connected) process.send!(message);
  };
  let runner: TaskRunner | undefined;
  let controller = new AbortController();
  process.on('SIGINT', () => undefined);
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ToWorker) => {
    void handle(message).catch((error) => send({ type: 'error', error: serializeError(error) }));
  });

  async function handle(message: ToWorker): Promise<void> {
    switch (message.type) {
      case 'init': {
        const registry = await createRegistry(message.payload);
        runner = new TaskRunner(resolveExperiment(message.config, registry, message.mode));
        send({ type: 'ready' });
        return;
      }
      case 'task': {
        const { task } = message;
        if (controller.signal.aborted) {
          send({ type: 'interrupted', id: task.id });
          return;
        }
        try {
          await runner!.run(
            task,
            {
              row: (id, row) => send({ type: 'row', id, row }),
              progress: (id, progress) => send({ type: 'progress', id, progress }),
              finished: (id, final) => send({ type: 'final', id, final }),
            },
            controller.signal,
          );
          send({ type: 'done', id: task.id });
        } catch (error) {
          if (error instanceof RunInterrupted) send({ type: 'interrupted', id: task.id });
          else send({ type: 'error', id: task.id, error: serializeError(error) });
        }
        return;
      }
      case 'stop':
        controller.abort();
        return;
      case 'close':
        await runner?.dispose();
        controller = new AbortController();
        process.disconnect();
        return;
    }
  }
}

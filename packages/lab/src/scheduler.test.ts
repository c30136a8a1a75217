import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry, definePlugin } from '@biaslab/core';
import type { OptimizerComponent } from '@biaslab/core';
import { parseExperiment } from './experiment';
import { experimentLayout } from './experiment-layout';
import { resolveExperiment } from './resolve-experiment';
import { Scheduler } from './scheduler';
import type { FinalRow, Task, TaskCallbacks, TaskExecutor } from './tasks';
import { fakePlugin } from './fixtures/fake-plugin';
import { fakeGd } from './fixtures/one-point-network';

/** The fake plugin with its model declared batchable and its GD declared plain. */
const batchable = definePlugin({
  ...fakePlugin,
  name: 'fake-batched',
  components: fakePlugin.components.map((c) => {
    if (c.kind === 'model') return { ...c, batched: true };
    if (c.kind === 'optimizer')
      return { ...c, create: () => ({ ...fakeGd, plainGradientDescent: true }) } as OptimizerComponent;
    return c;
  }),
});

/** An executor with `slots` slots that finishes every task at once, recording what it was handed. */
function recordingExecutor(slots: number) {
  const seen: Task[] = [];
  const final = (eta: number, index: number): FinalRow => ({
    type: 'final',
    eta,
    index,
    status: 'converged',
    steps: 1,
    reason: 'test',
    sharpness: 1,
    metrics: {},
  });
  const executor: TaskExecutor = {
    slots,
    async run(task: Task, callbacks: TaskCallbacks) {
      seen.push(task);
      if (task.kind === 'batch') for (const r of task.runs) callbacks.finished?.(r.id, final(r.eta, r.index));
      return task.kind === 'run' ? final(task.eta, task.index) : { type: 'final' };
    },
    interrupt: () => undefined,
    close: async () => undefined,
  };
  return { executor, seen };
}

const lrs = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];

async function schedule(input: Record<string, unknown>, slots: number) {
  const registry = new Registry().use(batchable);
  const resolved = resolveExperiment(
    parseExperiment({
      model: 'diag',
      dataset: 'point',
      metrics: [],
      lrs,
      flow: { enabled: false },
      ...input,
    }),
    registry,
  );
  const scheduler = new Scheduler(resolved, experimentLayout(resolved), undefined, {});
  scheduler.seed();
  const { executor, seen } = recordingExecutor(slots);
  await scheduler.drain(executor);
  return { seen, rows: scheduler.summaryRows() };
}

test('a batchable point is handed out as one batch per free slot, each mixing small and large η', async () => {
  const { seen, rows } = await schedule({}, 2);
  assert.deepEqual(
    seen.map((t) => (t.kind === 'batch' ? t.runs.map((r) => r.eta) : t.kind)),
    // 7 runs over 2 free slots: 4 of them at queue positions ⌊i·7/4⌋ = 0, 1, 3, 5, then the other 3
    [
      [0.1, 0.2, 0.4, 0.6],
      [0.3, 0.5, 0.7],
    ],
  );
  assert.deepEqual(
    rows.map((r) => r.eta),
    lrs,
    'every member completed as a run of its own',
  );
});

test('batch: 1, or a single slot with a batch cap, bound the batches', async () => {
  const alone = await schedule({ batch: 1 }, 2);
  assert.ok(alone.seen.every((t) => t.kind === 'run'));
  assert.equal(alone.seen.length, lrs.length);
  const capped = await schedule({ batch: 3 }, 1);
  assert.deepEqual(
    capped.seen.map((t) => (t.kind === 'batch' ? t.runs.length : 1)),
    [3, 3, 1],
    '7 runs, at most 3 at a time, one slot',
  );
  assert.equal(capped.rows.length, lrs.length);
});

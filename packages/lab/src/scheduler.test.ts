import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '@biaslab/core';
import { parseExperiment } from './experiment';
import { experimentLayout } from './experiment-layout';
import { resolveExperiment } from './resolve-experiment';
import { Scheduler } from './scheduler';
import type { FinalRow, Task, TaskCallbacks, TaskExecutor } from './tasks';
import { fakePlugin } from './fixtures/fake-plugin';

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
      if (task.kind === 'runs') for (const r of task.runs) callbacks.finished(r.id, final(r.eta, r.index));
      else callbacks.finished(task.id, { type: 'final' });
    },
    interrupt: () => undefined,
    close: async () => undefined,
  };
  return { executor, seen };
}

const lrs = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];

/** Schedules the sweep with groups of at most `groupSize` runs (what `runExperiment` derives from `batch`). */
async function schedule(input: Record<string, unknown>, slots: number, groupSize: number) {
  const registry = new Registry().use(fakePlugin);
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
  const scheduler = new Scheduler(resolved, experimentLayout(resolved), undefined, {}, [groupSize]);
  scheduler.seed();
  const { executor, seen } = recordingExecutor(slots);
  await scheduler.drain(executor);
  return { seen, rows: scheduler.summaryRows() };
}

const runsOf = (t: Task) => (t.kind === 'runs' ? t.runs : []);

test('a point with groups is handed out as one group per free slot, each mixing small and large η', async () => {
  const { seen, rows } = await schedule({}, 2, 32);
  assert.deepEqual(
    seen.map((t) => runsOf(t).map((r) => r.eta)),
    // 7 runs over 2 free slots: 4 of them at queue positions ⌊i·7/4⌋ = 0, 1, 3, 5, then the other 3
    [
      [0.1, 0.2, 0.4, 0.6],
      [0.3, 0.5, 0.7],
    ],
  );
  assert.deepEqual(
    seen.map((t) => t.id),
    [`${runsOf(seen[0])[0].id}+`, `${runsOf(seen[1])[0].id}+`],
  );
  assert.deepEqual(
    rows.map((r) => r.eta),
    lrs,
    'every member completed as a run of its own',
  );
});

test('groups of one, or a single slot with a group cap, bound the groups', async () => {
  const alone = await schedule({}, 2, 1);
  assert.ok(alone.seen.every((t) => runsOf(t).length === 1 && t.id === runsOf(t)[0].id));
  assert.equal(alone.seen.length, lrs.length);
  const capped = await schedule({}, 1, 3);
  assert.deepEqual(
    capped.seen.map((t) => runsOf(t).length),
    [3, 3, 1],
    '7 runs, at most 3 at a time, one slot',
  );
  assert.equal(capped.rows.length, lrs.length);
});

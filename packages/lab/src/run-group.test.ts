import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import type { BatchedGradient } from '@biaslab/runtime';
import { GradientBatcher } from './gradient-batcher';
import { runGroup, runOnce, RunInterrupted } from './run';
import type { GroupRun, RunResult } from './run';
import { fakeGd, onePointOracle } from './fixtures/one-point-network';

const x = [1, 0.2];
const y = 1;
const oracle = onePointOracle(x, y);
const theta0 = Float64Array.from([0.1, 0.1]);
// converged, converged, capped (tiny η), diverged, converged at the edge of stability
const etas = [0.2, 0.45, 1e-4, 3, 0.7];
const stop = { epsilon: 1e-8, patience: 3, maxSteps: 4000, divergence: 1e6 };

/** A plain-JS batched gradient over the one-point network (at least 2 rows, like the runtime's), recording sizes. */
function fakeBatched(sizes: number[], calls: number[] = []) {
  return async (rows: number): Promise<BatchedGradient> => {
    const runs = Math.max(2, rows);
    sizes.push(runs);
    return {
      runs,
      async grad(thetas) {
        assert.ok(
          thetas.length >= 1 && thetas.length <= runs,
          `${thetas.length} parameter sets for ${runs} rows`,
        );
        calls.push(thetas.length);
        return Promise.all(thetas.map((t) => oracle.grad(t)));
      },
      dispose: async () => undefined,
    };
  };
}

const members = (record: (k: number, result: RunResult) => void, series: number[][]): GroupRun[] =>
  etas.map((eta, k) => ({
    eta,
    optimizer: fakeGd,
    rng: new Rng(k),
    metrics: async (theta) => ({ w0: theta[0] }),
    onSeries: (row) => series[k].push(row.step),
    onFinish: (result) => record(k, result),
  }));

test('a group sharing its gradients ends every run exactly where it ends alone, repacking as runs finish', async () => {
  const sizes: number[] = [];
  const calls: number[] = [];
  const results: (RunResult | undefined)[] = etas.map(() => undefined);
  const order: number[] = [];
  const series: number[][] = etas.map(() => []);
  const batcher = new GradientBatcher(oracle, fakeBatched(sizes, calls), etas.length);
  const returned = await runGroup({
    oracle,
    batcher,
    theta0,
    stop,
    every: 500,
    runs: members((k, result) => {
      results[k] = result;
      order.push(k);
    }, series),
  });
  assert.deepEqual(returned, results, 'the results come back in order, as each was finished');
  for (const [k, eta] of etas.entries()) {
    const alone = await runOnce({
      oracle,
      optimizer: fakeGd,
      theta0,
      eta,
      stop,
      every: 500,
      rng: new Rng(0),
      metrics: async (theta) => ({ w0: theta[0] }),
    });
    const got = results[k]!;
    assert.equal(got.status, alone.status, `η = ${eta}`);
    assert.equal(got.steps, alone.steps, `η = ${eta}`);
    assert.equal(got.reason, alone.reason, `η = ${eta}`);
    assert.deepEqual(got.theta, alone.theta, `η = ${eta}: final θ bit for bit`);
    assert.deepEqual(got.metrics, alone.metrics, `η = ${eta}`);
    assert.deepEqual(got.series, alone.series, `η = ${eta}: series rows`);
    assert.deepEqual(
      series[k],
      alone.series.map((r) => r.step),
      `η = ${eta}: series steps`,
    );
  }
  assert.deepEqual(
    results.map((r) => r!.status),
    ['converged', 'converged', 'capped', 'diverged', 'converged'],
  );
  // the diverging run ends first; the capped one last
  assert.equal(order[0], 3);
  assert.equal(order.at(-1), 2);
  // one call per step for all active runs: the first step asks for all five
  assert.equal(calls[0], 5);
  // 5 rows, repacked as runs finish (each size once, never growing), down to the runtime's 2 rows
  assert.equal(sizes[0], 5);
  assert.equal(sizes.at(-1), 2);
  assert.ok(
    sizes.every((s, i) => i === 0 || s < sizes[i - 1]),
    `sizes ${sizes.join(' → ')}`,
  );
  assert.equal(calls.length, 4001, 'the capped run steps 4000 times and its cap iterate is evaluated too');
});

test('an aborted group throws RunInterrupted; runs that finished before were reported', async () => {
  const controller = new AbortController();
  const finished: number[] = [];
  await assert.rejects(
    runGroup({
      oracle,
      batcher: new GradientBatcher(oracle, fakeBatched([]), etas.length),
      theta0,
      stop,
      every: 0,
      runs: etas.map((eta, k) => ({
        eta,
        optimizer: fakeGd,
        rng: new Rng(k),
        onFinish: () => {
          finished.push(k);
          controller.abort();
        },
      })),
      signal: controller.signal,
    }),
    RunInterrupted,
  );
  assert.deepEqual(finished, [3], 'the diverging run finished before the stop request');
});

test('without a batcher a group steps its runs one after the other, with the same results', async () => {
  const series: number[][] = etas.map(() => []);
  const alone = await runGroup({ oracle, theta0, stop, every: 500, runs: members(() => undefined, series) });
  const shared = await runGroup({
    oracle,
    batcher: new GradientBatcher(oracle, fakeBatched([]), etas.length),
    theta0,
    stop,
    every: 500,
    runs: members(
      () => undefined,
      etas.map(() => []),
    ),
  });
  assert.deepEqual(
    alone.map((r) => ({ ...r, seconds: 0 })),
    shared.map((r) => ({ ...r, seconds: 0 })),
  );
});

test('a failing batched call answers each run on its own: the runaway one diverges, the others go on', async () => {
  const failing = (rows: number): Promise<BatchedGradient> =>
    fakeBatched([])(rows).then((batched) => ({
      ...batched,
      async grad(thetas) {
        if (thetas.some((t) => !t.every(Number.isFinite)))
          throw new Error('engine refused a non-finite input');
        return batched.grad(thetas);
      },
    }));
  // η = 3 overflows to Infinity after a few steps; the engine then refuses the whole batch
  const runs = await runGroup({
    oracle,
    batcher: new GradientBatcher(oracle, failing, 2),
    theta0,
    stop: { ...stop, divergence: Number.POSITIVE_INFINITY },
    every: 0,
    runs: [0.2, 3].map((eta, k) => ({ eta, optimizer: fakeGd, rng: new Rng(k) })),
  });
  assert.deepEqual(
    runs.map((r) => r.status),
    ['converged', 'diverged'],
  );
});

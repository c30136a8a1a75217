import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamLayout, Rng } from '@biaslab/core';
import type { BatchedGd } from '@biaslab/runtime';
import { runBatch } from './batch-run';
import { runOnce, RunInterrupted } from './run';
import type { RunResult } from './run';
import { fakeGd, onePointOracle } from './fixtures/one-point-network';

const x = [1, 0.2];
const y = 1;
const oracle = onePointOracle(x, y);
const layout = new ParamLayout([{ name: 'w', shape: [2] }]);
const theta0 = Float64Array.from([0.1, 0.1]);
// converged, converged, capped (tiny η), diverged, converged at the edge of stability
const etas = [0.2, 0.45, 1e-4, 3, 0.7];
const stop = { epsilon: 1e-8, patience: 3, maxSteps: 4000, divergence: 1e6 };

/** A plain-JS batched stepper over the one-point network (the same arithmetic as `fakeGd`), recording sizes. */
function fakeStepper(sizes: number[]) {
  return async (runs: number): Promise<BatchedGd> => {
    sizes.push(runs);
    return {
      runs,
      async step(params, rates) {
        const [w] = params;
        assert.equal(w.length, 2 * runs);
        const losses = new Float64Array(runs);
        const gradNorms = new Float64Array(runs);
        const next = new Float64Array(w.length);
        for (let r = 0; r < runs; r++) {
          const { loss, grad } = await oracle.grad(w.subarray(2 * r, 2 * r + 2));
          losses[r] = loss;
          gradNorms[r] = Math.hypot(...grad);
          for (let i = 0; i < 2; i++) next[2 * r + i] = w[2 * r + i] - rates[r] * grad[i];
        }
        return { losses, gradNorms, next: [next] };
      },
      dispose: async () => undefined,
    };
  };
}

test('a batch ends every run exactly where runOnce ends it alone, repacking as runs finish', async () => {
  const sizes: number[] = [];
  const results: (RunResult | undefined)[] = etas.map(() => undefined);
  const order: number[] = [];
  const series: number[][] = etas.map(() => []);
  await runBatch({
    stepper: fakeStepper(sizes),
    layout,
    theta0,
    stop,
    every: 500,
    members: etas.map((eta, k) => ({
      eta,
      metrics: async (theta) => ({ w0: theta[0] }),
      onSeries: (row) => series[k].push(row.step),
      onFinish: (result) => {
        results[k] = result;
        order.push(k);
      },
    })),
  });
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
  // 5 rows, repacked as runs finish (each size once, never growing), down to the capped run alone
  assert.equal(sizes[0], 5);
  assert.equal(sizes.at(-1), 1);
  assert.ok(
    sizes.every((s, i) => i === 0 || s < sizes[i - 1]),
    `sizes ${sizes.join(' → ')}`,
  );
});

test('an aborted batch throws RunInterrupted; runs that finished before were reported', async () => {
  const controller = new AbortController();
  const finished: number[] = [];
  await assert.rejects(
    runBatch({
      stepper: fakeStepper([]),
      layout,
      theta0,
      stop,
      every: 0,
      members: etas.map((eta, k) => ({
        eta,
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

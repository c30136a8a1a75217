import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParamLayout, Rng } from '@biaslab/core';
import type { Optimizer } from '@biaslab/core';
import type { BatchedGd } from '@biaslab/runtime';
import { BatchedGdSteps } from './batched-gd-steps';
import { runGroup, runOnce, RunInterrupted } from './run';
import type { GroupRun, RunResult } from './run';
import { onePointOracle } from './fixtures/one-point-network';

const x = [1, 0.2];
const y = 1;
const oracle = onePointOracle(x, y);
const layout = new ParamLayout([{ name: 'w', shape: [2] }]);
const theta0 = Float64Array.from([0.1, 0.1]);
// converged, converged, capped (tiny η), diverged, converged at the edge of stability
const etas = [0.2, 0.45, 1e-4, 3, 0.7];
const stop = { epsilon: 1e-8, patience: 3, maxSteps: 4000, divergence: 1e6 };

/** Plain gradient descent θ ← θ − η∇L(θ), reporting L and ‖∇L‖ at the θ it starts from. */
const plainGd: Optimizer<null> = {
  init: () => null,
  async step({ theta, eta, oracle: o }) {
    const { loss, grad } = await o.grad(theta);
    return {
      theta: theta.map((t, i) => t - eta * grad[i]),
      state: null,
      loss,
      gradNorm: Math.hypot(...grad),
    };
  },
  plainGradientDescent: true,
};

/** A plain-JS batched GD step over the one-point network, recording sizes. */
function fakeBatched(sizes: number[]) {
  return async (runs: number): Promise<BatchedGd> => {
    sizes.push(runs);
    return {
      runs,
      async step(params, rates, gradients) {
        const [w] = params;
        assert.equal(w.length, 2 * runs);
        const losses = new Float64Array(runs);
        const next = new Float64Array(w.length);
        const grads = new Float64Array(w.length);
        for (let r = 0; r < runs; r++) {
          const { loss, grad } = await oracle.grad(w.subarray(2 * r, 2 * r + 2));
          losses[r] = loss;
          grads.set(grad, 2 * r);
          for (let i = 0; i < 2; i++) next[2 * r + i] = w[2 * r + i] - rates[r] * grad[i];
        }
        return { losses, next: [next], ...(gradients ? { grads: [grads] } : {}) };
      },
      dispose: async () => undefined,
    };
  };
}

function groupRuns(optimizer: Optimizer<any>, record: (k: number, result: RunResult) => void): GroupRun[] {
  return etas.map((eta, k) => ({
    eta,
    optimizer,
    rng: new Rng(k),
    metrics: async (theta) => ({ w0: theta[0] }),
    onFinish: (result) => record(k, result),
  }));
}

test('a batched group ends every run exactly where it ends alone, rows and gradNorm included', async () => {
  const sizes: number[] = [];
  const order: number[] = [];
  const runs = groupRuns(plainGd, (k) => order.push(k));
  const results = await runGroup({
    oracle,
    stepper: await BatchedGdSteps.create(runs, fakeBatched(sizes), layout, theta0, 'float64'),
    theta0,
    stop,
    every: 500,
    runs,
  });
  for (const [k, eta] of etas.entries()) {
    const alone = await runOnce({
      oracle,
      optimizer: plainGd,
      theta0,
      eta,
      stop,
      every: 500,
      rng: new Rng(k),
      metrics: async (theta) => ({ w0: theta[0] }),
    });
    assert.deepEqual({ ...results[k], seconds: 0 }, { ...alone, seconds: 0 }, `η = ${eta}: bit for bit`);
    assert.ok(
      alone.series.every((row) => row.gradNorm !== undefined),
      `η = ${eta}: every row has ‖∇L‖`,
    );
  }
  assert.deepEqual(
    results.map((r) => r.status),
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

test('an aborted group throws RunInterrupted; runs that finished before were reported', async () => {
  const controller = new AbortController();
  const finished: number[] = [];
  const runs = groupRuns(plainGd, (k) => {
    finished.push(k);
    controller.abort();
  });
  await assert.rejects(
    runGroup({
      oracle,
      stepper: await BatchedGdSteps.create(runs, fakeBatched([]), layout, theta0, 'float64'),
      theta0,
      stop,
      every: 0,
      runs,
      signal: controller.signal,
    }),
    RunInterrupted,
  );
  assert.deepEqual(finished, [3], 'the diverging run finished before the stop request');
});

test('without a stepper the runs step with their optimizers, with the same results as alone', async () => {
  const results = await runGroup({
    oracle,
    theta0,
    stop,
    every: 500,
    runs: groupRuns(plainGd, () => undefined),
  });
  const alone = await Promise.all(
    etas.map((eta, k) =>
      runOnce({
        oracle,
        optimizer: plainGd,
        theta0,
        eta,
        stop,
        every: 500,
        rng: new Rng(k),
        metrics: async (t) => ({ w0: t[0] }),
      }),
    ),
  );
  assert.deepEqual(
    results.map((r) => ({ ...r, seconds: 0 })),
    alone.map((r) => ({ ...r, seconds: 0 })),
  );
});

test('an optimizer that declares plain GD but steps otherwise is caught at the first row written', async () => {
  const decaying: Optimizer<null> = {
    ...plainGd,
    async step(input) {
      const result = await plainGd.step(input);
      return { ...result, theta: result.theta.map((t) => 0.999 * t) };
    },
  };
  const runs = groupRuns(decaying, () => undefined);
  await assert.rejects(
    runGroup({
      oracle,
      stepper: await BatchedGdSteps.create(runs, fakeBatched([]), layout, theta0, 'float64'),
      theta0,
      stop,
      every: 10,
      runs,
    }),
    /declares `plainGradientDescent` stepped to another θ than θ − η∇L\(θ\) at step 0/,
  );
});

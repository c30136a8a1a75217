import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import type { OptimizerStepInput } from '@biaslab/core';
import { runOnce, RunInterrupted } from './run';
import { fakeGd, quadraticOracle } from './fixtures/one-point-network';

const lambda = 2;
const theta0 = Float64Array.from([1]);
const base = { optimizer: fakeGd, theta0, every: 0, rng: new Rng(0) };

test('a converged run ends at the iterate where the patience completed (closed form on a quadratic)', async () => {
  const eta = 0.3;
  const stop = { epsilon: 1e-6, patience: 4, maxSteps: 1000, divergence: 1e6 };
  const result = await runOnce({ ...base, oracle: quadraticOracle([lambda]), eta, stop });
  // θ_t = (1 − ηλ)^t θ₀, L_t = ½λθ_t²: first t with L_t < ε, then K − 1 more steps.
  const q = 1 - eta * lambda;
  let first = 0;
  while (0.5 * lambda * (q ** first) ** 2 >= stop.epsilon) first++;
  assert.equal(result.status, 'converged');
  assert.equal(result.steps, first + stop.patience - 1);
  assert.ok(Math.abs(result.theta[0] - q ** result.steps) < 1e-15, `θ = ${result.theta[0]}`);
  assert.ok(result.loss < stop.epsilon);
  assert.equal(theta0[0], 1, 'θ₀ is not mutated');
});

test('η above 2/λ diverges at the first iterate above the bound, without throwing', async () => {
  const eta = 1.5; // |1 − ηλ| = 2
  const stop = { epsilon: 1e-6, patience: 4, maxSteps: 1000, divergence: 1e4 };
  const result = await runOnce({ ...base, oracle: quadraticOracle([lambda]), eta, stop });
  // L_t = 4^t: first above 1e4 at t = 7.
  assert.equal(result.status, 'diverged');
  assert.equal(result.steps, 7);
  assert.match(result.reason, /divergence bound/);
});

test('the step cap labels the run capped; series rows every k steps plus the final iterate', async () => {
  const stop = { epsilon: 1e-30, patience: 1, maxSteps: 25, divergence: 1e6 };
  const seen: number[] = [];
  const result = await runOnce({
    ...base,
    oracle: quadraticOracle([lambda]),
    eta: 0.01,
    stop,
    every: 10,
    metrics: async (theta) => ({ norm: Math.abs(theta[0]) }),
    onSeries: (row) => seen.push(row.step),
  });
  assert.equal(result.status, 'capped');
  assert.equal(result.steps, 25);
  assert.deepEqual(seen, [0, 10, 20, 25]);
  assert.deepEqual(
    result.series.map((r) => r.step),
    seen,
  );
  assert.ok(Math.abs(result.metrics.norm! - 0.98 ** 25) < 1e-15);
});

test('diverged runs get tolerant final metrics: failures and non-finite values become null', async () => {
  const stop = { epsilon: 1e-6, patience: 1, maxSteps: 10_000, divergence: Number.POSITIVE_INFINITY };
  let tolerantCalls = 0;
  const result = await runOnce({
    ...base,
    oracle: quadraticOracle([lambda]),
    eta: 3,
    stop,
    metrics: async (_theta, _step, tolerant) => {
      if (tolerant) tolerantCalls++;
      return { fine: 1, bad: null };
    },
  });
  assert.equal(result.status, 'diverged');
  assert.match(result.reason, /loss is Infinity/);
  assert.equal(tolerantCalls, 1);
  assert.deepEqual(result.metrics, { fine: 1, bad: null });
  assert.equal(result.series.at(-1)!.loss, null);
});

test('observers see θ₀ and every later iterate; metrics see the optimizer preconditioner', async () => {
  const stop = { epsilon: 1e-30, patience: 1, maxSteps: 6, divergence: 1e6 };
  const seen: [number, number][] = [];
  const preconditioners: number[] = [];
  // GD whose state counts steps; its "preconditioner" is that count, so we can tell which state a metric saw.
  const counting = {
    init: () => 0,
    async step({ theta, state, eta, oracle }: OptimizerStepInput<number>) {
      const { loss, grad } = await oracle.grad(theta);
      return { theta: Float64Array.from(theta, (t, i) => t - eta * grad[i]), state: state + 1, loss };
    },
    preconditioner: (state: number) => Float64Array.of(state),
  };
  const result = await runOnce({
    ...base,
    optimizer: counting,
    oracle: quadraticOracle([lambda]),
    eta: 0.1,
    stop,
    every: 2,
    metrics: async (_theta, step, _tolerant, extras) => {
      preconditioners.push(extras.preconditioner![0]);
      return { step };
    },
    observe: (theta, step) => seen.push([step, theta[0]]),
  });
  assert.equal(result.steps, 6);
  assert.deepEqual(
    seen.map(([s]) => s),
    [0, 1, 2, 3, 4, 5, 6],
  );
  for (const [s, value] of seen) assert.ok(Math.abs(value - 0.8 ** s) < 1e-15, `θ_${s} = ${value}`);
  assert.deepEqual(preconditioners, [0, 2, 4, 6], 'state of the iterate each metric evaluation saw');
});

test('an aborted signal stops the run after the current step with RunInterrupted', async () => {
  const controller = new AbortController();
  const stop = { epsilon: 1e-30, patience: 1, maxSteps: 1000, divergence: 1e6 };
  await assert.rejects(
    runOnce({
      ...base,
      oracle: quadraticOracle([lambda]),
      eta: 0.1,
      stop,
      onStep: (step) => {
        if (step === 3) controller.abort();
      },
      signal: controller.signal,
    }),
    (e: Error) => e instanceof RunInterrupted && (e as RunInterrupted).step === 4,
  );
});

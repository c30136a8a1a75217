import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError, parseOptions } from '@biaslab/core';
import { gdOptimizer, momentumOptimizer, sgdOptimizer } from './index';
import { QuadraticOracle, trajectory } from './fixtures';
import { LeastSquaresOracle } from './residual-oracle-fixtures';
import { MinibatchSampler, initialSamplerState } from './minibatch-sampler';

const sgdWith = (raw: Record<string, unknown>) =>
  sgdOptimizer.create(parseOptions(sgdOptimizer.options, raw, 'sgd'));

/** The iterates after each step. */
const run = async (...args: Parameters<typeof trajectory>) => (await trajectory(...args)).thetas;

const problem = (seed: number) => {
  const { oracle } = LeastSquaresOracle.withHessianSpectrum(20, [0.3, 1, 4], new Rng(seed));
  return { oracle, theta0: new Rng(seed + 1).normals(3) };
};

test('sgd with batch = n equals gd (and with momentum, momentum) bit for bit', async () => {
  const seed = 21;
  const { oracle, theta0 } = problem(seed);
  const gd = await run(
    gdOptimizer.create(parseOptions(gdOptimizer.options, {}, 'gd')) as any,
    oracle,
    theta0,
    0.3,
    60,
    seed,
  );
  const full = await run(sgdWith({ batchSize: 20 }), oracle, theta0, 0.3, 60, seed);
  gd.forEach((t, k) => assert.deepEqual(full[k], t, `step ${k} (seed ${seed})`));
  const hb = await run(
    momentumOptimizer.create(parseOptions(momentumOptimizer.options, { momentum: 0.5 }, 'm')) as any,
    oracle,
    theta0,
    0.1,
    60,
    seed,
  );
  const sgdHb = await run(sgdWith({ batchSize: 20, momentum: 0.5 }), oracle, theta0, 0.1, 60, seed);
  hb.forEach((t, k) => assert.deepEqual(sgdHb[k], t, `momentum step ${k} (seed ${seed})`));
});

test('sgd is deterministic per seed and differs across seeds (with and without replacement)', async () => {
  const { oracle, theta0 } = problem(22);
  for (const replacement of [false, true]) {
    const a = await run(sgdWith({ batchSize: 4, replacement }), oracle, theta0, 0.1, 30, 5);
    const b = await run(sgdWith({ batchSize: 4, replacement }), oracle, theta0, 0.1, 30, 5);
    const c = await run(sgdWith({ batchSize: 4, replacement }), oracle, theta0, 0.1, 30, 6);
    assert.deepEqual(a, b, `same seed 5, replacement ${replacement}`);
    assert.notDeepEqual(a[29], c[29], `seeds 5 and 6 gave the same iterate (replacement ${replacement})`);
  }
});

test('without replacement every epoch visits every sample exactly once, in a new seeded order', () => {
  const n = 10;
  const sampler = new MinibatchSampler(3, false);
  const rng = new Rng(23);
  let state = initialSamplerState;
  const epochs: number[][] = [];
  for (let e = 0; e < 3; e++) {
    const seen: number[] = [];
    for (const size of [3, 3, 3, 1]) {
      const batch = sampler.next(state, n, rng);
      assert.equal(batch.indices.length, size, `epoch ${e}: batch sizes 3, 3, 3, then the 1 left over`);
      assert.deepEqual(
        batch.indices,
        [...batch.indices].sort((a, b) => a - b),
        'indices are sorted',
      );
      seen.push(...batch.indices);
      state = batch.state;
    }
    assert.equal(state.epoch, e + 1);
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      Array.from({ length: n }, (_, i) => i),
      `epoch ${e} (seed 23)`,
    );
    epochs.push(seen);
  }
  assert.notDeepEqual(epochs[0], epochs[1], 'two epochs had the same order (seed 23)');
});

test('sgd refuses an objective without minibatch access', async () => {
  const opt = sgdWith({});
  const oracle = new QuadraticOracle(Float64Array.of(1), Float64Array.of(0));
  await assert.rejects(
    opt.step({
      theta: Float64Array.of(1),
      state: opt.init(Float64Array.of(1)),
      eta: 0.1,
      step: 0,
      oracle,
      rng: new Rng(0),
    }),
    (e: unknown) => isBiaslabError(e, 'INVALID_CONFIG') && /oracle\.minibatch/.test((e as Error).message),
  );
});

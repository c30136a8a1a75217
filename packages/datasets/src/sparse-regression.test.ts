import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError, parseOptions } from '@biaslab/core';
import type { DataSplit, Dataset } from '@biaslab/core';
import { sparseRegressionDataset, sparseRegressionOptions } from './sparse-regression';

const WHERE = 'dataset/sparse-regression';

function load(raw: unknown, seed: number): Dataset {
  return sparseRegressionDataset.load(parseOptions(sparseRegressionOptions, raw, WHERE), {
    rng: new Rng(seed),
  }) as Dataset;
}

test('sparse-regression options: defaults', () => {
  assert.deepEqual(parseOptions(sparseRegressionOptions, {}, WHERE), {
    n: 20,
    d: 100,
    k: 5,
    noise: 0,
    nTest: 500,
    signs: 'positive',
    scale: 1,
  });
});

test('sparse-regression options: unknown keys, wrong types and k > d are rejected', () => {
  const bad: unknown[] = [
    { samples: 10 },
    { n: 'ten' },
    { n: 0 },
    { n: 2.5 },
    { d: 10, k: 11 },
    { noise: -0.1 },
    { nTest: -1 },
    { signs: 'negative' },
    { scale: 0 },
  ];
  for (const raw of bad) {
    assert.throws(
      () => parseOptions(sparseRegressionOptions, raw, WHERE),
      (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS'),
      `options ${JSON.stringify(raw)} should be rejected`,
    );
  }
  assert.throws(
    () => parseOptions(sparseRegressionOptions, { d: 10, k: 11 }, WHERE),
    (e: unknown) => /`k`/.test((e as Error).message) && /must not exceed/.test((e as Error).message),
  );
});

test('sparse-regression: shapes, dtype, task and provenance', () => {
  const seed = 3;
  const data = load({ n: 12, d: 30, k: 4, nTest: 50 }, seed);
  assert.equal(data.task, 'regression');
  assert.deepEqual(data.inputShape, [30]);
  assert.equal(data.outputSize, 1);
  assert.deepEqual(data.train.x.shape, [12, 30]);
  assert.deepEqual(data.train.y.shape, [12, 1]);
  assert.deepEqual(data.test!.x.shape, [50, 30]);
  assert.deepEqual(data.test!.y.shape, [50, 1]);
  for (const t of [data.train.x, data.train.y, data.test!.x, data.test!.y]) {
    assert.equal(t.dtype, 'float64');
    assert.ok(t.data instanceof Float64Array);
  }
  assert.equal(data.betaStar!.length, 30);
  assert.match(data.provenance, /sparse-regression/);
  assert.match(data.provenance, new RegExp(`seed ${seed}`));
  assert.match(data.provenance, /"k":4/);
  assert.equal(load({ nTest: 0 }, seed).test, undefined);
});

test('sparse-regression: β* is k-sparse with the requested signs and magnitude', () => {
  for (const seed of [1, 2, 3]) {
    const positive = load({ d: 40, k: 7, scale: 2.5 }, seed).betaStar!;
    const nonzero = [...positive].filter((b) => b !== 0);
    assert.equal(nonzero.length, 7, `seed ${seed}`);
    assert.ok(
      nonzero.every((b) => b === 2.5),
      `seed ${seed}`,
    );
    const random = load({ d: 200, k: 100, signs: 'random' }, seed).betaStar!;
    const values = [...random].filter((b) => b !== 0);
    assert.equal(values.length, 100, `seed ${seed}`);
    assert.ok(
      values.every((b) => Math.abs(b) === 1),
      `seed ${seed}`,
    );
    const negatives = values.filter((b) => b < 0).length;
    // Binomial(100, ½): 20..80 holds except with probability ~1e-9.
    assert.ok(negatives > 20 && negatives < 80, `${negatives} negative signs of 100 (seed ${seed})`);
  }
  const full = load({ d: 6, k: 6 }, 9).betaStar!;
  assert.deepEqual([...full], [1, 1, 1, 1, 1, 1]);
});

test('sparse-regression: the support is spread over coordinates across seeds', () => {
  const hits = new Float64Array(10);
  for (let seed = 0; seed < 200; seed++) {
    const beta = load({ d: 10, k: 2, nTest: 0, n: 1 }, seed).betaStar!;
    beta.forEach((b, i) => (hits[i] += b !== 0 ? 1 : 0));
  }
  // Each coordinate is in the support with probability k/d = 0.2: 40 of 200 expected.
  for (let i = 0; i < 10; i++)
    assert.ok(hits[i] > 15 && hits[i] < 70, `coordinate ${i} chosen ${hits[i]} times of 200`);
});

test('sparse-regression: same seed same data, another seed other data', () => {
  const a = load({ n: 8, d: 20, noise: 0.1, nTest: 10 }, 42);
  const b = load({ n: 8, d: 20, noise: 0.1, nTest: 10 }, 42);
  const c = load({ n: 8, d: 20, noise: 0.1, nTest: 10 }, 43);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.train.x.data, c.train.x.data);
  assert.notDeepEqual(a.train.y.data, c.train.y.data);
  assert.notDeepEqual(a.test!.x.data, c.test!.x.data);
  // Independent streams: the noise level does not change the design, the support or the test split.
  const quiet = load({ n: 8, d: 20, noise: 0, nTest: 10 }, 42);
  assert.deepEqual(quiet.train.x, a.train.x);
  assert.deepEqual(quiet.betaStar, a.betaStar);
  assert.deepEqual(quiet.test, a.test);
});

test('sparse-regression: β* reproduces y exactly at noise 0, and the noise has the requested scale', () => {
  const seed = 17;
  const n = 400;
  const d = 25;
  const data = load({ n, d, k: 3, nTest: 30 }, seed);
  const beta = data.betaStar!;
  const residual = (split: DataSplit, rows: number) =>
    Array.from({ length: rows }, (_, s) => {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += split.x.data[s * d + i] * beta[i];
      return split.y.data[s] - dot;
    });
  assert.ok(
    residual(data.train, n).every((r) => r === 0),
    `train residual at noise 0 (seed ${seed})`,
  );
  assert.ok(
    residual(data.test!, 30).every((r) => r === 0),
    `test residual (seed ${seed})`,
  );
  const sigma = 0.3;
  const noisy = load({ n, d, k: 3, nTest: 30, noise: sigma }, seed);
  const r = residual(noisy.train, n);
  const std = Math.sqrt(r.reduce((a, v) => a + v * v, 0) / n);
  // Sample std of 400 N(0, σ²) draws: relative standard error ≈ 1/√800 ≈ 0.035.
  assert.ok(Math.abs(std / sigma - 1) < 0.15, `noise std ${std}, expected ${sigma} (seed ${seed})`);
  assert.ok(
    residual(noisy.test!, 30).every((v) => v === 0),
    'test targets must stay noiseless',
  );
});

test('sparse-regression: the design is standard normal', () => {
  const seed = 5;
  const data = load({ n: 200, d: 50, nTest: 0 }, seed);
  const x = data.train.x.data;
  let sum = 0;
  let sumSq = 0;
  for (const v of x) {
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / x.length;
  const variance = sumSq / x.length - mean * mean;
  assert.ok(Math.abs(mean) < 0.05, `mean ${mean} (seed ${seed})`);
  assert.ok(Math.abs(variance - 1) < 0.05, `variance ${variance} (seed ${seed})`);
});

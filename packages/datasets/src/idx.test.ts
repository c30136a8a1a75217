import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Rng, isBiaslabError, parseOptions } from '@biaslab/core';
import type { Dataset } from '@biaslab/core';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx, readIdxImages, readIdxLabels } from './idx';
import { idxImageOptions } from './idx-dataset';
import { mnistDataset } from './mnist';
import { idxBytes, tempDir, writeIdxSet } from './test-files';

const SEED = 11;
const dir = tempDir();
const written = writeIdxSet(join(dir, 'mnist'), new Rng(SEED), 300, 80);

async function load(raw: Record<string, unknown>, seed = SEED): Promise<Dataset> {
  const options = parseOptions(idxImageOptions, { dataDir: dir, download: false, ...raw }, 'dataset/mnist');
  return mnistDataset.load(options, { rng: new Rng(seed) });
}

function columnMean(x: ArrayLike<number>, n: number, d: number, j: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i * d + j];
  return s / n;
}

test('mnist: shapes, dtype, labels, one-hot targets and provenance from generated IDX files', async () => {
  const data = await load({ standardize: 'none' });
  assert.equal(data.task, 'classification');
  assert.deepEqual(data.inputShape, [784]);
  assert.equal(data.outputSize, 10);
  assert.deepEqual(data.train.x.shape, [300, 784]);
  assert.deepEqual(data.test!.x.shape, [80, 784]);
  assert.equal(data.train.x.dtype, 'float32');
  assert.ok(data.train.x.data instanceof Float32Array);
  assert.deepEqual([...data.train.labels!], [...written.train.labels]);
  assert.deepEqual([...data.test!.labels!], [...written.test.labels]);
  // x = pixel / 255 without standardisation.
  for (const i of [0, 1000, 300 * 784 - 1])
    assert.equal(data.train.x.data[i], Math.fround(written.train.pixels[i] / 255));
  for (let s = 0; s < 300; s++) {
    const row = [...data.train.y.data.subarray(s * 10, s * 10 + 10)];
    assert.deepEqual(
      row,
      row.map((_, k) => (k === written.train.labels[s] ? 1 : 0)),
    );
  }
  assert.match(data.provenance, /train-images-idx3-ubyte\.gz sha256:[0-9a-f]{64}/);
  assert.match(data.provenance, /read from disk/);
  assert.ok(data.provenance.includes(join(dir, 'mnist')));
});

test('mnist: default standardisation uses training statistics only (train mean 0, std 1; test mean ≠ 0)', async () => {
  const data = await load({ train: 100, dtype: 'float64' });
  const raw = Array.from(written.train.pixels.subarray(0, 100 * 784), (p) => p / 255);
  const mu = raw.reduce((a, b) => a + b, 0) / raw.length;
  const sigma = Math.sqrt(raw.reduce((a, b) => a + (b - mu) ** 2, 0) / raw.length);
  assert.ok(Math.abs(data.train.x.data[5] - (raw[5] - mu) / sigma) < 1e-12);
  const x = Array.from(data.train.x.data);
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  assert.ok(Math.abs(mean) < 1e-12, `train mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 1e-12, `train variance ${variance}`);
  const testMean = Array.from(data.test!.x.data).reduce((a, b) => a + b, 0) / data.test!.x.data.length;
  const testRaw = Array.from(written.test.pixels, (p) => p / 255);
  assert.ok(Math.abs(testMean - (testRaw.reduce((a, b) => a + b, 0) / testRaw.length - mu) / sigma) < 1e-9);
  assert.ok(Math.abs(testMean) > 1e-3, `test mean ${testMean} should differ from 0`);
  assert.match(data.provenance, /standardised per-channel with training-split statistics \(μ=/);
  // per-pixel: every column of the training split has mean 0.
  const perPixel = await load({ train: 100, dtype: 'float64', standardize: 'per-pixel' });
  for (const j of [0, 100, 783])
    assert.ok(Math.abs(columnMean(perPixel.train.x.data, 100, 784, j)) < 1e-12, `pixel ${j}`);
  assert.ok(Math.abs(columnMean(perPixel.test!.x.data, 80, 784, 100)) > 1e-4);
});

test('mnist: first-n and seeded balanced subsets, classes, regression targets and [C, H, W] layout', async () => {
  const first = await load({ train: 50, testSize: 10, standardize: 'none' });
  assert.deepEqual([...first.train.labels!], [...written.train.labels.subarray(0, 50)]);
  assert.deepEqual(first.test!.x.shape, [10, 784]);
  const balanced = await load({ train: 100, subset: 'balanced', testSize: 20 });
  const counts = new Array(10).fill(0);
  for (const label of balanced.train.labels!) counts[label]++;
  assert.deepEqual(counts, new Array(10).fill(10), `seed ${SEED}`);
  assert.deepEqual(
    await load({ train: 100, subset: 'balanced' }),
    await load({ train: 100, subset: 'balanced' }),
  );
  const other = await load({ train: 100, subset: 'balanced' }, SEED + 1);
  assert.notDeepEqual(other.train.x.data, balanced.train.x.data);
  assert.match(balanced.provenance, new RegExp(`balanced 100, seed ${SEED}`));

  const two = await load({ classes: [7, 2], targets: 'regression', flatten: false });
  const kept = [...written.train.labels].filter((l) => l === 7 || l === 2);
  assert.equal(two.task, 'regression');
  assert.equal(two.outputSize, 1);
  assert.deepEqual(two.inputShape, [1, 28, 28]);
  assert.deepEqual(two.train.x.shape, [kept.length, 1, 28, 28]);
  assert.deepEqual(
    [...two.train.y.data],
    kept.map((l) => (l === 7 ? 0 : 1)),
  );
  assert.equal(two.train.labels, undefined);
});

test('mnist: bad options and missing files are clear errors', async () => {
  await assert.rejects(
    load({ train: 301 }),
    (e: unknown) =>
      isBiaslabError(e, 'INVALID_OPTIONS') && /only 300 are available/.test((e as Error).message),
  );
  await assert.rejects(
    load({ train: 200, subset: 'balanced' }),
    (e: unknown) =>
      isBiaslabError(e, 'INVALID_OPTIONS') && /needs 20 samples of class \d/.test((e as Error).message),
  );
  assert.throws(
    () => parseOptions(idxImageOptions, { classes: [3, 10] }, 'dataset/mnist'),
    (e: unknown) =>
      isBiaslabError(e, 'INVALID_OPTIONS') && /class `10` does not exist/.test((e as Error).message),
  );
  assert.throws(
    () => parseOptions(idxImageOptions, { classes: [3, 3] }, 'dataset/mnist'),
    (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS'),
  );
  assert.throws(
    () => parseOptions(idxImageOptions, { subset: 'random' }, 'dataset/mnist'),
    (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS'),
  );
  const empty = tempDir();
  const options = parseOptions(idxImageOptions, { dataDir: empty, download: false }, 'dataset/mnist');
  await assert.rejects(
    Promise.resolve(mnistDataset.load(options, { rng: new Rng(0), dataDir: join(empty, 'ctx') })),
    (e: unknown) =>
      isBiaslabError(e, 'DATA') &&
      (e as Error).message.includes(join(empty, 'mnist')) &&
      (e as Error).message.includes(join(empty, 'ctx', 'mnist')) &&
      /`download: false`/.test((e as Error).message),
  );
});

test('mnist: plain (not gzipped) files are found through the context data directory', async () => {
  const plain = tempDir();
  const set = writeIdxSet(plain, new Rng(3), 20, 5, 28, false);
  const options = parseOptions(idxImageOptions, { download: false, standardize: 'none' }, 'dataset/mnist');
  const data = await mnistDataset.load(options, { rng: new Rng(0), dataDir: plain });
  assert.deepEqual([...data.train.labels!], [...set.train.labels]);
  assert.ok(data.provenance.includes('train-images-idx3-ubyte sha256:'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { Rng, isBiaslabError, parseOptions } from '@biaslab/core';
import { sha256File } from './download';
import { DIGITS_FILE, DIGITS_SHA256, digitsDataset, digitsOptions, readDigits } from './digits';

const load = (raw: Record<string, unknown>, seed = 0) =>
  digitsDataset.load(parseOptions(digitsOptions, raw, 'dataset/digits'), {
    rng: new Rng(seed),
  }) as ReturnType<typeof digitsDataset.load> & object;

test('digits: the shipped file is intact (checksum), 1797 samples of 64 pixels in 0..16, 10 classes', async () => {
  assert.equal(await sha256File(DIGITS_FILE), DIGITS_SHA256);
  assert.equal(statSync(DIGITS_FILE).size, 57512);
  const { pixels, labels } = readDigits();
  assert.equal(labels.length, 1797);
  assert.equal(pixels.length, 1797 * 64);
  const counts = new Array(10).fill(0);
  labels.forEach((l) => counts[l]++);
  // Class counts and the pixel sum of scikit-learn's digits, computed independently with Python's gzip module.
  assert.deepEqual(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  assert.equal(
    pixels.reduce((a, b) => a + b, 0),
    561718,
  );
  assert.ok(pixels.every((p) => p <= 16));
});

test('digits: default split 1500/297 by seed, shapes, determinism and balanced subsets', async () => {
  const data = await load({});
  assert.equal(data.task, 'classification');
  assert.deepEqual(data.inputShape, [64]);
  assert.equal(data.outputSize, 10);
  assert.deepEqual(data.train.x.shape, [1500, 64]);
  assert.deepEqual(data.test!.x.shape, [297, 64]);
  assert.match(data.provenance, new RegExp(`sha256:${DIGITS_SHA256}`));
  assert.deepEqual(await load({}), data);
  assert.notDeepEqual((await load({}, 1)).train.labels, data.train.labels);
  const all = await load({ testSize: 0, standardize: 'none', flatten: false, dtype: 'float64' });
  assert.equal(all.test, undefined);
  assert.deepEqual(all.train.x.shape, [1797, 1, 8, 8]);
  const { pixels } = readDigits();
  assert.equal(all.train.x.data[100], pixels[100] / 16);
  const balanced = await load({ train: 500, subset: 'balanced' }, 7);
  const counts = new Array(10).fill(0);
  balanced.train.labels!.forEach((l) => counts[l]++);
  assert.deepEqual(counts, new Array(10).fill(50), 'seed 7');
  await assert.rejects(
    Promise.resolve().then(() => load({ testSize: 1797 })),
    (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS'),
  );
});

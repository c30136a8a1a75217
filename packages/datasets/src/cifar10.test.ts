import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, isBiaslabError, parseOptions } from '@biaslab/core';
import { readCifarBatch } from './cifar-binary';
import { CIFAR10_FILES, CIFAR10_FOLDER, cifar10Dataset, cifar10Options } from './cifar10';
import { cifarBatchBytes, syntheticImages, tempDir } from './test-files';

const SEED = 5;
const PER_BATCH = 12;

/** Writes six small batches into `<dir>/cifar10/cifar-10-batches-bin`, returning labels and pixels of each. */
function writeBatches(dir: string, rng: Rng) {
  const folder = join(dir, 'cifar10', CIFAR10_FOLDER);
  mkdirSync(folder, { recursive: true });
  return CIFAR10_FILES.map((name) => {
    const { pixels, labels } = syntheticImages(rng, PER_BATCH, 3072);
    writeFileSync(join(folder, name), cifarBatchBytes(labels, pixels));
    return { pixels, labels };
  });
}

const dir = tempDir();
const batches = writeBatches(dir, new Rng(SEED));

function load(raw: Record<string, unknown>, seed = SEED) {
  return Promise.resolve(
    cifar10Dataset.load(
      parseOptions(cifar10Options, { dataDir: dir, download: false, ...raw }, 'dataset/cifar10'),
      { rng: new Rng(seed) },
    ),
  );
}

test('cifar10: records are split into label and RGB planes; train = batches 1..5 in order', async () => {
  const batch = readCifarBatch(join(dir, 'cifar10', CIFAR10_FOLDER, 'data_batch_2.bin'));
  assert.equal(batch.count, PER_BATCH);
  assert.deepEqual([...batch.labels], [...batches[1].labels]);
  assert.deepEqual([...batch.pixels], [...batches[1].pixels]);

  const data = await load({ standardize: 'none', dtype: 'float64', flatten: false });
  assert.deepEqual(data.inputShape, [3, 32, 32]);
  assert.deepEqual(data.train.x.shape, [5 * PER_BATCH, 3, 32, 32]);
  assert.deepEqual(data.test!.x.shape, [PER_BATCH, 3, 32, 32]);
  assert.deepEqual(
    [...data.train.labels!],
    batches.slice(0, 5).flatMap((b) => [...b.labels]),
  );
  assert.deepEqual([...data.test!.labels!], [...batches[5].labels]);
  // Image 13 is record 1 of batch 2; its green plane starts at pixel 1024.
  assert.equal(data.train.x.data[13 * 3072 + 1024 + 33], batches[1].pixels[3072 + 1024 + 33] / 255);
  assert.match(data.provenance, /data_batch_1\.bin sha256:[0-9a-f]{64}/);
});

test('cifar10: per-channel standardisation with training statistics, flattening and balanced subsets', async () => {
  const data = await load({ dtype: 'float64' });
  assert.deepEqual(data.train.x.shape, [60, 3072]);
  for (let c = 0; c < 3; c++) {
    let sum = 0;
    let sq = 0;
    for (let s = 0; s < 60; s++) {
      for (let p = 0; p < 1024; p++) {
        const v = data.train.x.data[s * 3072 + c * 1024 + p];
        sum += v;
        sq += v * v;
      }
    }
    const mean = sum / (60 * 1024);
    assert.ok(Math.abs(mean) < 1e-12, `channel ${c} mean ${mean}`);
    assert.ok(Math.abs(sq / (60 * 1024) - 1) < 1e-9, `channel ${c} second moment`);
  }
  const subset = await load({ train: 10, subset: 'balanced', classes: [0, 1, 2, 3, 4], targets: 'one-hot' });
  const counts = [0, 0, 0, 0, 0];
  subset.train.labels!.forEach((l) => counts[l]++);
  assert.ok(
    counts.every((c) => c === 2),
    `balanced counts ${counts} (seed ${SEED})`,
  );
  assert.equal(subset.outputSize, 5);
});

test('cifar10: a truncated batch is a DATA error naming the file', async () => {
  const broken = tempDir();
  writeBatches(broken, new Rng(1));
  const file = join(broken, 'cifar10', CIFAR10_FOLDER, 'data_batch_3.bin');
  writeFileSync(file, cifarBatchBytes(Uint8Array.of(1, 2), new Uint8Array(6144)).subarray(0, 5000));
  const options = parseOptions(cifar10Options, { dataDir: broken, download: false }, 'dataset/cifar10');
  await assert.rejects(
    Promise.resolve(cifar10Dataset.load(options, { rng: new Rng(0) })),
    (e: unknown) =>
      isBiaslabError(e, 'DATA') &&
      (e as Error).message.includes(file) &&
      /received 5000 bytes \(1 records and 1927 bytes left over\)/.test((e as Error).message),
  );
  writeFileSync(file, cifarBatchBytes(Uint8Array.of(11), new Uint8Array(3072)));
  await assert.rejects(
    Promise.resolve(cifar10Dataset.load(options, { rng: new Rng(0) })),
    (e: unknown) =>
      isBiaslabError(e, 'DATA') && /record 0 has label `11`, expected 0\.\.9/.test((e as Error).message),
  );
});

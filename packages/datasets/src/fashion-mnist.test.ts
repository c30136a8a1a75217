import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, parseOptions } from '@biaslab/core';
import { DEBIAN_FASHION_MNIST_DIR, fashionMnistDataset } from './fashion-mnist';
import { readIdxImages, readIdxLabels } from './idx';
import { idxImageOptions } from './idx-dataset';

const present = existsSync(join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));
const skip = present
  ? false
  : `Fashion-MNIST files not found in ${DEBIAN_FASHION_MNIST_DIR} (install the Debian package dataset-fashion-mnist)`;

test(
  'fashion-mnist (real files): 60000/10000 images of 28×28, labels in 0..9, 6000 of each class',
  { skip },
  () => {
    const train = readIdxImages(join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));
    const test = readIdxImages(join(DEBIAN_FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz'));
    assert.deepEqual([train.count, train.height, train.width], [60000, 28, 28]);
    assert.deepEqual([test.count, test.height, test.width], [10000, 28, 28]);
    const { labels } = readIdxLabels(join(DEBIAN_FASHION_MNIST_DIR, 'train-labels-idx1-ubyte.gz'), 10);
    const counts = new Array(10).fill(0);
    labels.forEach((l) => counts[l]++);
    assert.deepEqual(counts, new Array(10).fill(6000));
    assert.equal(
      readIdxLabels(join(DEBIAN_FASHION_MNIST_DIR, 't10k-labels-idx1-ubyte.gz'), 10).labels.length,
      10000,
    );
  },
);

test('fashion-mnist (real files): found in the Debian folder; the 5k balanced subset', { skip }, async () => {
  const options = parseOptions(
    idxImageOptions,
    { train: 5000, subset: 'balanced', testSize: 1000, download: false },
    'dataset/fashion-mnist',
  );
  const data = await fashionMnistDataset.load(options, {
    rng: new Rng(0),
    dataDir: join(DEBIAN_FASHION_MNIST_DIR, 'no-such-folder'),
  });
  assert.deepEqual(data.train.x.shape, [5000, 784]);
  assert.deepEqual(data.test!.x.shape, [1000, 784]);
  const counts = new Array(10).fill(0);
  data.train.labels!.forEach((l) => counts[l]++);
  assert.deepEqual(counts, new Array(10).fill(500));
  assert.ok(data.provenance.includes(DEBIAN_FASHION_MNIST_DIR) || data.provenance.includes('fashion-mnist'));
});

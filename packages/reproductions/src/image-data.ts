import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the Debian package `dataset-fashion-mnist` puts Fashion-MNIST. */
export const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

/**
 * The image dataset the real-data reproductions use on this machine: Fashion-MNIST when its IDX files are
 * present (Debian `dataset-fashion-mnist`), else the shipped 8×8 digits. Recorded as a fact so a report is
 * rebuilt with the dataset that ran.
 */
export function imageDatasetFact(): { dataset: 'fashion-mnist' | 'digits' } {
  const present = [
    'train-images-idx3-ubyte.gz',
    'train-labels-idx1-ubyte.gz',
    't10k-images-idx3-ubyte.gz',
  ].every((f) => existsSync(join(DEBIAN_FASHION_MNIST, f)));
  return { dataset: present ? 'fashion-mnist' : 'digits' };
}

/** Dataset options for a training subset of `train` samples and `test` test samples of `dataset`. */
export function imageDataset(
  dataset: string,
  train: number,
  test: number,
): { name: string; options: Record<string, unknown> } {
  if (dataset === 'digits') {
    // digits has 1500 training and 297 held-out samples in all.
    return { name: 'digits', options: { train: Math.min(train, 1500), testSize: Math.min(test, 297) } };
  }
  return { name: dataset, options: { train, testSize: test, download: false } };
}

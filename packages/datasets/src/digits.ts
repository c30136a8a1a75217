import { fileURLToPath } from 'node:url';
import { BiaslabError, defineDataset, z } from '@biaslab/core';
import type { Dataset, DatasetContext } from '@biaslab/core';
import { REPLACE_FILE, dataFileError } from './data-error';
import { buildImageDataset } from './image-pipeline';
import { classesCheck, imageOptionShape } from './image-options';
import { readDataFile } from './read-data-file';

/**
 * The shipped copy of scikit-learn's `digits.csv.gz`. Resolved from this module's URL: `src/` when run from
 * sources and `dist/` when built both sit next to the package's `data/` folder.
 */
export const DIGITS_FILE = fileURLToPath(new URL('../data/digits.csv.gz', import.meta.url));

/** SHA-256 of the shipped `digits.csv.gz` (scikit-learn 1.2.1, as packaged by Debian). */
export const DIGITS_SHA256 = '46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a';

/** Samples in the digits set. */
export const DIGITS_SAMPLES = 1797;

/** Options of `dataset/digits`. */
export const digitsOptions = z
  .object({
    ...imageOptionShape,
    testSize: z
      .number()
      .int()
      .nonnegative()
      .default(297)
      .describe(
        'Samples held out for testing by a seeded shuffle (default 297, leaving 1500 to train; 0 for none)',
      ),
  })
  .strict()
  .superRefine(classesCheck(10));

export type DigitsOptions = z.infer<typeof digitsOptions>;

/** Pixels and labels of the digits set as read from `path`: 1797 rows of 64 values in 0..16 and a label. */
export function readDigits(path: string = DIGITS_FILE): {
  pixels: Uint8Array;
  labels: Uint8Array;
  sha256: string;
} {
  const file = readDataFile(path);
  const lines = Buffer.from(file.bytes)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0);
  if (lines.length !== DIGITS_SAMPLES) {
    throw dataFileError(path, `expected ${DIGITS_SAMPLES} rows, received ${lines.length}`, REPLACE_FILE);
  }
  const pixels = new Uint8Array(DIGITS_SAMPLES * 64);
  const labels = new Uint8Array(DIGITS_SAMPLES);
  lines.forEach((line, r) => {
    const values = line.split(',').map(Number);
    if (
      values.length !== 65 ||
      values.some((v, j) => !Number.isInteger(v) || v < 0 || v > (j < 64 ? 16 : 9))
    ) {
      throw dataFileError(
        path,
        `row ${r + 1} is not 64 integers in 0..16 and a label in 0..9: \`${line.slice(0, 60)}\``,
        REPLACE_FILE,
      );
    }
    pixels.set(values.slice(0, 64), r * 64);
    labels[r] = values[64];
  });
  return { pixels, labels, sha256: file.sha256 };
}

/**
 * The 8×8 handwritten digits (Alpaydin & Kaynak 1998, UCI "Optical Recognition of Handwritten Digits", test
 * part, as distributed with scikit-learn under BSD-3): 1797 grey images with 17 grey levels, 10 classes. Shipped
 * with the package, so it works offline; the stand-in for MNIST on machines without it.
 */
export const digitsDataset = defineDataset<DigitsOptions>({
  name: 'digits',
  summary: '8×8 handwritten digits, 1797 samples, 10 classes (shipped with the package, BSD-3)',
  description:
    'scikit-learn’s copy of the UCI optical-recognition digits (Alpaydin & Kaynak 1998): 1797 images of 8×8 ' +
    'pixels in 0..16, scaled to [0, 1]. The data have no official split: a seeded shuffle (stream `split`) holds ' +
    'out `testSize` samples (default 297) and the rest (1500) is the training pool that `train` subsets.',
  options: digitsOptions,
  load(options: DigitsOptions, context: DatasetContext): Dataset {
    const { pixels, labels, sha256 } = readDigits();
    if (sha256 !== DIGITS_SHA256) {
      throw new BiaslabError(
        'DATA',
        `The shipped \`${DIGITS_FILE}\` has SHA-256 \`${sha256}\`, expected \`${DIGITS_SHA256}\`; the package is ` +
          'damaged: reinstall @biaslab/datasets.',
        { file: DIGITS_FILE },
      );
    }
    if (options.testSize >= DIGITS_SAMPLES) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        `Option \`testSize\` of \`dataset/digits\` is ${options.testSize}, which leaves no training samples of ` +
          `the ${DIGITS_SAMPLES}; use at most ${DIGITS_SAMPLES - 1}.`,
      );
    }
    const order = context.rng.fork('split').permutation(DIGITS_SAMPLES);
    const part = (rows: number[]) => ({
      count: rows.length,
      pixels: Uint8Array.from(rows.flatMap((i) => Array.from(pixels.subarray(i * 64, i * 64 + 64)))),
      labels: Uint8Array.from(rows, (i) => labels[i]),
    });
    const testRows = order.slice(0, options.testSize).sort((a, b) => a - b);
    const trainRows = order.slice(options.testSize).sort((a, b) => a - b);
    const built = buildImageDataset(
      { where: 'dataset/digits', channels: 1, height: 8, width: 8, numClasses: 10, maxPixel: 16 },
      { train: part(trainRows), ...(testRows.length > 0 ? { test: part(testRows) } : {}) },
      { ...options, testSize: undefined },
      context.rng,
    );
    const { summary, ...dataset } = built;
    return {
      ...dataset,
      provenance:
        `dataset/digits: shipped data/digits.csv.gz sha256:${sha256} (scikit-learn, BSD-3; UCI optical digits); ` +
        `seeded split (seed ${context.rng.seed}) into ${trainRows.length} train / ${testRows.length} test; ${summary}`,
    };
  },
});

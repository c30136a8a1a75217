import { floatTensor } from '@biaslab/core';
import type { DataSplit, Dataset, Rng } from '@biaslab/core';
import type { ImageOptions } from './image-options';
import { applyStatistics, describeStatistics, trainingStatistics } from './standardize';
import { chooseSubset } from './subset';

/** Raw images of one split: `pixels` holds `count` images of C·H·W values each ([C, H, W] order). */
export interface RawImages {
  readonly count: number;
  readonly pixels: ArrayLike<number>;
  readonly labels: ArrayLike<number>;
}

/** Fixed facts about an image dataset. */
export interface ImageSpec {
  /** Component key, for messages: `dataset/mnist`. */
  readonly where: string;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly numClasses: number;
  /** Largest pixel value; pixels are divided by it to lie in [0, 1]. */
  readonly maxPixel: number;
}

/**
 * Turns raw images into a biaslab dataset: keeps the chosen `classes` (renumbered in the order given), picks the
 * `train` / `testSize` subsets (streams `train-subset`, `test-subset` of `rng`), scales pixels to [0, 1],
 * standardises with training statistics only, builds one-hot or class-index targets and lays x out flat or as
 * [C, H, W]. Returns the dataset without provenance; the caller adds the files and checksums.
 */
export function buildImageDataset(
  spec: ImageSpec,
  raw: { train: RawImages; test?: RawImages },
  options: ImageOptions,
  rng: Rng,
): Omit<Dataset, 'provenance'> & { summary: string } {
  const classes = options.classes ?? Array.from({ length: spec.numClasses }, (_, c) => c);
  const relabel = new Int32Array(spec.numClasses).fill(-1);
  classes.forEach((c, k) => (relabel[c] = k));
  const pick = (split: RawImages, n: number | undefined, stream: string, option: string): number[] => {
    const pool: number[] = [];
    for (let i = 0; i < split.count; i++) if (relabel[split.labels[i]] >= 0) pool.push(i);
    return chooseSubset(pool, split.labels, classes, n, options.subset, rng.fork(stream), option, spec.where);
  };
  const trainRows = pick(raw.train, options.train, 'train-subset', 'train');
  const testRows =
    raw.test && options.testSize !== 0
      ? pick(raw.test, options.testSize, 'test-subset', 'testSize')
      : undefined;

  const features = spec.channels * spec.height * spec.width;
  const trainX = gather(raw.train, trainRows, features, spec.maxPixel);
  const testX = testRows ? gather(raw.test!, testRows, features, spec.maxPixel) : undefined;
  const stats = trainingStatistics(trainX, trainRows.length, features, options.standardize, spec.channels);
  if (stats) {
    applyStatistics(trainX, trainRows.length, stats);
    if (testX) applyStatistics(testX, testRows!.length, stats);
  }
  const inputShape = options.flatten ? [features] : [spec.channels, spec.height, spec.width];
  const oneHot = options.targets === 'one-hot';
  const outputSize = oneHot ? classes.length : 1;
  const split = (source: RawImages, rows: number[], x: Float64Array): DataSplit => {
    const labels = Int32Array.from(rows, (i) => relabel[source.labels[i]]);
    const y = new Float64Array(rows.length * outputSize);
    labels.forEach((label, s) => (oneHot ? (y[s * outputSize + label] = 1) : (y[s] = label)));
    return {
      x: floatTensor(options.dtype, [rows.length, ...inputShape], x),
      y: floatTensor(options.dtype, [rows.length, outputSize], y),
      ...(oneHot ? { labels } : {}),
    };
  };
  const summary =
    `${trainRows.length} train${testRows ? ` / ${testRows.length} test` : ''} samples ` +
    `(${options.train === undefined ? 'all' : `${options.subset} ${options.train}`}` +
    `${options.subset === 'balanced' && options.train !== undefined ? `, seed ${rng.seed}` : ''}), ` +
    `classes [${classes.join(', ')}], pixels scaled to [0, 1] then ${describeStatistics(options.standardize, stats, spec.channels)}, ` +
    `${oneHot ? 'one-hot targets' : 'class-index regression targets'}, x ${options.flatten ? 'flattened' : '[C, H, W]'} ${options.dtype}`;
  return {
    task: oneHot ? 'classification' : 'regression',
    inputShape,
    outputSize,
    train: split(raw.train, trainRows, trainX),
    ...(testRows && testX ? { test: split(raw.test!, testRows, testX) } : {}),
    summary,
  };
}

function gather(split: RawImages, rows: readonly number[], features: number, maxPixel: number): Float64Array {
  const out = new Float64Array(rows.length * features);
  rows.forEach((i, s) => {
    const from = i * features;
    for (let f = 0; f < features; f++) out[s * features + f] = split.pixels[from + f] / maxPixel;
  });
  return out;
}

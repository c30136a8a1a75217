import { resolve } from 'node:path';
import { BiaslabError, defineDataset, z } from '@biaslab/core';
import type { Dataset } from '@biaslab/core';
import { dataFileError } from './data-error';
import { parseNpy } from './npy-format';
import type { NpyArray } from './npy-format';
import { readDataFile } from './read-data-file';
import { buildTabularDataset, tabularOptionShape } from './tabular';
import type { TabularSplit } from './tabular';

/** Options of `dataset/npy`. */
export const npyOptions = z
  .object({
    x: z.string().min(1).describe('`.npy` file of training inputs, shape [n, ...]'),
    y: z
      .string()
      .min(1)
      .describe('`.npy` file of training targets: [n] or [n, k] numbers, or [n] integer class labels'),
    testX: z.string().min(1).optional().describe('`.npy` file of test inputs (needs `testY`)'),
    testY: z.string().min(1).optional().describe('`.npy` file of test targets (needs `testX`)'),
    flatten: z.boolean().default(true).describe('Flatten each input to a vector; false keeps its shape'),
    ...tabularOptionShape,
  })
  .strict()
  .refine((o) => (o.testX === undefined) === (o.testY === undefined), {
    message: 'give both `testX` and `testY`, or neither',
    path: ['testY'],
  });

export type NpyOptions = z.infer<typeof npyOptions>;

interface Loaded {
  readonly path: string;
  readonly array: NpyArray;
  readonly sha256: string;
}

function load(path: string): Loaded {
  const resolved = resolve(path);
  const file = readDataFile(resolved);
  return { path: resolved, array: parseNpy(file.bytes, resolved), sha256: file.sha256 };
}

/**
 * A user's NumPy arrays: inputs x of shape [n, ...] and targets y of shape [n] or [n, k] (`.npy` 1.0/2.0/3.0,
 * C order, `<f4`, `<f8`, `<i4`, `<i8` or `|u1`; gzipped files are read too). For classification y holds integer
 * class labels 0..K−1 and K is one more than the largest label in either split.
 */
export const npyDataset = defineDataset<NpyOptions>({
  name: 'npy',
  summary: 'NumPy .npy files of inputs x and targets y (optionally a test pair)',
  description:
    'x: [n, ...] numbers; y: [n] or [n, k] regression targets, or [n] class labels 0..K−1 for classification. ' +
    'Arrays are widened to float64 before the chosen `dtype`.',
  options: npyOptions,
  load(options: NpyOptions): Dataset {
    const files = [load(options.x), load(options.y)];
    if (options.testX && options.testY) files.push(load(options.testX), load(options.testY));
    const [xTrain, yTrain, xTest, yTest] = files;
    const sampleShape = xTrain.array.shape.slice(1);
    if (xTrain.array.shape.length < 2) {
      throw dataFileError(
        xTrain.path,
        `inputs have shape (${xTrain.array.shape.join(', ')}), expected [n, features, ...]`,
        'Reshape to one row per sample.',
      );
    }
    const classification = options.task === 'classification';
    const split = (x: Loaded, y: Loaded): TabularSplit => {
      const n = x.array.shape[0];
      if (x.array.shape.slice(1).join() !== sampleShape.join()) {
        throw dataFileError(
          x.path,
          `samples have shape (${x.array.shape.slice(1).join(', ')}), the training inputs (${sampleShape.join(', ')})`,
          'Use the same input shape in both splits.',
        );
      }
      if (
        y.array.shape[0] !== n ||
        y.array.shape.length > 2 ||
        (classification && y.array.shape.length !== 1)
      ) {
        throw dataFileError(
          y.path,
          `targets have shape (${y.array.shape.join(', ')}), expected (${n}${classification ? '' : '[, k]'}) to match \`${x.path}\``,
          'Save one target row per input row.',
        );
      }
      if (classification) {
        const bad = y.array.values.findIndex((v) => !Number.isInteger(v) || v < 0);
        if (bad >= 0)
          throw dataFileError(
            y.path,
            `label ${bad} is \`${y.array.values[bad]}\`, expected an integer ≥ 0`,
            'Store class indices 0..K−1.',
          );
        return { x: Float64Array.from(x.array.values), n, targets: Int32Array.from(y.array.values) };
      }
      return { x: Float64Array.from(x.array.values), n, targets: Float64Array.from(y.array.values) };
    };
    const train = split(xTrain, yTrain);
    const test = xTest && yTest ? split(xTest, yTest) : undefined;
    const outputs = classification
      ? Math.max(largest(train.targets), test ? largest(test.targets) : -1) + 1
      : (yTrain.array.shape[1] ?? 1);
    if (classification && outputs < 2) {
      throw new BiaslabError(
        'DATA',
        `\`${yTrain.path}\` has a single class; classification needs labels of at least two classes.`,
      );
    }
    const inputShape = options.flatten ? [sampleShape.reduce((a, b) => a * b, 1)] : sampleShape;
    const built = buildTabularDataset(train, test, inputShape, {
      task: options.task,
      outputs,
      standardize: options.standardize,
      dtype: options.dtype,
    });
    const { summary, ...dataset } = built;
    return {
      ...dataset,
      provenance: `dataset/npy: ${files.map((f) => `${f.path} (${f.array.descr}, shape (${f.array.shape.join(', ')})) sha256:${f.sha256}`).join(', ')}; ${summary}`,
    };
  },
});

function largest(values: ArrayLike<number>): number {
  let m = -1;
  for (let i = 0; i < values.length; i++) m = Math.max(m, values[i]);
  return m;
}

import { floatTensor, z } from '@biaslab/core';
import type { DataSplit, Dataset, FloatDType } from '@biaslab/core';
import { applyStatistics, describeStatistics, trainingStatistics } from './standardize';

/** Options shared by the user-file datasets (`csv`, `npy`). */
export const tabularOptionShape = {
  task: z
    .enum(['regression', 'classification'])
    .default('regression')
    .describe(
      '`regression`: targets as numbers; `classification`: one target column of class labels → one-hot y',
    ),
  standardize: z
    .enum(['none', 'per-feature', 'global'])
    .default('none')
    .describe('Standardise inputs with training statistics: per feature, one μ/σ for all, or not at all'),
  dtype: z.enum(['float32', 'float64']).default('float64').describe('Element type of the x and y tensors'),
};

/** One split of a table before targets are encoded. */
export interface TabularSplit {
  /** [n, features] row-major. */
  readonly x: Float64Array;
  readonly n: number;
  /** Regression targets [n, outputs] row-major, or class indices. */
  readonly targets: Float64Array | Int32Array;
}

/**
 * Standardises (training statistics only) and encodes a table: class indices become one-hot rows (with
 * `labels`), regression targets stay as given. `inputShape` is the per-sample shape of x.
 */
export function buildTabularDataset(
  train: TabularSplit,
  test: TabularSplit | undefined,
  inputShape: readonly number[],
  layout: {
    task: 'regression' | 'classification';
    outputs: number;
    standardize: 'none' | 'per-feature' | 'global';
    dtype: FloatDType;
  },
): Omit<Dataset, 'provenance'> & { summary: string } {
  const features = inputShape.reduce((a, b) => a * b, 1);
  const mode = layout.standardize === 'per-feature' ? 'per-pixel' : layout.standardize;
  const stats = trainingStatistics(train.x, train.n, features, mode);
  if (stats) {
    applyStatistics(train.x, train.n, stats);
    if (test) applyStatistics(test.x, test.n, stats);
  }
  const classification = layout.task === 'classification';
  const encode = (split: TabularSplit): DataSplit => {
    const x = floatTensor(layout.dtype, [split.n, ...inputShape], split.x);
    if (!classification) return { x, y: floatTensor(layout.dtype, [split.n, layout.outputs], split.targets) };
    const labels = Int32Array.from(split.targets);
    const y = new Float64Array(split.n * layout.outputs);
    labels.forEach((label, s) => (y[s * layout.outputs + label] = 1));
    return { x, y: floatTensor(layout.dtype, [split.n, layout.outputs], y), labels };
  };
  const statsText = describeStatistics(mode, stats)
    .replace('per pixel', 'per feature')
    .replace('per-pixel', 'per-feature');
  return {
    task: layout.task,
    inputShape: [...inputShape],
    outputSize: layout.outputs,
    train: encode(train),
    ...(test ? { test: encode(test) } : {}),
    summary: `${train.n} train${test ? ` / ${test.n} test` : ''} samples, ${statsText}, ${layout.task} with ${layout.outputs} output${layout.outputs > 1 ? 's' : ''}, ${layout.dtype}`,
  };
}

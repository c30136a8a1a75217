import { BiaslabError, defineMetric, z } from '@biaslab/core';
import type { MetricContext } from '@biaslab/core';

const accuracyOptions = z.object({}).strict();

/**
 * Classification accuracy of the model on a split: the fraction of samples whose arg max over the outputs of
 * f_θ(x) (first maximum on ties; a row with a non-finite output counts as wrong) equals the label. Labels are
 * `dataset.<split>.labels`, or the arg max of the one-hot targets `y` when the dataset gives no label array.
 * Needs `context.predict` and a classification dataset with at least two outputs; NaN for a θ with non-finite
 * entries (a diverged run).
 */
export async function accuracyOf(
  context: Pick<MetricContext, 'theta' | 'dataset' | 'predict'>,
  split: 'train' | 'test',
  metric: string,
): Promise<number> {
  const { dataset } = context;
  if (dataset.task !== 'classification' || dataset.outputSize < 2) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      `Metric \`metric/${metric}\` needs a classification dataset with at least two classes; received task \`${dataset.task}\` ` +
        `with \`${dataset.outputSize}\` output(s). Use the loss metrics for regression.`,
      { metric },
    );
  }
  const data = split === 'train' ? dataset.train : dataset.test;
  if (!data) {
    throw new BiaslabError(
      'DATA',
      `Metric \`metric/${metric}\` needs a test split, but the dataset has none. Choose a dataset with a test split, or remove the metric.`,
      { metric },
    );
  }
  if (!context.predict) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      `Metric \`metric/${metric}\` needs model predictions (\`MetricContext.predict\`), but the run provides none. ` +
        'Run it with a lab that evaluates the forward graph, or remove the metric.',
      { metric },
    );
  }
  if (!context.theta.every(Number.isFinite)) return Number.NaN;
  const c = dataset.outputSize;
  const n = data.y.shape[0] ?? 0;
  const outputs = await context.predict(context.theta, split);
  if (outputs.length !== n * c) {
    throw new BiaslabError(
      'SHAPE',
      `Metric \`metric/${metric}\`: predictions on the ${split} split have \`${outputs.length}\` entries; expected ${n} × ${c} = \`${n * c}\`.`,
    );
  }
  const labels = data.labels ?? Int32Array.from({ length: n }, (_, i) => argmax(data.y.data, i * c, c));
  if (labels.length !== n) {
    throw new BiaslabError(
      'SHAPE',
      `Metric \`metric/${metric}\`: the ${split} split has \`${labels.length}\` labels for \`${n}\` samples.`,
    );
  }
  if (n === 0) return Number.NaN;
  let correct = 0;
  for (let i = 0; i < n; i++) if (argmax(outputs, i * c, c) === labels[i]) correct++;
  return correct / n;
}

/** Index (0..c−1) of the first largest of `c` entries from `offset`; −1 when one of them is not finite. */
function argmax(values: ArrayLike<number>, offset: number, c: number): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let j = 0; j < c; j++) {
    const x = values[offset + j];
    if (!Number.isFinite(x)) return -1;
    if (best < 0 || x > bestValue) {
      best = j;
      bestValue = x;
    }
  }
  return best;
}

/** Training accuracy (metric `train-accuracy`): fraction of training samples with arg max f_θ(x) = label. */
export const trainAccuracyMetric = defineMetric<z.infer<typeof accuracyOptions>>({
  name: 'train-accuracy',
  summary: 'Fraction of training samples classified correctly (arg max of the outputs).',
  description:
    'train-accuracy = (1/n) Σᵢ [arg max_c f_θ(xᵢ)_c = yᵢ] over the training split (classification).',
  options: accuracyOptions,
  needs: [],
  create: () => ({
    async compute(context) {
      return { 'train-accuracy': await accuracyOf(context, 'train', 'train-accuracy') };
    },
  }),
});

/** Test accuracy (metric `test-accuracy`): fraction of test samples with arg max f_θ(x) = label. */
export const testAccuracyMetric = defineMetric<z.infer<typeof accuracyOptions>>({
  name: 'test-accuracy',
  summary: 'Fraction of test samples classified correctly (arg max of the outputs).',
  description: 'test-accuracy = (1/m) Σⱼ [arg max_c f_θ(x′ⱼ)_c = y′ⱼ] over the test split (classification).',
  options: accuracyOptions,
  needs: [],
  create: () => ({
    async compute(context) {
      return { 'test-accuracy': await accuracyOf(context, 'test', 'test-accuracy') };
    },
  }),
});

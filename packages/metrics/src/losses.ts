import { BiaslabError, defineMetric, z } from '@biaslab/core';
import type { MetricContext } from '@biaslab/core';

const noOptions = z.object({}).strict();

/** The full-batch training loss L(θ) (metric `train-loss`). */
export const trainLossMetric = defineMetric<z.infer<typeof noOptions>>({
  name: 'train-loss',
  summary: 'Full-batch training loss L(θ).',
  description:
    'train-loss = L(θ) = (1/n) Σᵢ ℓ(f_θ(xᵢ), yᵢ) over all n training samples, with the run’s loss normalisation.',
  options: noOptions,
  needs: [],
  create: () => ({
    async compute(context) {
      return { 'train-loss': await context.train.loss(context.theta) };
    },
  }),
});

/** The loss on the test split, or a clear error when the dataset has none. */
export async function testLossOf(
  context: Pick<MetricContext, 'testLoss' | 'theta'>,
  metric: string,
): Promise<number> {
  if (!context.testLoss) {
    throw new BiaslabError(
      'DATA',
      `Metric \`metric/${metric}\` needs a test split, but the dataset has none. ` +
        'Choose a dataset with a test split (or enable one in its options), or remove the metric from the run.',
      { metric },
    );
  }
  return context.testLoss(context.theta);
}

/** The loss on the test split (metric `test-loss`). */
export const testLossMetric = defineMetric<z.infer<typeof noOptions>>({
  name: 'test-loss',
  summary: 'Loss on the test split.',
  description:
    'test-loss = (1/m) Σⱼ ℓ(f_θ(x′ⱼ), y′ⱼ) over the m test samples, with the same normalisation as L.',
  options: noOptions,
  needs: [],
  create: () => ({
    async compute(context) {
      return { 'test-loss': await testLossOf(context, 'test-loss') };
    },
  }),
});

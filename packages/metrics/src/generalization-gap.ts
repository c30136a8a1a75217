import { defineMetric, z } from '@biaslab/core';
import { testLossOf } from './losses';

const gapOptions = z.object({}).strict();

/**
 * Generalisation gap (metric `generalization-gap`): L_test(θ) − L_train(θ), both with the run's loss
 * normalisation; also `generalization-gap.train-loss` and `generalization-gap.test-loss`.
 */
export const generalizationGapMetric = defineMetric<z.infer<typeof gapOptions>>({
  name: 'generalization-gap',
  summary: 'Test loss minus training loss.',
  description:
    'generalization-gap = L_test(θ) − L_train(θ) (same normalisation); generalization-gap.train-loss, generalization-gap.test-loss.',
  options: gapOptions,
  needs: [],
  create: () => ({
    async compute(context) {
      const test = await testLossOf(context, 'generalization-gap');
      const train = await context.train.loss(context.theta);
      return {
        'generalization-gap': test - train,
        'generalization-gap.train-loss': train,
        'generalization-gap.test-loss': test,
      };
    },
  }),
});

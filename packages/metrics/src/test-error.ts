import { BiaslabError, defineMetric, z } from '@biaslab/core';
import { testLossOf } from './losses';

const testErrorOptions = z.object({}).strict();

/**
 * Generalisation error (metric `test-error`). With a ground truth β* and a linear predictor β(θ) it is
 * ‖β − β*‖₂², the expected squared error E(⟨x′, β⟩ − ⟨x′, β*⟩)² for standard Gaussian test inputs x′
 * (docs/science.md, diagonal linear networks); otherwise the test loss.
 */
export const testErrorMetric = defineMetric<z.infer<typeof testErrorOptions>>({
  name: 'test-error',
  summary: 'Generalisation error: ‖β − β*‖₂² when the ground truth is known, else the test loss.',
  description:
    'If the dataset carries β* and the model a linear predictor β(θ): test-error = ‖β − β*‖₂² = E(⟨x′,β⟩ − ⟨x′,β*⟩)² ' +
    'for x′ ~ N(0, I). Otherwise test-error = the loss on the test split.',
  options: testErrorOptions,
  needs: [],
  provides: 'testError',
  create: () => ({
    async compute(context) {
      const betaStar = context.dataset.betaStar;
      if (betaStar && typeof context.model.predictor === 'function') {
        const beta = context.model.predictor(context.theta);
        if (beta.length !== betaStar.length) {
          throw new BiaslabError(
            'SHAPE',
            `Metric \`metric/test-error\`: the predictor β has \`${beta.length}\` entries but the dataset’s β* has ` +
              `\`${betaStar.length}\`. Build the model for the dataset’s input size.`,
          );
        }
        let sum = 0;
        for (let i = 0; i < beta.length; i++) sum += (beta[i] - betaStar[i]) ** 2;
        return { 'test-error': sum };
      }
      return { 'test-error': await testLossOf(context, 'test-error') };
    },
  }),
});

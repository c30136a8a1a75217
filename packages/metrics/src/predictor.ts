import { BiaslabError } from '@biaslab/core';
import type { MetricContext } from '@biaslab/core';

/**
 * The end-to-end linear predictor β(θ) of the model, or a clear error naming the metric when the model has none.
 */
export function predictorOf(context: Pick<MetricContext, 'model' | 'theta'>, metric: string): Float64Array {
  const { model } = context;
  if (typeof model.predictor !== 'function') {
    throw new BiaslabError(
      'INVALID_CONFIG',
      `Metric \`metric/${metric}\` needs a model with an end-to-end linear predictor β(θ) (\`ModelInstance.predictor\`), ` +
        'but this model has none. Use it with a diagonal or linear network, or remove the metric from the run.',
      { metric },
    );
  }
  return model.predictor(context.theta);
}

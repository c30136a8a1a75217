import { API_VERSION, definePlugin } from '@biaslab/core';
import { gdOptimizer } from './gd';

export { gdOptimizer, gdOptions } from './gd';
export type { GdOptions } from './gd';
export { gradientOptimizer } from './gradient-optimizer';
export { scaleByLearningRate } from './scale-by-learning-rate';
export { applyUpdates } from './transform';
export type { EmptyState, GradientTransform, TransformContext } from './transform';

/** The built-in optimizers: `optimizer/gd`. */
export const optimizersPlugin = definePlugin({
  name: '@biaslab/optimizers',
  apiVersion: API_VERSION,
  components: [gdOptimizer],
});

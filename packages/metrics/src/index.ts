import { API_VERSION, definePlugin } from '@biaslab/core';
import { betaL1Metric } from './beta-l1';
import { testLossMetric, trainLossMetric } from './losses';
import { l1Metric, l2Metric } from './norms';
import { sharpnessMetric } from './sharpness';
import { testErrorMetric } from './test-error';

export { l1Metric, l2Metric, trainedEntries } from './norms';
export type { NormOptions } from './norms';
export { betaL1Metric } from './beta-l1';
export { trainLossMetric, testLossMetric, testLossOf } from './losses';
export { testErrorMetric } from './test-error';
export { predictorOf } from './predictor';
export { sharpnessMetric, SHARPNESS_MEMORY_KEY, DENSE_SHARPNESS_LIMIT } from './sharpness';
export type { SharpnessOptions } from './sharpness';
export { lanczos } from './lanczos';
export type { LanczosOptions, LanczosResult, LanczosStop, LinearOperator, RitzPair } from './lanczos';
export { denseHessian } from './dense-hessian';
export type { DenseHessian, DenseHessianOptions } from './dense-hessian';
export { symmetricEigen, symmetricTridiagonalEigen } from './symmetric-eigen';
export type { SymmetricEigen, TridiagonalEigen } from './symmetric-eigen';

/**
 * The built-in metrics of biaslab: `l1`, `l2`, `beta-l1`, `train-loss`, `test-loss`, `test-error`, `sharpness`.
 * A plain value: `registry.use(metricsPlugin)` registers them.
 */
export const metricsPlugin = definePlugin({
  name: '@biaslab/metrics',
  apiVersion: API_VERSION,
  components: [
    l1Metric,
    l2Metric,
    betaL1Metric,
    trainLossMetric,
    testLossMetric,
    testErrorMetric,
    sharpnessMetric,
  ],
});

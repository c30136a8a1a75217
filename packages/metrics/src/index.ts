import { API_VERSION, definePlugin } from '@biaslab/core';
import { testAccuracyMetric, trainAccuracyMetric } from './accuracy';
import { adaptiveSharpnessMetric } from './adaptive-sharpness';
import { averagedNormsMetric } from './averaged-norms';
import { betaL1Metric } from './beta-l1';
import { distanceMetric } from './distance';
import { effectiveSharpnessMetric } from './effective-sharpness';
import { generalizationGapMetric } from './generalization-gap';
import { ggnSharpnessMetric } from './ggn-sharpness';
import { layerNormsMetric } from './layer-norms';
import { testLossMetric, trainLossMetric } from './losses';
import { l1Metric, l2Metric } from './norms';
import { predictorNormsMetric } from './predictor-norms';
import { sharpnessMetric } from './sharpness';
import { spectrumMetric } from './spectrum';
import { stabilityMetric } from './stability';
import { testErrorMetric } from './test-error';
import { traceMetric } from './trace';

export { l1Metric, l2Metric, trainedEntries } from './norms';
export type { NormOptions } from './norms';
export { layerNormsMetric } from './layer-norms';
export type { LayerNormOptions } from './layer-norms';
export { averagedNormsMetric, averagedNormsMemoryKey } from './averaged-norms';
export type { AveragedNormOptions, IterateRing } from './averaged-norms';
export { betaL1Metric } from './beta-l1';
export { predictorNormsMetric } from './predictor-norms';
export { trainLossMetric, testLossMetric, testLossOf } from './losses';
export { testErrorMetric } from './test-error';
export { trainAccuracyMetric, testAccuracyMetric, accuracyOf } from './accuracy';
export { generalizationGapMetric } from './generalization-gap';
export { distanceMetric, DISTANCE_MEMORY_KEY } from './distance';
export type { DistanceOptions } from './distance';
export { stabilityMetric } from './stability';
export type { StabilityOptions } from './stability';
export { predictorOf } from './predictor';
export { sharpnessMetric, computeSharpness, SHARPNESS_MEMORY_KEY, SHARPNESS_LAST_KEY } from './sharpness';
export type { SharpnessOptions, SharpnessRecord } from './sharpness';
export { effectiveSharpnessMetric, EFFECTIVE_SHARPNESS_MEMORY_KEY } from './effective-sharpness';
export type { EffectiveSharpnessOptions } from './effective-sharpness';
export { ggnSharpnessMetric, GGN_SHARPNESS_MEMORY_KEY } from './ggn-sharpness';
export type { GgnSharpnessOptions } from './ggn-sharpness';
export { adaptiveSharpnessMetric, ADAPTIVE_SHARPNESS_MEMORY_KEY } from './adaptive-sharpness';
export type { AdaptiveSharpnessOptions } from './adaptive-sharpness';
export {
  topEigenpairs,
  eigenOptionsSchema,
  eigenKeys,
  DENSE_SHARPNESS_LIMIT,
  EIGEN_DEFAULTS,
} from './top-eigenpairs';
export type { EigenOptions, EigenSolution } from './top-eigenpairs';
export { trainedIndices, trainedOperator, checkedTrainedIndices } from './trained-operator';
export type { CountedOperator, ThetaProduct } from './trained-operator';
export { traceMetric } from './trace';
export type { TraceMetricOptions } from './trace';
export { hutchinson, hutchPlusPlus } from './trace-estimators';
export type { TraceEstimate, TraceOptions } from './trace-estimators';
export { spectrumMetric } from './spectrum';
export type { SpectrumOptions } from './spectrum';
export { spectralDensity, densityHistogram } from './spectral-density';
export type { SpectralDensity, SpectralDensityOptions, DensityHistogram } from './spectral-density';
export { normalCdf } from './normal-cdf';
export { denseHessian } from './dense-hessian';
export type { DenseHessian, DenseHessianOptions } from './dense-hessian';

/**
 * The built-in metrics of biaslab: norms (`l1`, `l2`, `layer-norms`, `averaged-norms`, `beta-l1`,
 * `predictor-norms`), losses and errors (`train-loss`, `test-loss`, `test-error`, `train-accuracy`,
 * `test-accuracy`, `generalization-gap`, `distance`), and Hessian quantities (`sharpness`, `stability`,
 * `effective-sharpness`, `ggn-sharpness`, `adaptive-sharpness`, `trace`, `spectrum`). A plain value:
 * `registry.use(metricsPlugin)` registers them.
 */
export const metricsPlugin = definePlugin({
  name: '@biaslab/metrics',
  apiVersion: API_VERSION,
  components: [
    l1Metric,
    l2Metric,
    layerNormsMetric,
    averagedNormsMetric,
    betaL1Metric,
    predictorNormsMetric,
    trainLossMetric,
    testLossMetric,
    testErrorMetric,
    trainAccuracyMetric,
    testAccuracyMetric,
    generalizationGapMetric,
    distanceMetric,
    sharpnessMetric,
    stabilityMetric,
    effectiveSharpnessMetric,
    ggnSharpnessMetric,
    adaptiveSharpnessMetric,
    traceMetric,
    spectrumMetric,
  ],
});

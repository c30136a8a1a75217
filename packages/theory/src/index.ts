export type { MatrixInput } from './matrix-input';
export type { VectorInput } from './inputs';
export { rankOneUpdateExtremes } from './rank-one-eigen';
export type { ExtremeEigenvalues } from './rank-one-eigen';
export {
  onePointFlowLimit,
  onePointPathBeta,
  onePointPathResidual,
  onePointPathSharpness,
  onePointPathCoordinateAtLoss,
  onePointSharpness,
} from './one-point-flow';
export type { OnePointProblem, OnePointFlowLimit } from './one-point-flow';
export { onePointFlowSharpness, onePointFlowTrajectory } from './one-point-critical-rate';
export type { FlowSharpness, FlowTrajectory } from './one-point-critical-rate';
export {
  onePointInterpolatorSharpness,
  onePointMinL1Interpolator,
  onePointMinSharpnessInterpolator,
  onePointStabilityEdge,
  onePointTradeOff,
  onePointEdgeOfStabilityInterpolator,
  onePointStableSegment,
  onePointPredictedLimit,
} from './one-point-interpolators';
export type { SimplexVertex, PredictedLimit } from './one-point-interpolators';
export { minL1Interpolator } from './min-l1';
export type { L1Interpolator } from './min-l1';
export { sharpnessForm, interpolatorSharpness, balancedParameters } from './parametrisation';
export type { Parametrisation, SharpnessForm } from './parametrisation';
export { minSharpnessInterpolator } from './min-sharpness';
export type { SharpnessInterpolator, MinSharpnessOptions } from './min-sharpness';
export { woodworthQ, woodworthRegulariser, woodworthInterpolator, minL2Interpolator } from './woodworth';
export type { WoodworthInterpolator } from './woodworth';
export { gaussianGeneralisationError } from './generalisation';
export { solveDenseProgram } from './highs-program';
export type { DenseProgram, ProgramResult } from './highs-program';

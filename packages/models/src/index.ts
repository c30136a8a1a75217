import { API_VERSION, definePlugin } from '@biaslab/core';
import { cnnModel } from './cnn';
import { dlnModel } from './dln';
import { linearModel } from './linear';
import { mlpModel } from './mlp';
import { resnetModel } from './resnet';
import { vitModel } from './vit';

export { dlnModel, dlnOptions } from './dln';
export type { DlnOptions, ResolvedDlnOptions, DlnParametrization, DlnInitShape } from './dln';
export { linearModel, linearOptions } from './linear';
export type { LinearOptions, ResolvedLinearOptions } from './linear';
export { mlpModel, mlpOptions, layerScaling, NTK_BIAS_MULTIPLIER } from './mlp';
export type { MlpOptions, ResolvedMlpOptions, MlpParametrization, LayerScaling } from './mlp';
export { cnnModel, cnnOptions } from './cnn';
export type { CnnOptions, ResolvedCnnOptions } from './cnn';
export { resnetModel, resnetOptions } from './resnet';
export type { ResnetOptions, ResolvedResnetOptions } from './resnet';
export { vitModel, vitOptions, VIT_EMBED_STD, VIT_LN_EPSILON } from './vit';
export type { VitOptions, ResolvedVitOptions } from './vit';
export { ACTIVATIONS } from './activation';
export type { Activation } from './activation';
export { NORM_EPSILON } from './batch-norm';

/** The built-in models: `model/dln`, `model/linear`, `model/mlp`, `model/cnn`, `model/resnet`, `model/vit`. */
export const modelsPlugin = definePlugin({
  name: '@biaslab/models',
  apiVersion: API_VERSION,
  components: [dlnModel, linearModel, mlpModel, cnnModel, resnetModel, vitModel],
});

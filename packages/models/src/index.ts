import { API_VERSION, definePlugin } from '@biaslab/core';
import { cnnModel } from './cnn';
import { dlnModel } from './dln';
import { linearModel } from './linear';
import { mlpModel } from './mlp';
import { onnxFileModel } from './onnx-file';
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
export {
  onnxFileModel,
  createOnnxFileModel,
  onnxFileOptions,
  loadOnnxFile,
  writeTrainedOnnx,
} from './onnx-file';
export type { OnnxFileOptions, ResolvedOnnxFileOptions, OnnxRuleInfo } from './onnx-file';
export { inspectOnnxModel, formatInspection } from './onnx-inspect';
export type { InspectRules, OnnxInspection, InspectedOp, Float64Note } from './onnx-inspect';

/** The built-in models: `model/dln`, `model/linear`, `model/mlp`, `model/cnn`, `model/resnet`, `model/vit`,
 * and `model/onnx` (a network exported from PyTorch). */
export const modelsPlugin = definePlugin({
  name: '@biaslab/models',
  apiVersion: API_VERSION,
  components: [dlnModel, linearModel, mlpModel, cnnModel, resnetModel, vitModel, onnxFileModel],
});

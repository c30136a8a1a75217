import { API_VERSION, definePlugin } from '@biaslab/core';
import { dlnModel } from './dln';
import { mlpModel } from './mlp';

export { dlnModel, dlnOptions } from './dln';
export type { DlnOptions, DlnParametrization } from './dln';
export { mlpModel, mlpOptions } from './mlp';
export type { MlpOptions } from './mlp';

/** The built-in models: `model/dln` and `model/mlp`. */
export const modelsPlugin = definePlugin({
  name: '@biaslab/models',
  apiVersion: API_VERSION,
  components: [dlnModel, mlpModel],
});

import { API_VERSION, definePlugin } from '@biaslab/core';
import { onePointDataset } from './one-point';
import { sparseRegressionDataset } from './sparse-regression';

export { sparseRegressionDataset, sparseRegressionOptions } from './sparse-regression';
export type { SparseRegressionOptions } from './sparse-regression';
export { onePointDataset, onePointOptions } from './one-point';
export type { OnePointOptions } from './one-point';

/** The built-in datasets: `dataset/sparse-regression` and `dataset/one-point`. */
export const datasetsPlugin = definePlugin({
  name: '@biaslab/datasets',
  apiVersion: API_VERSION,
  components: [sparseRegressionDataset, onePointDataset],
});

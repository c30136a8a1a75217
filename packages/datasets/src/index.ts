import { API_VERSION, definePlugin } from '@biaslab/core';
import { cifar10Dataset } from './cifar10';
import { csvDataset } from './csv-dataset';
import { digitsDataset } from './digits';
import { fashionMnistDataset } from './fashion-mnist';
import { mnistDataset } from './mnist';
import { npyDataset } from './npy-dataset';
import { onePointDataset } from './one-point';
import { sparseRegressionDataset } from './sparse-regression';
import { teacherStudentDataset } from './teacher-student';

export { sparseRegressionDataset, sparseRegressionOptions } from './sparse-regression';
export type { SparseRegressionOptions } from './sparse-regression';
export { onePointDataset, onePointOptions } from './one-point';
export type { OnePointOptions } from './one-point';
export {
  teacherStudentDataset,
  teacherStudentOptions,
  randomTeacher,
  teacherForward,
  TEACHER_ACTIVATIONS,
} from './teacher-student';
export type { TeacherStudentOptions, TeacherActivation, TeacherLayer } from './teacher-student';
export {
  digitsDataset,
  digitsOptions,
  readDigits,
  DIGITS_FILE,
  DIGITS_SHA256,
  DIGITS_SAMPLES,
} from './digits';
export type { DigitsOptions } from './digits';
export { createIdxDataset, idxImageOptions } from './idx-dataset';
export type { IdxDatasetSpec, IdxImageOptions } from './idx-dataset';
export { mnistDataset } from './mnist';
export { fashionMnistDataset, DEBIAN_FASHION_MNIST_DIR } from './fashion-mnist';
export {
  cifar10Dataset,
  createCifar10Dataset,
  cifar10Options,
  CIFAR10_FILES,
  CIFAR10_FOLDER,
} from './cifar10';
export type { Cifar10Options } from './cifar10';
export { csvDataset, csvOptions } from './csv-dataset';
export type { CsvOptions } from './csv-dataset';
export { npyDataset, npyOptions } from './npy-dataset';
export type { NpyOptions } from './npy-dataset';
export { parseIdx, readIdxImages, readIdxLabels, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from './idx';
export type { IdxArray, IdxImages } from './idx';
export { parseCifarBatch, readCifarBatch, CIFAR_RECORD_BYTES } from './cifar-binary';
export type { CifarBatch } from './cifar-binary';
export { parseNpy, NPY_DTYPES } from './npy-format';
export type { NpyArray } from './npy-format';
export { parseCsv } from './csv-format';
export type { CsvTable } from './csv-format';
export { downloadVerified, sha256File } from './download';
export type { DownloadResult } from './download';
export { MNIST_SOURCE, FASHION_MNIST_SOURCE, CIFAR10_SOURCE } from './sources';
export type { DataSource, RemoteFile } from './sources';
export { DATA_ENV, defaultCacheDir } from './locate';
export { trainingStatistics, applyStatistics } from './standardize';
export type { Standardization, FeatureStatistics } from './standardize';

/** The built-in datasets. */
export const datasetsPlugin = definePlugin({
  name: '@biaslab/datasets',
  apiVersion: API_VERSION,
  components: [
    sparseRegressionDataset,
    onePointDataset,
    teacherStudentDataset,
    digitsDataset,
    mnistDataset,
    fashionMnistDataset,
    cifar10Dataset,
    csvDataset,
    npyDataset,
  ],
});

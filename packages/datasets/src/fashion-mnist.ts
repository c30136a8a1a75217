import { createIdxDataset } from './idx-dataset';
import { FASHION_MNIST_SOURCE } from './sources';

/** Where Debian's `dataset-fashion-mnist` package installs the four gzipped IDX files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, MIT licence): 60,000 training and 10,000 test grey 28×28 images
 * of clothing in 10 classes, in MNIST's IDX format and file names.
 */
export const fashionMnistDataset = createIdxDataset({
  name: 'fashion-mnist',
  summary:
    'Fashion-MNIST clothing images, 60k/10k 28×28 grey, 10 classes (IDX files; Debian dataset-fashion-mnist)',
  description:
    'Same files and options as `dataset/mnist`, searched in <folder>/fashion-mnist of the data folders and then ' +
    `in ${DEBIAN_FASHION_MNIST_DIR} (Debian package \`dataset-fashion-mnist\`); missing files are downloaded ` +
    `from ${FASHION_MNIST_SOURCE.baseUrl} and checked by SHA-256.`,
  source: FASHION_MNIST_SOURCE,
  systemDirectories: [DEBIAN_FASHION_MNIST_DIR],
});

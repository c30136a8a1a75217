import { createIdxDataset } from './idx-dataset';
import { MNIST_SOURCE } from './sources';

/**
 * MNIST (LeCun, Bottou, Bengio, Haffner 1998): 60,000 training and 10,000 test grey 28×28 handwritten digits,
 * 10 classes, read from the IDX files `train-images-idx3-ubyte(.gz)` etc.
 */
export const mnistDataset = createIdxDataset({
  name: 'mnist',
  summary: 'MNIST handwritten digits, 60k/10k 28×28 grey images, 10 classes (IDX files)',
  description:
    'Reads train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte ' +
    '(gzipped or plain) from `dataDir`, the context data folder, $BIASLAB_DATA or ~/.cache/biaslab (each as ' +
    '<folder>/mnist or the folder itself); missing files are downloaded from ' +
    `${MNIST_SOURCE.baseUrl} and checked by SHA-256. The paper's MNIST-5k is \`train: 5000\`.`,
  source: MNIST_SOURCE,
});

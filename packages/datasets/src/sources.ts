/** One file of a canonical source: its name and SHA-256. */
export interface RemoteFile {
  readonly name: string;
  readonly sha256: string;
}

/** Where a standard dataset is downloaded from and what its files must hash to. */
export interface DataSource {
  /** URL prefix; each file is fetched from `baseUrl + name`. */
  readonly baseUrl: string;
  readonly files: readonly RemoteFile[];
}

/**
 * MNIST (LeCun, Cortes, Burges 1998) from the Google-hosted copy of the original files (the files at
 * yann.lecun.com are the same bytes); SHA-256 as listed by TensorFlow Datasets.
 */
export const MNIST_SOURCE: DataSource = {
  baseUrl: 'https://storage.googleapis.com/cvdf-datasets/mnist/',
  files: [
    {
      name: 'train-images-idx3-ubyte.gz',
      sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
    },
    {
      name: 'train-labels-idx1-ubyte.gz',
      sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
    },
    {
      name: 't10k-images-idx3-ubyte.gz',
      sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
    },
    {
      name: 't10k-labels-idx1-ubyte.gz',
      sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
    },
  ],
};

/** Fashion-MNIST (Xiao, Rasul, Vollgraf 2017, MIT licence) from Zalando Research's bucket. */
export const FASHION_MNIST_SOURCE: DataSource = {
  baseUrl: 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
  files: [
    {
      name: 'train-images-idx3-ubyte.gz',
      sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
    },
    {
      name: 'train-labels-idx1-ubyte.gz',
      sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
    },
    {
      name: 't10k-images-idx3-ubyte.gz',
      sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
    },
    {
      name: 't10k-labels-idx1-ubyte.gz',
      sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
    },
  ],
};

/** CIFAR-10 (Krizhevsky 2009), the binary version, from the University of Toronto. */
export const CIFAR10_SOURCE: DataSource = {
  baseUrl: 'https://www.cs.toronto.edu/~kriz/',
  files: [
    {
      name: 'cifar-10-binary.tar.gz',
      sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
    },
  ],
};

// The dependency direction of docs/architecture.md, as data: which workspace packages each package may import.
// `@biaslab/core` is the floor everyone stands on; `@biaslab/linalg` (the numerical linear algebra) stands on
// core alone and serves every numeric package; `@biaslab/results` (the on-disk results format, its reader and
// the number formatter) stands on core alone and serves the lab, the report, the science and the CLI; nothing
// may import the CLI; no plugin package imports another plugin package; only `@biaslab/runtime` touches
// onnxruntime-node. The science (`@biaslab/reproductions`) sits above the lab, the theory and the report, and
// only the CLI imports it.

/** Plugin packages: they may import core (models also onnx, and autodiff for its op set) and never each other. */
export const PLUGIN_PACKAGES = ['@biaslab/models', '@biaslab/optimizers', '@biaslab/metrics', '@biaslab/datasets'];

/** @type {Record<string, string[]>} */
export const ALLOWED = {
  '@biaslab/core': [],
  '@biaslab/linalg': ['@biaslab/core'],
  '@biaslab/onnx': ['@biaslab/core'],
  '@biaslab/autodiff': ['@biaslab/onnx', '@biaslab/core'],
  '@biaslab/runtime': ['@biaslab/autodiff', '@biaslab/onnx', '@biaslab/core'],
  '@biaslab/models': ['@biaslab/autodiff', '@biaslab/onnx', '@biaslab/core'],
  '@biaslab/optimizers': ['@biaslab/linalg', '@biaslab/core'],
  '@biaslab/metrics': ['@biaslab/linalg', '@biaslab/core'],
  '@biaslab/datasets': ['@biaslab/core'],
  '@biaslab/results': ['@biaslab/core'],
  '@biaslab/lab': ['@biaslab/runtime', '@biaslab/results', '@biaslab/linalg', '@biaslab/core'],
  '@biaslab/theory': ['@biaslab/linalg', '@biaslab/core'],
  '@biaslab/report': ['@biaslab/results', '@biaslab/linalg', '@biaslab/core'],
  '@biaslab/reproductions': [
    '@biaslab/lab',
    '@biaslab/report',
    '@biaslab/theory',
    '@biaslab/results',
    '@biaslab/linalg',
    '@biaslab/core',
  ],
  '@biaslab/cli': [
    '@biaslab/reproductions',
    '@biaslab/lab',
    '@biaslab/report',
    '@biaslab/results',
    '@biaslab/linalg',
    '@biaslab/core',
    ...PLUGIN_PACKAGES,
  ],
};

/** The only package allowed to import the compute engine. */
export const ENGINE = { module: 'onnxruntime-node', owner: '@biaslab/runtime' };

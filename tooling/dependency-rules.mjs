// The dependency direction of docs/architecture.md, as data: which workspace packages each package may import.
// `@biaslab/core` is the floor everyone stands on; nothing may import the CLI; no plugin package imports
// another plugin package; only `@biaslab/runtime` touches onnxruntime-node.

/** Plugin packages: they may import core (and models may import onnx) and never each other. */
export const PLUGIN_PACKAGES = ['@biaslab/models', '@biaslab/optimizers', '@biaslab/metrics', '@biaslab/datasets'];

/** @type {Record<string, string[]>} */
export const ALLOWED = {
  '@biaslab/core': [],
  '@biaslab/onnx': ['@biaslab/core'],
  '@biaslab/autodiff': ['@biaslab/onnx', '@biaslab/core'],
  '@biaslab/runtime': ['@biaslab/autodiff', '@biaslab/onnx', '@biaslab/core'],
  '@biaslab/models': ['@biaslab/onnx', '@biaslab/core'],
  '@biaslab/optimizers': ['@biaslab/core'],
  '@biaslab/metrics': ['@biaslab/core'],
  '@biaslab/datasets': ['@biaslab/core'],
  '@biaslab/results': ['@biaslab/core'],
  '@biaslab/lab': ['@biaslab/runtime', '@biaslab/results', '@biaslab/core'],
  '@biaslab/theory': ['@biaslab/core'],
  '@biaslab/report': ['@biaslab/results', '@biaslab/core'],
  '@biaslab/cli': [
    '@biaslab/lab',
    '@biaslab/report',
    '@biaslab/results',
    '@biaslab/theory',
    '@biaslab/core',
    ...PLUGIN_PACKAGES,
  ],
};

/** The only package allowed to import the compute engine. */
export const ENGINE = { module: 'onnxruntime-node', owner: '@biaslab/runtime' };

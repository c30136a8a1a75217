import { defineDataset, floatTensor, z } from '@biaslab/core';
import type { DataSplit, Dataset, DatasetContext, Rng } from '@biaslab/core';

/** Options of `dataset/sparse-regression`. */
export const sparseRegressionOptions = z
  .object({
    n: z.number().int().positive().default(20).describe('Number of training samples'),
    d: z.number().int().positive().default(100).describe('Input dimension d'),
    k: z.number().int().positive().default(5).describe('Number of nonzero entries of β* (k ≤ d)'),
    noise: z
      .number()
      .nonnegative()
      .default(0)
      .describe('Standard deviation σ of the Gaussian label noise on training targets'),
    nTest: z
      .number()
      .int()
      .nonnegative()
      .default(500)
      .describe('Number of test samples (noiseless targets; 0 for no test split)'),
    signs: z
      .enum(['positive', 'random'])
      .default('positive')
      .describe(
        'Signs of β*’s nonzeros: `positive` (representable by β = w⊙w) or `random` (±1 with equal odds)',
      ),
    scale: z.number().positive().default(1).describe('Magnitude of every nonzero entry of β*'),
  })
  .strict()
  .refine((o) => o.k <= o.d, { message: 'the sparsity `k` must not exceed the dimension `d`', path: ['k'] });

export type SparseRegressionOptions = z.infer<typeof sparseRegressionOptions>;

/**
 * Sparse linear regression with a Gaussian design: x ~ N(0, I_d), a k-sparse β* with nonzeros ±`scale` on a
 * uniformly random support, y = ⟨x, β*⟩ + σ·ε with ε ~ N(0, 1) on the training split. Test targets are
 * noiseless, so for Gaussian inputs the test MSE estimates E⟨x, β − β*⟩² = ‖β − β*‖² (halved by the ½ in the loss).
 * The setting of Woodworth et al. 2020 and Even et al. 2023 for diagonal linear networks.
 */
export const sparseRegressionDataset = defineDataset<SparseRegressionOptions>({
  name: 'sparse-regression',
  summary: 'Gaussian design x ~ N(0, I_d), k-sparse β*, y = ⟨x, β*⟩ + σ·ε',
  description:
    'x ~ N(0, I_d); β* has k nonzeros of magnitude `scale` (positive, or random signs) on a uniformly random ' +
    'support; training targets y = ⟨x, β*⟩ + σ·ε, ε ~ N(0, 1); test targets are noiseless, so the test MSE ' +
    'estimates ‖β − β*‖² for a linear predictor β. The dataset carries β* for generalisation metrics.',
  options: sparseRegressionOptions,
  load(options: SparseRegressionOptions, context: DatasetContext): Dataset {
    const { n, d, k, noise, nTest, signs, scale } = options;
    const betaStar = sparseVector(context.rng.fork('support'), d, k, scale, signs);
    const train = gaussianRows(context.rng.fork('design'), n, d, betaStar);
    if (noise > 0) {
      const eps = context.rng.fork('noise').normals(n);
      // y = ⟨x, β*⟩ + σ·ε
      for (let s = 0; s < n; s++) train.y[s] += noise * eps[s];
    }
    const test = nTest > 0 ? gaussianRows(context.rng.fork('test'), nTest, d, betaStar) : undefined;
    return {
      task: 'regression',
      inputShape: [d],
      outputSize: 1,
      train: toSplit(train, n, d),
      ...(test ? { test: toSplit(test, nTest, d) } : {}),
      betaStar,
      provenance:
        `dataset/sparse-regression: x ~ N(0, I_${d}), β* ${k}-sparse (${signs} signs, magnitude ${scale}) on a random support, ` +
        `y = ⟨x, β*⟩ + ${noise}·ε on the train split, noiseless test targets; ` +
        `options ${JSON.stringify(options)}; seed ${context.rng.seed}`,
    };
  },
});

/** A d-vector with k entries of magnitude `scale` on a uniformly random support, the rest zero. */
function sparseVector(
  rng: Rng,
  d: number,
  k: number,
  scale: number,
  signs: 'positive' | 'random',
): Float64Array {
  const support = rng
    .permutation(d)
    .slice(0, k)
    .sort((a, b) => a - b);
  const beta = new Float64Array(d);
  for (const i of support) beta[i] = signs === 'positive' ? scale : scale * rng.sign();
  return beta;
}

/** n rows x ~ N(0, I_d) (row-major) and their noiseless targets y = ⟨x, β*⟩. */
function gaussianRows(
  rng: Rng,
  n: number,
  d: number,
  betaStar: Float64Array,
): { x: Float64Array; y: Float64Array } {
  const x = rng.normals(n * d);
  const y = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    let dot = 0;
    for (let i = 0; i < d; i++) dot += x[s * d + i] * betaStar[i];
    y[s] = dot;
  }
  return { x, y };
}

function toSplit(rows: { x: Float64Array; y: Float64Array }, n: number, d: number): DataSplit {
  return { x: floatTensor('float64', [n, d], rows.x), y: floatTensor('float64', [n, 1], rows.y) };
}

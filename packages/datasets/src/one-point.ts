import { defineDataset, floatTensor, z } from '@biaslab/core';
import type { Dataset } from '@biaslab/core';

/** Options of `dataset/one-point`. The defaults are the worked example of the paper's theory section. */
export const onePointOptions = z
  .object({
    x: z.array(z.number()).min(1).default([1, 0.2]).describe('The one input x ∈ ℝᵈ (finite numbers, d ≥ 1)'),
    y: z.number().default(1).describe('Its target y'),
    betaStar: z
      .array(z.number())
      .default([0.7, 1.5])
      .describe('Ground-truth β* ∈ ℝᵈ, same length as `x`; generalisation for Gaussian inputs is ‖β − β*‖²'),
  })
  .strict()
  .refine((o) => o.betaStar.length === o.x.length, {
    message:
      'the ground truth `betaStar` must have as many entries as `x` (its default [0.7, 1.5] fits only a 2-entry `x`); ' +
      'give `betaStar` with one entry per entry of `x`',
    path: ['betaStar'],
  });

export type OnePointOptions = z.infer<typeof onePointOptions>;

/**
 * A single training point (x, y), the setting of the diagonal-linear-network theory (Matveev et al.,
 * arXiv 2505.21423): with shared weights β = w⊙w the zero-loss set is {β ≥ 0 : ⟨x, β⟩ = y}. There is no test
 * split: for Gaussian test inputs the generalisation error is E⟨x', β − β*⟩² = ‖β − β*‖², computed from `betaStar`.
 */
export const onePointDataset = defineDataset<OnePointOptions>({
  name: 'one-point',
  summary: 'One data point (x, y) with a ground truth β*, for the diagonal-network theory',
  description:
    'Train split: the single point (x, y), x of shape [1, d], y of shape [1, 1]. No test split: for Gaussian ' +
    'inputs the generalisation error of a linear predictor β is ‖β − β*‖², so metrics use `betaStar`. ' +
    'Defaults x = [1, 0.2], y = 1, β* = [0.7, 1.5].',
  options: onePointOptions,
  load(options: OnePointOptions): Dataset {
    const d = options.x.length;
    return {
      task: 'regression',
      inputShape: [d],
      outputSize: 1,
      train: {
        x: floatTensor('float64', [1, d], options.x),
        y: floatTensor('float64', [1, 1], [options.y]),
      },
      betaStar: Float64Array.from(options.betaStar),
      provenance:
        `dataset/one-point: one point given as options, x = [${options.x.join(', ')}], y = ${options.y}, ` +
        `β* = [${options.betaStar.join(', ')}]; no randomness`,
    };
  },
});

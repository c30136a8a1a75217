import { defineMetric, z } from '@biaslab/core';
import type { MetricContext } from '@biaslab/core';
import { l1NormOfParts, l2NormOfParts } from '@biaslab/linalg';

const normOptions = z
  .object({
    biases: z
      .boolean()
      .default(true)
      .describe('Include parameters whose name ends with `bias` (case-insensitive) in the norm.'),
  })
  .strict();

/** Options of the `l1` and `l2` metrics. */
export type NormOptions = z.infer<typeof normOptions>;

/**
 * The trained entries of θ that a norm covers: every slot with `trainable !== false`, minus the slots whose
 * name ends with `bias` when `biases` is false.
 */
export function trainedEntries(
  context: Pick<MetricContext, 'theta' | 'layout'>,
  biases: boolean,
): Float64Array[] {
  context.layout.assertSized(context.theta);
  return context.layout.slots
    .filter((s) => s.trainable !== false && (biases || !s.name.toLowerCase().endsWith('bias')))
    .map((s) => context.theta.subarray(s.offset, s.offset + s.size));
}

/** ‖θ‖₁ = Σ_i |θ_i| over the trained parameters (metric `l1`). */
export const l1Metric = defineMetric<NormOptions>({
  name: 'l1',
  summary: 'ℓ1 norm of the trained parameters, ‖θ‖₁.',
  description:
    'l1 = Σᵢ |θᵢ| over every trained parameter (slots with trainable ≠ false); biases included unless `biases: false`.',
  options: normOptions,
  needs: [],
  create: (options) => ({
    async compute(context) {
      return { l1: l1NormOfParts(trainedEntries(context, options.biases)) };
    },
  }),
});

/** ‖θ‖₂ = (Σ_i θ_i²)^{1/2} over the trained parameters (metric `l2`). */
export const l2Metric = defineMetric<NormOptions>({
  name: 'l2',
  summary: 'Euclidean norm of the trained parameters, ‖θ‖₂.',
  description:
    'l2 = (Σᵢ θᵢ²)^{1/2} over every trained parameter (slots with trainable ≠ false); biases included unless `biases: false`.',
  options: normOptions,
  needs: [],
  create: (options) => ({
    async compute(context) {
      return { l2: l2NormOfParts(trainedEntries(context, options.biases)) };
    },
  }),
});

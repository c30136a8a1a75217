import { defineMetric, z } from '@biaslab/core';
import { l1NormOfParts as l1Norm, l2NormOfParts as l2Norm } from '@biaslab/linalg';

const layerNormOptions = z
  .object({
    biases: z
      .boolean()
      .default(true)
      .describe('Report parameter slots whose name ends with `bias` (case-insensitive) too.'),
  })
  .strict();

/** Options of the `layer-norms` metric. */
export type LayerNormOptions = z.infer<typeof layerNormOptions>;

/**
 * Per-layer norms (metric `layer-norms`): for every trained parameter slot s (layout order), ‖θ_s‖₁ and ‖θ_s‖₂
 * under the keys `layer-norms.<slot>.l1` and `layer-norms.<slot>.l2`, e.g. `layer-norms.fc1.weight.l2`.
 */
export const layerNormsMetric = defineMetric<LayerNormOptions>({
  name: 'layer-norms',
  summary: 'ℓ1 and ℓ2 norm of every trained parameter tensor.',
  description:
    'layer-norms.<slot>.l1 = Σᵢ |θ_{s,i}|, layer-norms.<slot>.l2 = (Σᵢ θ_{s,i}²)^{1/2} for every trained parameter slot s ' +
    '(frozen slots are skipped; bias slots unless `biases: false`).',
  options: layerNormOptions,
  needs: [],
  create: (options) => ({
    async compute(context) {
      context.layout.assertSized(context.theta);
      const out: Record<string, number> = {};
      for (const s of context.layout.slots) {
        if (s.trainable === false) continue;
        if (!options.biases && s.name.toLowerCase().endsWith('bias')) continue;
        const part = context.theta.subarray(s.offset, s.offset + s.size);
        out[`layer-norms.${s.name}.l1`] = l1Norm([part]);
        out[`layer-norms.${s.name}.l2`] = l2Norm([part]);
      }
      return out;
    },
  }),
});

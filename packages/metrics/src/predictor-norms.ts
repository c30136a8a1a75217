import { defineMetric, z } from '@biaslab/core';
import { l1NormOfParts as l1Norm, l2NormOfParts as l2Norm } from '@biaslab/linalg';
import { predictorOf } from './predictor';

const predictorNormOptions = z.object({}).strict();

/**
 * Norms of the end-to-end linear predictor β(θ) (metric `predictor-norms`): `predictor-norms.l1` = ‖β‖₁,
 * `predictor-norms.l2` = ‖β‖₂, `predictor-norms.linf` = ‖β‖_∞. For a diagonal network β = w⊙w (shared),
 * u⊙u − v⊙v (signed) or u₁⊙…⊙u_L; for a deep linear network β = W_L⋯W₁ (flattened) — whatever the model's
 * `predictor(θ)` returns.
 */
export const predictorNormsMetric = defineMetric<z.infer<typeof predictorNormOptions>>({
  name: 'predictor-norms',
  summary: 'ℓ1, ℓ2 and ℓ∞ norms of the end-to-end linear predictor β(θ).',
  description:
    'predictor-norms.l1 = ‖β(θ)‖₁, predictor-norms.l2 = ‖β(θ)‖₂, predictor-norms.linf = maxᵢ |βᵢ| for models with a linear ' +
    'predictor (`ModelInstance.predictor`: diagonal and linear networks).',
  options: predictorNormOptions,
  needs: [],
  create: () => ({
    async compute(context) {
      const beta = predictorOf(context, 'predictor-norms');
      let linf = 0;
      for (const b of beta)
        linf = Number.isNaN(b) || Number.isNaN(linf) ? Number.NaN : Math.max(linf, Math.abs(b));
      return {
        'predictor-norms.l1': l1Norm([beta]),
        'predictor-norms.l2': l2Norm([beta]),
        'predictor-norms.linf': linf,
      };
    },
  }),
});

import { defineMetric, z } from '@biaslab/core';
import { predictorOf } from './predictor';

const betaL1Options = z.object({}).strict();

/** ‖β(θ)‖₁ of the end-to-end linear predictor (metric `beta-l1`). */
export const betaL1Metric = defineMetric<z.infer<typeof betaL1Options>>({
  name: 'beta-l1',
  summary: 'ℓ1 norm of the end-to-end linear predictor, ‖β(θ)‖₁.',
  description:
    'beta-l1 = Σᵢ |βᵢ(θ)| for models with a linear predictor (diagonal networks: β = w⊙w, u⊙u − v⊙v, u⊙v, …). ' +
    'For the shared-weight diagonal network ‖β‖₁ = ‖w‖₂² (docs/science.md).',
  options: betaL1Options,
  needs: [],
  create: () => ({
    async compute(context) {
      let sum = 0;
      for (const b of predictorOf(context, 'beta-l1')) sum += Math.abs(b);
      return { 'beta-l1': sum };
    },
  }),
});

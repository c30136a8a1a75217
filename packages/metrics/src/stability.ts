import { defineMetric, z } from '@biaslab/core';
import { computeSharpness, SHARPNESS_LAST_KEY } from './sharpness';
import { eigenOptionsSchema } from './top-eigenpairs';
import { sameVector } from './vector-equality';

const stabilityOptions = eigenOptionsSchema('the Hessian ∇²L(θ)')
  .omit({ k: true })
  .extend({
    reuse: z
      .boolean()
      .default(true)
      .describe(
        'Reuse the sharpness that `metric/sharpness` computed at the same step and θ (no extra HVP).',
      ),
  });

/** Options of the `stability` metric. */
export type StabilityOptions = z.infer<typeof stabilityOptions>;

/**
 * Stability ratio (metric `stability`): S(θ)·η/2 with S the sharpness; above 1, a quadratic with curvature S
 * diverges under GD with step η, so S·η/2 ≈ 1 marks the Edge of Stability (Cohen et al. 2021). Reuses the
 * value `metric/sharpness` left in memory for the same step and θ; otherwise it estimates S with the same solvers.
 * Keys: `stability`, `stability.sharpness`, `stability.hvps` (0 when reused), `stability.reused`.
 */
export const stabilityMetric = defineMetric<StabilityOptions>({
  name: 'stability',
  summary: 'Stability ratio S·η/2 (1 = the Edge of Stability), reusing the sharpness metric when it ran.',
  description:
    'stability = S·η/2 with S = max |λ(∇²L(θ))|; stability.sharpness = S; stability.hvps; stability.reused = 1 when the ' +
    'value of metric/sharpness at the same step and θ was reused.',
  options: stabilityOptions,
  needs: ['hvp'],
  create: ({ reuse, ...eigen }) => ({
    async compute(context) {
      const last = context.memory.get(SHARPNESS_LAST_KEY);
      let s: number;
      let hvps = 0;
      let reused = 0;
      if (reuse && last && last.step === context.step && sameVector(last.theta, context.theta)) {
        s = last.sharpness;
        reused = 1;
      } else {
        const keys = await computeSharpness({ ...eigen, k: 1 }, context);
        s = keys.sharpness;
        hvps = keys['sharpness.hvps'];
      }
      return {
        stability: (s * context.eta) / 2,
        'stability.sharpness': s,
        'stability.hvps': hvps,
        'stability.reused': reused,
      };
    },
  }),
});

import { BiaslabError, defineMetric, memoryKey } from '@biaslab/core';
import { eigenKeys, eigenOptionsSchema, topEigenpairs } from './top-eigenpairs';
import type { EigenVectors } from './top-eigenpairs';
import type { EigenOptions } from './top-eigenpairs';
import { checkedTrainedIndices, trainedOperator } from './trained-operator';

/** Where `ggn-sharpness` keeps its last eigenvectors in `MetricContext.memory`. */
export const GGN_SHARPNESS_MEMORY_KEY = memoryKey<EigenVectors>(
  '@biaslab/metrics/ggn-sharpness/eigenvectors',
);

/** Options of the `ggn-sharpness` metric. */
export type GgnSharpnessOptions = EigenOptions;

/**
 * Gauss–Newton sharpness (metric `ggn-sharpness`): λ_max(G(θ)) of the generalised Gauss–Newton matrix
 * G = (1/n) Σᵢ J_iᵀ ∇²ℓ(f_θ(xᵢ)) J_i (J_i the Jacobian of the model output; Schraudolph 2002), which is
 * positive semi-definite for convex losses (MSE, cross-entropy), so its eigenvalue of largest magnitude is its
 * largest. H = G + Σ residual·∇²f: the two agree at an interpolating solution of MSE. Products from
 * `context.ggnvp`; the same solvers and keys as `sharpness`.
 */
export const ggnSharpnessMetric = defineMetric<GgnSharpnessOptions>({
  name: 'ggn-sharpness',
  summary: 'Top eigenvalue of the generalised Gauss–Newton matrix (PSD part of the Hessian).',
  description:
    'ggn-sharpness = λ_max(G), G = (1/n) Σ Jᵢᵀ ∇²ℓ Jᵢ the generalised Gauss–Newton matrix over the trained parameters ' +
    '(Schraudolph 2002); .lambda, .lambda.i, .residual, .hvps (GGN-vector products), .converged; .stability = S_G·η/2.',
  options: eigenOptionsSchema('the Gauss–Newton matrix G(θ)'),
  needs: [],
  create: (options) => ({
    async compute(context) {
      const indices = checkedTrainedIndices(context, 'ggn-sharpness');
      const ggnvp = context.ggnvp;
      if (!ggnvp) {
        throw new BiaslabError(
          'INVALID_CONFIG',
          'Metric `metric/ggn-sharpness` needs Gauss–Newton-vector products (`MetricContext.ggnvp`), but the runtime of this run ' +
            'provides none. Use a runtime/objective that builds the GGN product, or use `metric/sharpness` for the full Hessian.',
        );
      }
      if (!context.theta.every(Number.isFinite))
        return eigenKeys('ggn-sharpness', undefined, options.k, context.eta);
      const operator = trainedOperator(ggnvp, context.theta, indices);
      const solution = await topEigenpairs(operator, options, context, {
        metric: 'ggn-sharpness',
        memoryKey: GGN_SHARPNESS_MEMORY_KEY,
        rngLabel: '@biaslab/metrics/ggn-sharpness',
      });
      return eigenKeys('ggn-sharpness', solution, options.k, context.eta);
    },
  }),
});

import { defineMetric, z } from '@biaslab/core';
import { densityHistogram, spectralDensity } from './spectral-density';
import { checkedTrainedIndices, trainedOperator } from './trained-operator';

const spectrumOptions = z
  .object({
    probes: z
      .number()
      .int()
      .positive()
      .default(4)
      .describe('Rademacher probe vectors (independent Lanczos runs).'),
    steps: z
      .number()
      .int()
      .positive()
      .default(40)
      .describe('Lanczos steps per probe (HVPs per probe; capped at P).'),
    bins: z.number().int().positive().default(50).describe('Histogram bins over [min − 3σ, max + 3σ].'),
    sigma: z
      .number()
      .nonnegative()
      .default(0.01)
      .describe(
        'Gaussian smoothing width as a fraction of the spectral range max − min (0: plain histogram of the nodes).',
      ),
  })
  .strict();

/** Options of the `spectrum` metric. */
export type SpectrumOptions = z.infer<typeof spectrumOptions>;

/**
 * Hessian spectral density by stochastic Lanczos quadrature (metric `spectrum`; Ubaru, Chen & Saad 2017;
 * Ghorbani, Krishnan & Xiao 2019), over the trained parameters, as a smoothed histogram:
 * `spectrum.bin.<i>.center` and `spectrum.bin.<i>.density` for i = 1..bins (Σ density·width = 1), the extreme
 * Ritz values `spectrum.min` and `spectrum.max`, the mean `spectrum.mean` (≈ tr(H)/P), `spectrum.hvps`.
 * Probes from `context.rng.fork('@biaslab/metrics/spectrum/<step>')`. Use {@link spectralDensity} for the raw
 * nodes and weights.
 */
export const spectrumMetric = defineMetric<SpectrumOptions>({
  name: 'spectrum',
  summary: 'Hessian spectral density by stochastic Lanczos quadrature, as a smoothed histogram.',
  description:
    'φ(t) = (1/P) Σ δ(t − λᵢ(∇²L)) ≈ (1/n_v) Σ_l Σ_k τ_k δ(t − θ_k) from Lanczos on Rademacher probes (Ubaru, Chen & Saad ' +
    '2017; Ghorbani et al. 2019), Gaussian-smoothed into bins: spectrum.bin.i.center, spectrum.bin.i.density (i = 1..bins), ' +
    'spectrum.min, spectrum.max (extreme Ritz values), spectrum.mean (≈ tr(H)/P), spectrum.hvps.',
  options: spectrumOptions,
  needs: ['hvp'],
  create: (options) => ({
    async compute(context) {
      const indices = checkedTrainedIndices(context, 'spectrum');
      const out: Record<string, number> = {};
      if (!context.theta.every(Number.isFinite)) {
        for (let i = 1; i <= options.bins; i++) {
          out[`spectrum.bin.${i}.center`] = Number.NaN;
          out[`spectrum.bin.${i}.density`] = Number.NaN;
        }
        return {
          ...out,
          'spectrum.min': Number.NaN,
          'spectrum.max': Number.NaN,
          'spectrum.mean': Number.NaN,
          'spectrum.hvps': 0,
        };
      }
      const operator = trainedOperator((t, v) => context.train.hvp(t, v), context.theta, indices);
      const measure = await spectralDensity(operator.apply, operator.size, {
        probes: options.probes,
        steps: options.steps,
        rng: context.rng.fork(`@biaslab/metrics/spectrum/${context.step}`),
      });
      const histogram = densityHistogram(measure, options.bins, options.sigma);
      for (let i = 0; i < options.bins; i++) {
        out[`spectrum.bin.${i + 1}.center`] = histogram.centers[i];
        out[`spectrum.bin.${i + 1}.density`] = histogram.density[i];
      }
      return {
        ...out,
        'spectrum.min': measure.min,
        'spectrum.max': measure.max,
        'spectrum.mean': measure.mean,
        'spectrum.hvps': measure.hvps,
      };
    },
  }),
});

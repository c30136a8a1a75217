import { defineMetric, z } from '@biaslab/core';
import { hutchinson, hutchPlusPlus } from './trace-estimators';
import { checkedTrainedIndices, trainedOperator } from './trained-operator';

const traceOptions = z
  .object({
    method: z
      .enum(['hutchinson', 'hutch++'])
      .default('hutch++')
      .describe(
        '`hutchinson` (Rademacher probes; Hutchinson 1989) or `hutch++` (low-rank sketch + Hutchinson on the rest; Meyer et al. 2021).',
      ),
    probes: z
      .number()
      .int()
      .min(3)
      .default(30)
      .describe(
        'HVP budget: Hutchinson probes, or Hutch++’s total (a third sketch, a third its products, a third probes).',
      ),
  })
  .strict();

/** Options of the `trace` metric. */
export type TraceMetricOptions = z.infer<typeof traceOptions>;

/**
 * Hessian trace tr(∇²L(θ)) over the trained parameters (metric `trace`), by Hutchinson's estimator
 * (Hutchinson 1989) or Hutch++ (Meyer, Musco, Musco & Woodruff 2021), with Rademacher probes drawn from
 * `context.rng.fork('@biaslab/metrics/trace/<step>')`. Keys: `trace`, `trace.stderr` (standard error),
 * `trace.probes` (random probes in the Hutchinson part), `trace.hvps`.
 */
export const traceMetric = defineMetric<TraceMetricOptions>({
  name: 'trace',
  summary: 'Hessian trace by Hutchinson or Hutch++, with its standard error.',
  description:
    'trace ≈ tr(∇²L(θ)) = (1/m) Σ zᵀHz (Hutchinson 1989), or tr(QᵀHQ) + Hutchinson on (I − QQᵀ)H(I − QQᵀ) with Q = orth(HS) ' +
    '(Hutch++, Meyer et al. 2021); trace.stderr = sample std of the quadratic forms / √probes; trace.probes; trace.hvps.',
  options: traceOptions,
  needs: ['hvp'],
  create: (options) => ({
    async compute(context) {
      const indices = checkedTrainedIndices(context, 'trace');
      if (!context.theta.every(Number.isFinite)) {
        return { trace: Number.NaN, 'trace.stderr': Number.NaN, 'trace.probes': 0, 'trace.hvps': 0 };
      }
      const operator = trainedOperator((t, v) => context.train.hvp(t, v), context.theta, indices);
      const rng = context.rng.fork(`@biaslab/metrics/trace/${context.step}`);
      const estimate = await (options.method === 'hutchinson' ? hutchinson : hutchPlusPlus)(
        operator.apply,
        operator.size,
        {
          probes: options.probes,
          rng,
        },
      );
      return {
        trace: estimate.trace,
        'trace.stderr': estimate.stderr,
        'trace.probes': estimate.probes,
        'trace.hvps': estimate.hvps,
      };
    },
  }),
});

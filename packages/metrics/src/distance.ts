import { BiaslabError, defineMetric, memoryKey, z } from '@biaslab/core';
import { l2NormOfParts as l2Norm } from '@biaslab/linalg';
import { trainedIndices } from './trained-operator';

const distanceOptions = z
  .object({
    reference: z
      .union([z.enum(['first', 'init']), z.array(z.number())])
      .default('first')
      .describe(
        'θ_ref: `first` = θ at this metric’s first evaluation in the run (kept in memory), `init` = the model’s θ₀, ' +
          'or an explicit array of P numbers (e.g. a reference solution).',
      ),
  })
  .strict();

/** Options of the `distance` metric. */
export type DistanceOptions = z.infer<typeof distanceOptions>;

/** Where `distance` keeps θ of its first evaluation in `MetricContext.memory`. */
export const DISTANCE_MEMORY_KEY = memoryKey<Float64Array>('@biaslab/metrics/distance/first');

/**
 * Distance to a reference (metric `distance`): ‖θ − θ_ref‖₂ over the trained parameters, and
 * `distance.relative` = ‖θ − θ_ref‖₂ / ‖θ_ref‖₂ (NaN when θ_ref = 0 on the trained parameters).
 */
export const distanceMetric = defineMetric<DistanceOptions>({
  name: 'distance',
  summary: 'Euclidean distance of θ to a reference (θ at the first evaluation, θ₀, or a given vector).',
  description:
    'distance = ‖θ − θ_ref‖₂ over trained parameters; distance.relative = distance / ‖θ_ref‖₂. θ_ref: `first` (the first ' +
    'evaluated iterate of the run), `init` (the model’s θ₀) or an explicit vector.',
  options: distanceOptions,
  needs: [],
  create: (options) => ({
    async compute(context) {
      const { theta, layout } = context;
      layout.assertSized(theta);
      let reference: ArrayLike<number>;
      if (options.reference === 'init') reference = context.model.init;
      else if (options.reference === 'first') {
        const stored = context.memory.get(DISTANCE_MEMORY_KEY);
        if (stored && stored.length === theta.length) reference = stored;
        else {
          const first = Float64Array.from(theta);
          context.memory.set(DISTANCE_MEMORY_KEY, first);
          reference = first;
        }
      } else reference = options.reference;
      if (reference.length !== theta.length) {
        throw new BiaslabError(
          'SHAPE',
          `Metric \`metric/distance\`: the reference has \`${reference.length}\` entries; expected one per parameter (\`${theta.length}\`).`,
        );
      }
      const indices = trainedIndices(layout);
      const difference = Float64Array.from(indices, (i) => theta[i] - reference[i]);
      const d = l2Norm([difference]);
      const r = l2Norm([Float64Array.from(indices, (i) => reference[i])]);
      return { distance: d, 'distance.relative': r > 0 ? d / r : Number.NaN };
    },
  }),
});

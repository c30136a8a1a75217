import { defineMetric, memoryKey, z } from '@biaslab/core';
import type { MemoryKey, MetricContext, MetricMemory } from '@biaslab/core';
import { l1NormOfParts as l1Norm, l2NormOfParts as l2Norm } from '@biaslab/linalg';
import { sameVector } from './vector-equality';
import { trainedIndices } from './trained-operator';

const averagedOptions = z
  .object({
    k: z
      .number()
      .int()
      .positive()
      .default(100)
      .describe('Average the last k iterates (a ring buffer of k copies of θ).'),
    biases: z
      .boolean()
      .default(true)
      .describe('Include parameters whose name ends with `bias` (case-insensitive) in the norms.'),
  })
  .strict();

/** Options of the `averaged-norms` metric. */
export type AveragedNormOptions = z.infer<typeof averagedOptions>;

/** The ring buffer of recent iterates kept in `MetricContext.memory` under {@link averagedNormsMemoryKey}. */
export interface IterateRing {
  /** Up to k iterate copies; slot `(next − 1) mod k` is the newest. */
  readonly iterates: Float64Array[];
  next: number;
}

/** The memory key of the ring buffer for a given k (several `averaged-norms` with different k can coexist). */
export function averagedNormsMemoryKey(k: number): MemoryKey<IterateRing> {
  return memoryKey(`@biaslab/metrics/averaged-norms/${k}`);
}

/**
 * Norms of the iterate average (metric `averaged-norms`): θ̄ = (1/m) Σ_{j<m} θ_{t−j} over the last m = min(k,
 * iterates seen) iterates, `averaged-norms.l1` = ‖θ̄‖₁ and `averaged-norms.l2` = ‖θ̄‖₂ over the trained
 * parameters, `averaged-norms.count` = m, and `averaged-norms.deviation` = ‖θ_t − θ̄‖₂, the size of the
 * oscillation around the average. At the Edge of Stability GD oscillates along the top eigenvector; averaging
 * separates that oscillation from the drift of the solution (a reviewer's request, docs/science.md). The lab feeds
 * every iterate through `observe` (O(P): one copy into the ring); `compute` also counts the current θ when it is
 * not the newest observed iterate.
 */
export const averagedNormsMetric = defineMetric<AveragedNormOptions>({
  name: 'averaged-norms',
  summary: 'ℓ1/ℓ2 norms of the average of the last k iterates, and the oscillation around it.',
  description:
    'θ̄ = mean of the last k iterates (observed every step); averaged-norms.l1 = ‖θ̄‖₁, averaged-norms.l2 = ‖θ̄‖₂ over trained ' +
    'parameters (biases unless `biases: false`), averaged-norms.count = iterates averaged, averaged-norms.deviation = ‖θ − θ̄‖₂.',
  options: averagedOptions,
  needs: [],
  create: (options) => ({
    observe({ theta, memory }) {
      push(ring(memory, options.k), theta, options.k);
    },
    async compute(context) {
      context.layout.assertSized(context.theta);
      const buffer = ring(context.memory, options.k);
      const newest =
        buffer.iterates.length > 0
          ? buffer.iterates[(buffer.next - 1 + buffer.iterates.length) % buffer.iterates.length]
          : undefined;
      const iterates = [...buffer.iterates];
      if (!newest || !sameVector(newest, context.theta)) {
        // Count the current θ as the newest iterate; drop the oldest when the ring is full.
        if (iterates.length === options.k) iterates.splice(buffer.next % options.k, 1);
        iterates.push(context.theta);
      }
      const indices = coveredIndices(context, options.biases);
      const mean = new Float64Array(indices.length);
      for (const it of iterates) for (let i = 0; i < indices.length; i++) mean[i] += it[indices[i]];
      for (let i = 0; i < mean.length; i++) mean[i] /= iterates.length;
      const deviation = Float64Array.from(indices, (index, i) => context.theta[index] - mean[i]);
      return {
        'averaged-norms.l1': l1Norm([mean]),
        'averaged-norms.l2': l2Norm([mean]),
        'averaged-norms.count': iterates.length,
        'averaged-norms.deviation': l2Norm([deviation]),
      };
    },
  }),
});

function ring(memory: MetricMemory, k: number): IterateRing {
  const key = averagedNormsMemoryKey(k);
  let value = memory.get(key);
  if (!value) {
    value = { iterates: [], next: 0 };
    memory.set(key, value);
  }
  return value;
}

function push(buffer: IterateRing, theta: Float64Array, k: number): void {
  const slot = buffer.next % k;
  if (buffer.iterates.length < k) buffer.iterates.push(Float64Array.from(theta));
  else buffer.iterates[slot].set(theta);
  buffer.next = slot + 1;
}

function coveredIndices(context: Pick<MetricContext, 'layout'>, biases: boolean): number[] {
  if (biases) return trainedIndices(context.layout);
  const out: number[] = [];
  for (const s of context.layout.slots) {
    if (s.trainable === false || s.name.toLowerCase().endsWith('bias')) continue;
    for (let i = 0; i < s.size; i++) out.push(s.offset + i);
  }
  return out;
}

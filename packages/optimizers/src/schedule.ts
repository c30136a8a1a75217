import { z } from '@biaslab/core';
import type { EmptyState, GradientTransform } from './transform';

const warmupSteps = z
  .number()
  .int()
  .min(0)
  .default(0)
  .describe('Linear warm-up over the first W steps: factor (t + 1)/W for t < W, before the schedule proper');

/**
 * A learning-rate schedule as a factor s(t) on the run's η, so that the step uses ηₜ = η·s(t): a sweep over η
 * keeps its meaning and every schedule starts from the η it is given.
 */
export const scheduleOptions = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('constant').describe('s(t) = 1') }).strict(),
    z
      .object({
        kind: z.literal('linear-warmup').describe('s(t) = min(1, (t + 1)/W) (Goyal et al. 2017)'),
        warmupSteps: z.number().int().positive().describe('W: steps to ramp η up to its full value'),
      })
      .strict(),
    z
      .object({
        kind: z
          .literal('cosine')
          .describe(
            's(t) = f + (1 − f)·½(1 + cos(π·min(t − W, T)/T)) after warm-up (Loshchilov & Hutter 2017)',
          ),
        decaySteps: z.number().int().positive().describe('T: steps from the full η down to f·η'),
        finalFactor: z
          .number()
          .min(0)
          .max(1)
          .default(0)
          .describe('f: the factor reached after T steps and kept'),
        warmupSteps,
      })
      .strict(),
    z
      .object({
        kind: z.literal('step-decay').describe('s(t) = γ^⌊(t − W)/k⌋ after warm-up'),
        every: z.number().int().positive().describe('k: steps between two decays'),
        factor: z.number().positive().max(1).default(0.1).describe('γ: multiplier applied every k steps'),
        warmupSteps,
      })
      .strict(),
  ])
  .describe('Learning-rate schedule: step t uses η·s(t)');

export type Schedule = z.infer<typeof scheduleOptions>;

/** The factor s(t) of a schedule at 0-based step t; the step uses η·s(t). */
export function scheduleFactor(schedule: Schedule, step: number): number {
  if (schedule.kind === 'constant') return 1;
  if (schedule.kind === 'linear-warmup') return Math.min(1, (step + 1) / schedule.warmupSteps);
  const w = schedule.warmupSteps;
  if (step < w) return (step + 1) / w;
  const t = step - w;
  if (schedule.kind === 'cosine') {
    const tau = Math.min(t, schedule.decaySteps) / schedule.decaySteps;
    // s = f + (1 − f)·½(1 + cos πτ)
    return schedule.finalFactor + (1 - schedule.finalFactor) * 0.5 * (1 + Math.cos(Math.PI * tau));
  }
  return schedule.factor ** Math.floor(t / schedule.every);
}

/** Multiplies the updates by the schedule's factor s(t) for the step's index t. Chain it before `scaleByLearningRate()`. */
export function scaleBySchedule(schedule: Schedule): GradientTransform<EmptyState> {
  return {
    init: () => ({}),
    update(updates, state, { step }) {
      if (schedule.kind === 'constant') return { updates, state };
      const s = scheduleFactor(schedule, step);
      const out = new Float64Array(updates.length);
      // u ← s(t)·u
      for (let i = 0; i < updates.length; i++) out[i] = s * updates[i];
      return { updates: out, state };
    },
  };
}

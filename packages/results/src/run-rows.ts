import { z } from '@biaslab/core';

// Every number the lab writes passes through `toJson`, which writes non-finite values as null: a field that
// can hold a blow-up or a missing estimate is `nullable` here.
const finite = z.number();
const maybe = z.number().nullable();

/** How a run (or the gradient flow) ended: L < ε for K steps, the step cap, or a non-finite or huge loss. */
export const runStatusSchema = z.enum(['converged', 'capped', 'diverged']);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** Why η is in the sweep: first pass (`grid`), around η_c (`eta-c`) or edge bisection (`edge`). */
export const runPhaseSchema = z.enum(['grid', 'eta-c', 'edge']);
export type RunPhase = z.infer<typeof runPhaseSchema>;

/** Metric values by key (`sharpness`, `sharpness.residual`, `test-error`, …); null when not finite. */
export const metricValuesSchema = z.record(z.string(), maybe);
/** Metric values by key; `null` where a value is non-finite or could not be computed. */
export type MetricValues = z.infer<typeof metricValuesSchema>;

/** One row of a run's series: the loss (and metrics, when due) at the iterate reached after `step` steps. */
export const seriesRowSchema = z
  .object({
    type: z.literal('series'),
    step: z.int().nonnegative(),
    loss: maybe,
    gradNorm: maybe.optional(),
    metrics: metricValuesSchema.optional(),
  })
  .describe('series row');
export type SeriesRow = z.infer<typeof seriesRowSchema>;

/** The outcome of one run: the numbers of the phase table (shared by summary rows and final rows). */
const outcome = {
  /** Position of η in the point's list. */
  index: z.int().nonnegative(),
  eta: finite,
  status: runStatusSchema,
  steps: z.int().nonnegative(),
  reason: z.string(),
  /** L(θ_final). */
  loss: maybe,
  /** ‖θ‖₁ over all parameters (biases included). */
  thetaL1: maybe,
  /** ‖β‖₁ of the end-to-end predictor, for models that have one. */
  betaL1: maybe.optional(),
  /** S = max |λ(∇²L)| at θ_final, when a metric that provides it ran (`metric/sharpness`). */
  sharpness: maybe,
  /** The stability threshold 2/η. */
  twoOverEta: finite,
  /** S·η/2: ≈ 1 at the Edge of Stability, < 1 in the flow-aligned regime. */
  sharpnessEtaOver2: maybe,
  /** Test error, when a metric that provides it ran (`metric/test-error`). */
  testError: maybe,
  /** Every metric value at θ_final. */
  metrics: metricValuesSchema,
  seconds: finite,
};

/** Where a run sits in its experiment: its id (`runs/<run>.jsonl`), grid point, grid values, seed and phase. */
const identity = {
  run: z.string(),
  point: z.int().nonnegative(),
  grid: z.record(z.string(), z.unknown()),
  seed: z.int(),
  phase: runPhaseSchema,
};

/**
 * One row of a sweep's summary (`summary.jsonl`): one learning rate, its outcome and the numbers of the phase
 * table. Rows of an experiment carry the run's identity; a programmatic `sweep` has none.
 */
export const summaryRowSchema = z
  .object({ type: z.literal('summary'), ...outcome, ...z.object(identity).partial().shape })
  .describe('summary row');
export type SummaryRow = z.infer<typeof summaryRowSchema>;

/** The last row of a finished run's file: its summary, its identity and the final θ. */
export const runFinalRowSchema = z
  .object({ type: z.literal('final'), ...outcome, ...identity, theta: z.array(maybe) })
  .describe('final row of a run');
export type RunFinalRow = z.infer<typeof runFinalRowSchema>;

/** Any row of a run file (`runs/<id>.jsonl`): series rows, then one final row. */
export const runFileRowSchema = z
  .discriminatedUnion('type', [seriesRowSchema, runFinalRowSchema])
  .describe('run-file row (`series` or `final`)');
export type RunFileRow = z.infer<typeof runFileRowSchema>;

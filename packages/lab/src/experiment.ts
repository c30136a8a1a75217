import { BiaslabError, describeIssues, z } from '@biaslab/core';
import type { ComponentKind } from '@biaslab/core';
import { GRADIENT_FLOW_DEFAULTS } from './gradient-flow';
import { applyGridPoint, assertNoGridProblems, gridLabel, gridPoints, gridProblems } from './grid';
import type { GridPoint } from './grid';

const optionsRecord = z
  .record(z.string(), z.unknown())
  .default({})
  .describe("The component's options, validated by its own schema (`biaslab plugins show KIND/NAME`)");

function componentRef(kind: ComponentKind) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? { name: v } : v),
    z
      .strictObject({
        name: z.string().min(1).describe(`Name of the ${kind} component, e.g. from \`biaslab plugins list\``),
        options: optionsRecord,
      })
      .describe(`The ${kind}: \`{name, options}\` or just its name`),
  );
}

const stopSchema = z
  .strictObject({
    epsilon: z.number().positive().default(1e-8).describe('Training-loss threshold ε'),
    patience: z
      .int()
      .min(1)
      .default(100)
      .describe('K: consecutive steps with loss < ε that end a run as converged'),
    maxSteps: z.int().min(1).default(100_000).describe('Step cap; a run that reaches it is labelled capped'),
    divergence: z
      .number()
      .positive()
      .optional()
      .describe('Loss above this (or non-finite) labels a run diverged; default 1e6 × max(L(θ₀), 1)'),
  })
  .describe('Stop rules');

const lrGridSchema = z
  .strictObject({
    from: z.number().positive().describe('Smallest learning rate'),
    to: z.number().positive().describe('Largest learning rate'),
    count: z.int().min(1).describe('Number of learning rates'),
    spacing: z.enum(['log', 'linear']).default('log').describe('Spacing of the grid'),
  })
  .describe('A learning-rate grid');

const flowSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .describe('Run the gradient-flow reference (default: true for sweeps, false for runs)'),
    epsilon: z.number().positive().optional().describe('Flow stops when L < this; default `stop.epsilon`'),
    c: z.number().positive().default(GRADIENT_FLOW_DEFAULTS.c).describe('RK4 step h = min(c/S(θ), hMax)'),
    hMax: z.number().positive().default(GRADIENT_FLOW_DEFAULTS.hMax).describe('Largest RK4 step'),
    sharpnessEvery: z
      .int()
      .min(1)
      .default(GRADIENT_FLOW_DEFAULTS.sharpnessEvery)
      .describe('Estimate S every k flow steps'),
    maxSteps: z.int().min(1).default(GRADIENT_FLOW_DEFAULTS.maxSteps).describe('Flow step cap'),
    maxTime: z.number().positive().default(GRADIENT_FLOW_DEFAULTS.maxTime).describe('Flow time cap'),
    sharpness: z.string().default('sharpness').describe('Name of the metric that estimates S along the flow'),
  })
  .describe('Gradient-flow reference: s_GF and η_c = 2/s_GF');

const refineSchema = z
  .strictObject({
    etaC: z
      .int()
      .min(0)
      .default(0)
      .describe('Learning rates added around the predicted η_c = 2/s_GF after the first pass (log-spaced)'),
    spread: z
      .number()
      .positive()
      .default(0.25)
      .describe('Points around η_c span η_c/(1+spread) … η_c·(1+spread)'),
    edge: z
      .int()
      .min(0)
      .default(0)
      .describe(
        'Bisection steps at the divergence edge: each runs √(η_a·η_b) between the largest non-diverged η_a and the smallest diverged η_b',
      ),
  })
  .describe('Automatic refinement of the learning-rate grid after the first pass');

// The thresholds of the observed break point, recorded with every experiment so its analysis is redone the
// same way; what they mean (the rule itself, `observedBreakPoint`) is @biaslab/reproductions'.
const breakPointSchema = z
  .strictObject({
    stability: z
      .number()
      .positive()
      .default(0.8)
      .describe('A converged run has left the flow-aligned regime when S·η/2 exceeds this …'),
    drop: z
      .number()
      .positive()
      .max(1)
      .default(0.05)
      .describe(
        "… and (with a flow reference) its final S is below (1 − drop)·S_flow, the flow's final sharpness (s_GF when the flow sharpens to the end)",
      ),
  })
  .describe(
    "The observed break point: the smallest converged η with S·η/2 > stability and S < (1 − drop)·S_flow (the flow's final S)",
  );

const metricRef = z.preprocess(
  (v) => (typeof v === 'string' ? { name: v } : v),
  z.strictObject({
    name: z.string().min(1).describe('Metric name, e.g. `sharpness`'),
    options: optionsRecord,
  }),
);

/** The experiment configuration: what `biaslab run|sweep` and config files describe. Unknown keys are errors. */
export const experimentSchema = z
  .strictObject({
    model: componentRef('model'),
    dataset: componentRef('dataset'),
    loss: z.enum(['mse', 'cross-entropy']).default('mse').describe('Training loss (see LOSS_NORMALISATION)'),
    optimizer: componentRef('optimizer').prefault({ name: 'gd' }),
    metrics: z
      .array(metricRef)
      .prefault(['l1', 'sharpness', 'test-error'])
      .describe(
        'Metrics: names or `{name, options}`; the default fills the phase table (‖θ‖₁, S, test error)',
      ),
    every: z
      .int()
      .min(0)
      .default(100)
      .describe(
        'A series row (loss and metrics) every k steps; the final iterate always gets one; 0 = final only',
      ),
    dtype: z.enum(['float32', 'float64']).default('float64').describe('Precision of the objective'),
    seed: z.int().default(0).describe('Seed of data, initialisation and every random draw'),
    stop: stopSchema.prefault({}),
    lrs: z
      .array(z.number().positive())
      .min(1)
      .optional()
      .describe('The learning rates to train at (give these or `lrGrid`)'),
    lrGrid: lrGridSchema.optional(),
    flow: flowSchema.prefault({}),
    out: z.string().optional().describe('Experiment directory for manifest, runs and summary'),
    plugins: z
      .array(z.string())
      .default([])
      .describe('Extra plugin modules (paths or package names) for the CLI to load'),
    threads: z.int().min(1).optional().describe('onnxruntime intra-op threads'),
    batch: z
      .int()
      .min(1)
      .default(32)
      .describe(
        'Train up to this many learning rates of one grid point together (one onnxruntime run per step for ' +
          'all of them) when the model has a batched graph and the optimizer is plain GD; 1 trains every run ' +
          'on its own. Numbers do not depend on it, bit for bit',
      ),
    grid: z
      .record(z.string(), z.array(z.unknown()))
      .default({})
      .describe(
        'Grid over any option path, crossed with the learning rates: `{"model.options.alpha": [0.01, 0.1], "seed": [0, 1]}`',
      ),
    refine: refineSchema.prefault({}),
    breakPoint: breakPointSchema.prefault({}),
  })
  .refine((c) => (c.lrs === undefined) !== (c.lrGrid === undefined), {
    message: 'give exactly one of `lrs` (a list) or `lrGrid` ({from, to, count})',
    path: ['lrs'],
  });

/** An experiment configuration as written (before defaults). */
export type ExperimentInput = z.input<typeof experimentSchema>;
/** An experiment configuration with defaults filled in. */
export type ExperimentConfig = z.output<typeof experimentSchema>;

/**
 * Validates an experiment configuration. Errors name the key path, what was expected and what was given;
 * `source` (a file name) is put in front when given.
 */
export function parseExperiment(raw: unknown, source?: string): ExperimentConfig {
  const config = parseOnce(raw, source);
  if (Object.keys(config.grid).length > 0) {
    assertNoGridProblems(
      gridProblems(raw as Record<string, unknown>, config.grid, Object.keys(experimentSchema.shape)),
      source,
    );
    // Every point must be valid on its own, before anything runs.
    experimentPoints(config, source);
  }
  return config;
}

/** One point of an experiment's grid: its grid values and its own complete configuration (no grid). */
export interface ExperimentPoint {
  readonly grid: GridPoint;
  readonly config: ExperimentConfig;
}

/** The points of the experiment's grid (one point, the configuration itself, when there is no grid). */
export function experimentPoints(config: ExperimentConfig, source?: string): ExperimentPoint[] {
  const base = { ...config, grid: {} };
  return gridPoints(config.grid).map((grid) => ({
    grid,
    config: Object.keys(grid).length === 0 ? base : parseOnce(applyGridPoint(base, grid), source, grid),
  }));
}

function parseOnce(raw: unknown, source?: string, point?: GridPoint): ExperimentConfig {
  const result = experimentSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = describeIssues(result.error.issues, raw, 'key');
  throw new BiaslabError(
    'INVALID_CONFIG',
    `Invalid experiment configuration${source ? ` in \`${source}\`` : ''}${point ? ` at grid point \`${gridLabel(point)}\`` : ''}:\n  ${lines.join('\n  ')}`,
    { source, issues: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
  );
}

import { z } from '@biaslab/core';

/** A grid point as the manifest records it. */
export const manifestPointSchema = z.object({
  index: z.int().nonnegative(),
  /** `model.alpha=0.1 seed=2`, or '' without a grid. */
  label: z.string(),
  /** The point's value of every grid path. */
  grid: z.record(z.string(), z.unknown()),
  seed: z.int(),
  /** The id of the point's gradient-flow reference (`flow`, `flows/f01`); null when the flow is off. */
  flow: z.string().nullable(),
});
export type ManifestPoint = z.infer<typeof manifestPointSchema>;

const componentRef = z.object({ name: z.string(), options: z.record(z.string(), z.unknown()) });

/**
 * The resolved experiment configuration as the manifest records it. The lab's experiment schema owns the
 * configuration; this names the keys that readers of a results directory rely on (the lab's configuration
 * type must stay assignable to it, which the lab's manifest writer checks), and every other key is kept.
 */
export const recordedConfigSchema = z.object({
  model: componentRef,
  dataset: componentRef,
  optimizer: componentRef,
  loss: z.enum(['mse', 'cross-entropy']),
  dtype: z.enum(['float32', 'float64']),
  seed: z.int(),
  stop: z.object({ epsilon: z.number(), patience: z.int(), maxSteps: z.int() }),
  breakPoint: z.object({ stability: z.number(), drop: z.number() }),
});
export type RecordedConfig = z.infer<typeof recordedConfigSchema>;

/** The machine a result was computed on. */
export const machineInfoSchema = z.object({
  node: z.string(),
  platform: z.string(),
  release: z.string(),
  arch: z.string(),
  cpu: z.string(),
  cpus: z.int(),
  memoryGiB: z.number(),
});
export type MachineInfo = z.infer<typeof machineInfoSchema>;

/** Entries a caller of the lab adds to the manifest (the CLI: its command, plugins and versions). */
export const manifestExtrasSchema = z.object({
  /** The CLI command that made the directory (`run`, `sweep`, `reproduce`). */
  command: z.string().optional(),
  /** Where the configuration came from (a config file, `flags`, a reproduction's experiment). */
  source: z.string().optional(),
  description: z.string().optional(),
  plugins: z.array(z.string()).optional(),
  /** Package versions (null for a package that could not be resolved). */
  versions: z.record(z.string(), z.string().nullable()).optional(),
});
export type ManifestExtras = z.infer<typeof manifestExtrasSchema>;

/** `manifest.json` of an experiment directory. */
export const experimentManifestSchema = manifestExtrasSchema
  .extend({
    biaslab: z.literal('experiment'),
    /** `run` (flow off by default) or `sweep` (flow on by default). */
    mode: z.enum(['run', 'sweep']),
    config: recordedConfigSchema,
    /** The first-pass learning rates (refinement adds more per point). */
    learningRates: z.array(z.number()),
    points: z.array(manifestPointSchema),
    seeds: z.array(z.int()),
    seed: z.int(),
    dtype: z.enum(['float32', 'float64']),
    loss: z.enum(['mse', 'cross-entropy']),
    /** The loss normalisation in words (it scales the Hessian, so every result states it). */
    lossNormalisation: z.string(),
    /** The observed-break-point rule in words. */
    breakPointRule: z.string(),
    /** Node, OS and CPU of the writing process. */
    machine: machineInfoSchema,
    workers: z.int().positive(),
    versions: z.record(z.string(), z.string().nullable()),
    status: z.enum(['running', 'finished', 'interrupted']),
    startedAt: z.string(),
    resumedAt: z.array(z.string()).optional(),
    finishedAt: z.string().optional(),
    interruptedAt: z.string().optional(),
  })
  .describe('experiment manifest');
export type ExperimentManifest = z.infer<typeof experimentManifestSchema>;

import { join } from 'node:path';
import type { Registry } from '@biaslab/core';
import { packageVersions, parseExperiment, resolveExperiment, runExperiment } from '@biaslab/lab';
import type { ExperimentResult, RunExperimentOptions, WorkerScript } from '@biaslab/lab';
import type { ExperimentPlan } from './reproduction';

/** The lab's progress callbacks of one experiment, as `runExperiment` takes them. */
export type ExperimentEvents = Pick<
  RunExperimentOptions,
  'onPlan' | 'onTaskStart' | 'onProgress' | 'onFlowEnd' | 'onRunEnd'
>;

/** One experiment about to run, for a progress display. */
export interface ExperimentStart {
  readonly plan: ExperimentPlan;
  /** Its experiment directory. */
  readonly out: string;
  /** Labels of its grid points, in order (one empty label without a grid). */
  readonly pointLabels: readonly string[];
}

/** What a caller follows of one experiment: the lab's events, and `finish` once it has ended or failed. */
export interface ExperimentProgress extends ExperimentEvents {
  finish?(): void;
}

/** How reproductions run their experiments: everything a command line (or a script) supplies. */
export interface RunPlanOptions {
  /** The components experiments resolve: at least the built-in plugins of models, datasets, optimizers, metrics. */
  readonly registry: Registry;
  /** Worker processes (default 1: everything in this process); more than one needs `worker`. Numbers do not depend on it. */
  readonly workers?: number;
  /** The script forked workers run (it calls `serveWorker` of `@biaslab/lab`). */
  readonly worker?: WorkerScript;
  /** Aborting stops every run after its current step: finished runs are kept and `ReproductionInterrupted` is thrown. */
  readonly signal?: AbortSignal;
  /** Called as each experiment starts; the callbacks it returns receive that experiment's progress. */
  readonly onExperiment?: (start: ExperimentStart) => ExperimentProgress | undefined;
  /** Extra manifest entries of every experiment (the caller's package versions go under `versions`). */
  readonly manifest?: Readonly<Record<string, unknown>>;
}

/** Thrown when `signal` stopped an experiment: its finished runs are saved in `dir`; rerunning resumes. */
export class ReproductionInterrupted extends Error {
  override readonly name = 'ReproductionInterrupted';

  constructor(readonly dir: string) {
    super(`Interrupted: finished runs are saved in \`${dir}\`; rerun with the same directory to resume.`);
  }
}

const PACKAGES = ['@biaslab/reproductions', '@biaslab/lab', '@biaslab/core'];

/**
 * Runs one planned experiment into `dir/<plan.id>` through the lab. The lab's results store makes this
 * resumable: rerun with the same directory, finished runs and flows are read back instead of recomputed.
 */
export async function runPlan(
  plan: ExperimentPlan,
  dir: string,
  options: RunPlanOptions,
): Promise<ExperimentResult> {
  const out = join(dir, plan.id);
  const config = parseExperiment({ ...plan.config, out }, `reproduction experiment \`${plan.id}\``);
  const { registry } = options;
  const resolved = resolveExperiment(config, registry, 'sweep');
  const progress = options.onExperiment?.({ plan, out, pointLabels: resolved.points.map((p) => p.label) });
  let result: ExperimentResult;
  try {
    result = await runExperiment(resolved, {
      out,
      workers: options.workers,
      worker: options.worker,
      signal: options.signal,
      manifest: {
        command: 'reproduce',
        source: `reproduction experiment ${plan.id}`,
        description: plan.description,
        plugins: registry.usedPlugins().map((p) => p.name),
        ...options.manifest,
        versions: {
          ...packageVersions(PACKAGES, (name) => import.meta.resolve(name)),
          ...(options.manifest?.versions as object | undefined),
        },
      },
      onPlan: progress?.onPlan,
      onTaskStart: progress?.onTaskStart,
      onProgress: progress?.onProgress,
      onFlowEnd: progress?.onFlowEnd,
      onRunEnd: progress?.onRunEnd,
    });
  } finally {
    progress?.finish?.();
  }
  if (result.interrupted) throw new ReproductionInterrupted(out);
  return result;
}

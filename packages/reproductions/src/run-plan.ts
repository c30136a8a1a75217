import { join } from 'node:path';
import { parseExperiment, resolveExperiment, runExperiment, packageVersions } from '@biaslab/lab';
import type { ExperimentResult } from '@biaslab/lab';
import type { CliIo } from '../../io';
import { createRegistry } from '../../registry';
import { ProgressDisplay } from '../../progress';
import { workerScript } from '../../worker-script';
import { CliInterrupted } from '../../interrupted';
import type { ExperimentPlan } from './reproduction';

/** How `reproduce` runs its experiments. */
export interface RunPlanOptions {
  readonly io: CliIo;
  readonly workers: number;
  readonly quiet: boolean;
  readonly signal?: AbortSignal;
}

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
  const registry = await createRegistry(config.plugins, options.io.cwd);
  const resolved = resolveExperiment(config, registry, 'sweep');
  const display = new ProgressDisplay(
    options.io,
    options.quiet,
    resolved.points.map((p) => p.label),
  );
  display.line(`${plan.id}: ${plan.description} → ${out}`);
  let result: ExperimentResult;
  try {
    result = await runExperiment(resolved, {
      out,
      workers: options.workers,
      worker: { script: workerScript(), payload: { plugins: config.plugins, cwd: options.io.cwd } },
      signal: options.signal,
      manifest: {
        command: 'reproduce',
        source: `reproduction experiment ${plan.id}`,
        description: plan.description,
        plugins: registry.usedPlugins().map((p) => p.name),
        versions: packageVersions(['@biaslab/cli', '@biaslab/lab', '@biaslab/core'], (name) =>
          import.meta.resolve(name),
        ),
      },
      ...display.events(),
    });
  } finally {
    display.finish();
  }
  if (result.interrupted) {
    throw new CliInterrupted(
      `Interrupted: finished runs are saved in \`${out}\`. Rerun the same reproduce command with the same ` +
        '`--out` to resume (finished runs are skipped).',
    );
  }
  return result;
}

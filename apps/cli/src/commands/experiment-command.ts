import { resolve } from 'node:path';
import type { Command } from 'commander';
import { BiaslabError, LOSS_NORMALISATION } from '@biaslab/core';
import { defaultWorkers, packageVersions, resolveExperiment, runExperiment } from '@biaslab/lab';
import type { ExperimentConfig, ExperimentResult } from '@biaslab/lab';
import { analysePoint } from '@biaslab/reproductions';
import { buildConfig } from '../experiment-config';
import type { ExperimentFlags } from '../experiment-config';
import { addExperimentFlags } from '../experiment-flags';
import type { ExperimentMode } from '../experiment-flags';
import type { DottedOptions } from '../dotted-options';
import type { CliIo } from '../io';
import { createRegistry } from '../registry';
import { ProgressDisplay } from '../progress';
import { workerScript } from '../worker-script';
import { CliInterrupted } from '../interrupted';

/** What every command receives besides its flags. */
export interface CommandContext {
  readonly io: CliIo;
  readonly dotted: DottedOptions;
}

/** Flags of run/sweep that only shape the output. */
export interface OutputFlags {
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly workers?: string;
}

const CLI_PACKAGES = [
  '@biaslab/cli',
  '@biaslab/core',
  '@biaslab/lab',
  '@biaslab/runtime',
  '@biaslab/models',
  '@biaslab/datasets',
  '@biaslab/optimizers',
  '@biaslab/metrics',
];

/**
 * Adds the flags of `run` and `sweep`: `--config`, the experiment flags (derived from the experiment schema,
 * see `experimentFlags`), and the flags that only shape the output.
 */
export function addExperimentOptions(command: Command, mode: ExperimentMode): Command {
  command.option('--config <file>', 'experiment file (.json, .yaml or .yml); flags override its values');
  return addExperimentFlags(command, mode)
    .option('--json', 'print machine-readable results on stdout, nothing else')
    .option('--quiet', 'no progress on stderr')
    .option(
      '--workers <n>',
      'worker processes (default: one per core, each with onnxruntime on --threads threads)',
    )
    .addHelpText(
      'after',
      `\nWithout --out, results go to ${DEFAULT_OUT}.\n` +
        'Component options: --model.KEY VALUE, --dataset.KEY VALUE, --optimizer.KEY VALUE, --metric.NAME.KEY VALUE\n' +
        '(values: JSON when it parses, a comma list of numbers as an array, else a string).\n' +
        'See `biaslab plugins show KIND/NAME` for every option of a component.',
    );
}

/** Builds, resolves and runs the experiment of `run` or `sweep`, reporting progress on stderr. */
export async function executeExperiment(
  flags: ExperimentFlags & OutputFlags,
  context: CommandContext,
  mode: ExperimentMode,
): Promise<{ result: ExperimentResult; config: ExperimentConfig; mainJob: boolean; source: string }> {
  const { io } = context;
  const { config, mainJob, source } = buildConfig(flags, context.dotted, io.cwd, mode);
  const workers = parseWorkers(flags.workers, config.threads);
  const registry = await createRegistry(config.plugins, io.cwd);
  const resolved = resolveExperiment(config, registry, mode);
  const out = resolve(io.cwd, config.out ?? defaultOut(new Date()));
  const first = resolved.points[0];
  const display = new ProgressDisplay(
    io,
    flags.quiet === true,
    resolved.points.map((p) => p.label),
  );
  const gridText =
    resolved.points.length > 1
      ? ` × ${resolved.points.length} grid points (${Object.keys(config.grid).join(', ')})`
      : '';
  display.line(
    `biaslab ${mode}: ${first.model.name} on ${first.dataset.name}, ${first.optimizer.name}, ` +
      `${resolved.lrs.length} learning rate${resolved.lrs.length === 1 ? '' : 's'}${gridText}, ${config.dtype}, ` +
      `${workers} worker${workers === 1 ? '' : 's'} → ${out}`,
  );
  const controller = new AbortController();
  const onSigint = () => {
    controller.abort();
    display.line('stopping after the current step (Ctrl-C again to quit at once)…');
  };
  process.once('SIGINT', onSigint);
  let result: ExperimentResult;
  try {
    result = await runExperiment(resolved, {
      out,
      workers,
      worker: { script: workerScript(), payload: { plugins: config.plugins, cwd: io.cwd } },
      signal: controller.signal,
      manifest: {
        command: mode,
        source,
        plugins: registry.usedPlugins().map((p) => p.name),
        versions: packageVersions(CLI_PACKAGES, (name) => import.meta.resolve(name)),
      },
      ...display.events(),
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
    display.finish();
  }
  if (result.interrupted) {
    throw new CliInterrupted(
      `Interrupted: ${result.rows.length} run${result.rows.length === 1 ? '' : 's'} finished and saved in \`${out}\`. ` +
        `To resume, rerun the same command with \`--out ${out}\` (finished runs are skipped, unfinished ones recomputed).`,
    );
  }
  return { result, config, mainJob, source };
}

/** Where results go without `--out` (or `out:` in a file). */
const DEFAULT_OUT = 'runs/<timestamp>';

function defaultOut(now: Date): string {
  return DEFAULT_OUT.replace('<timestamp>', now.toISOString().replace(/[:.]/g, '-'));
}

function parseWorkers(text: string | undefined, threads: number | undefined): number {
  if (text === undefined) return defaultWorkers(threads);
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `\`--workers\` must be a whole number ≥ 1, received \`${text}\`. Omit it to use every core (${defaultWorkers(threads)} here).`,
    );
  }
  return n;
}

/** The machine-readable result of run/sweep (`config` is the experiment that ran). */
export function resultJson(result: ExperimentResult, config: ExperimentConfig): Record<string, unknown> {
  return {
    out: result.out,
    lossNormalisation: LOSS_NORMALISATION[config.loss],
    config: result.manifest.config,
    flow: result.flow ?? null,
    runs: result.rows,
    points: result.points.map((p) => ({
      index: p.index,
      label: p.label,
      grid: p.grid,
      seed: p.seed,
      flow: p.flow ?? null,
      analysis: analysePoint(p.rows, p.flow, config.breakPoint),
    })),
    breakPointRule: result.manifest.breakPointRule,
    seconds: result.seconds,
  };
}

import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { BiaslabError, LOSS_NORMALISATION } from '@biaslab/core';
import { defaultWorkers, packageVersions, resolveExperiment, runExperiment } from '@biaslab/lab';
import type { ExperimentResult } from '@biaslab/lab';
import { buildConfig } from '../experiment-config';
import type { ExperimentFlags } from '../experiment-config';
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
  json?: boolean;
  quiet?: boolean;
  workers?: string;
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

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds the experiment flags shared by `run` and `sweep`. */
export function addExperimentOptions(command: Command, mode: 'run' | 'sweep'): Command {
  command
    .option('--config <file>', 'experiment file (.json, .yaml or .yml); flags override its values')
    .option('--model <name>', 'model component (default: the built-in main job, dln shared α = 0.1)')
    .option('--dataset <name>', 'dataset component (default: one-point)')
    .option('--optimizer <name>', 'optimizer component (default: gd)')
    .addOption(new Option('--loss <kind>', 'training loss').choices(['mse', 'cross-entropy']))
    .option('--metrics <list>', 'comma-separated metric names, e.g. l1,beta-l1,sharpness,test-error');
  if (mode === 'run') {
    command.option('--eta <η>', 'the learning rate');
  } else {
    command
      .option('--lrs <list>', 'comma-separated learning rates')
      .option('--lr-from <η>', 'smallest learning rate of a grid')
      .option('--lr-to <η>', 'largest learning rate of a grid')
      .option('--lr-count <n>', 'number of learning rates in the grid')
      .addOption(new Option('--lr-spacing <kind>', 'grid spacing').choices(['log', 'linear']))
      .option(
        '--grid <path=values>',
        'grid over an option, crossed with the learning rates, e.g. seed=0,1,2 or model.options.alpha=0.01,0.1; repeatable',
        collect,
      )
      .option('--refine-eta-c <n>', 'after the first pass, add n learning rates around the predicted η_c')
      .option('--refine-spread <f>', 'those span η_c/(1+f) … η_c·(1+f) (default 0.25)')
      .option('--refine-edge <n>', 'after the first pass, n bisection steps at the divergence edge');
  }
  return command
    .option('--epsilon <ε>', 'training-loss threshold ε (default 1e-8)')
    .option('--patience <K>', 'consecutive steps below ε that end a run (default 100; main job 300)')
    .option('--max-steps <n>', 'step cap (default 100000; main job 20000)')
    .option('--divergence <bound>', 'loss above this is divergence (default 1e6 · max(L(θ₀), 1))')
    .addOption(new Option('--dtype <dtype>', 'precision').choices(['float32', 'float64']))
    .option('--seed <n>', 'seed of data, initialisation and random draws (default 0)')
    .option('--every <k>', 'series row with metrics every k steps; 0 = final only (default 100)')
    .option('--threads <n>', 'onnxruntime intra-op threads')
    .option(
      '--batch <n>',
      'train up to n learning rates together where the model has a batched graph and the optimizer is plain GD; 1 = one run at a time (default 32)',
    )
    .option('--flow', `run the gradient-flow reference (default ${mode === 'sweep' ? 'on' : 'off'})`)
    .option('--no-flow', 'skip the gradient-flow reference')
    .option('--out <dir>', 'experiment directory (default runs/<timestamp>)')
    .option('--plugin <module>', 'extra plugin module (path or package); repeatable', collect)
    .option('--json', 'print machine-readable results on stdout, nothing else')
    .option('--quiet', 'no progress on stderr')
    .option(
      '--workers <n>',
      'worker processes (default: one per core, each with onnxruntime on --threads threads)',
    )
    .addHelpText(
      'after',
      '\nComponent options: --model.KEY VALUE, --dataset.KEY VALUE, --optimizer.KEY VALUE, --metric.NAME.KEY VALUE\n' +
        '(values: JSON when it parses, a comma list of numbers as an array, else a string).\n' +
        'See `biaslab plugins show KIND/NAME` for every option of a component.',
    );
}

/** Builds, resolves and runs the experiment of `run` or `sweep`, reporting progress on stderr. */
export async function executeExperiment(
  flags: ExperimentFlags & OutputFlags,
  context: CommandContext,
  mode: 'run' | 'sweep',
): Promise<{ result: ExperimentResult; mainJob: boolean; source: string }> {
  const { io } = context;
  const { config, mainJob, source } = buildConfig(flags, context.dotted, io.cwd, mode);
  const workers = parseWorkers(flags.workers, config.threads);
  const registry = await createRegistry(config.plugins, io.cwd);
  const resolved = resolveExperiment(config, registry, mode);
  const out = resolve(io.cwd, config.out ?? `runs/${new Date().toISOString().replace(/[:.]/g, '-')}`);
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
  return { result, mainJob, source };
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

/** The machine-readable result of run/sweep. */
export function resultJson(result: ExperimentResult): Record<string, unknown> {
  const config = result.manifest.config as { loss: 'mse' | 'cross-entropy' };
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
      analysis: p.analysis,
    })),
    breakPointRule: result.manifest.breakPointRule,
    seconds: result.seconds,
  };
}

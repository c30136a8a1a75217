import { resolve } from 'node:path';
import { Command } from 'commander';
import { BiaslabError, LOSS_NORMALISATION } from '@biaslab/core';
import { defaultWorkers, packageVersions } from '@biaslab/lab';
import {
  MAIN_JOB_NAME,
  REPRODUCTIONS,
  ReproductionInterrupted,
  analysePoint,
  runMainJob,
  runReproduction,
} from '@biaslab/reproductions';
import type { MainJobResult, RunPlanOptions } from '@biaslab/reproductions';
import { formatNumber } from '@biaslab/results';
import type { CliIo } from '../io';
import { createRegistry } from '../registry';
import { ProgressDisplay } from '../progress';
import { workerScript } from '../worker-script';
import { CliInterrupted } from '../interrupted';
import { breakPointRuleLine, pointSections } from '../phase-table';
import type { CommandContext } from './experiment-command';

interface ReproduceFlags {
  full?: boolean;
  out?: string;
  workers?: string;
  quiet?: boolean;
}

/** `biaslab reproduce NAME`: one claim of the paper as experiments, figures, a report section and verdicts. */
export function reproduceCommand(context: CommandContext): Command {
  const { io } = context;
  const names = REPRODUCTIONS.map((r) => r.name);
  return new Command('reproduce')
    .description(
      'Reproduce a claim of Matveev et al. (arXiv 2505.21423): run its experiments (resumable), compute the theory ' +
        'overlay, write figures and report.html with verdicts computed from the data.',
    )
    .argument(
      '<name>',
      `one of: ${names.join(', ')}; or \`${MAIN_JOB_NAME}\`, the compact reproduction of \`pnpm start\``,
    )
    .option('--full', "the paper's scale (5k subsets, 784-200-200-10 nets, fine grids); hours, not minutes")
    .option(
      '--out <dir>',
      'reproduce directory (default runs/reproduce-<name>[-full]); rerun with it to resume',
    )
    .option('--workers <n>', 'worker processes (default: one per core)')
    .option('--quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      `\nReproductions (and \`${MAIN_JOB_NAME}\`: dln-onepoint plus a small fc-tanh phase diagram, what \`pnpm start\` runs):\n${REPRODUCTIONS.map((r) => `  ${r.name.padEnd(17)} ${r.claim}`).join('\n')}\n`,
    )
    .action(async (name: string, flags: ReproduceFlags) => {
      const full = flags.full === true;
      const dir = resolve(
        io.cwd,
        flags.out ??
          (name === MAIN_JOB_NAME ? 'runs/main-job' : `runs/reproduce-${name}${full ? '-full' : ''}`),
      );
      await withInterrupt(io, flags.quiet === true, async (signal) => {
        const options = { ...(await runOptions(io, flags)), signal, out: dir };
        if (name === MAIN_JOB_NAME) {
          io.out(mainJobText(await runMainJob(options), dir));
          return;
        }
        const result = await runReproduction(name, { ...options, full });
        io.out(
          `${[...result.lines, '', `report: ${result.reportPath}`, `results: ${dir} (${formatNumber(result.seconds, 3)} s)`].join('\n')}\n`,
        );
      });
    });
}

/** The registry, workers, progress display and versions of the CLI, as the reproductions take them. */
async function runOptions(io: CliIo, flags: ReproduceFlags): Promise<RunPlanOptions> {
  const quiet = flags.quiet === true;
  return {
    registry: await createRegistry([], io.cwd),
    workers: parseWorkers(flags.workers),
    worker: { script: workerScript(), payload: { plugins: [], cwd: io.cwd } },
    onExperiment: ({ plan, out, pointLabels }) => {
      const display = new ProgressDisplay(io, quiet, pointLabels);
      display.line(`${plan.id}: ${plan.description} → ${out}`);
      return { ...display.events(), finish: () => display.finish() };
    },
    manifest: { versions: packageVersions(['@biaslab/cli'], (name) => import.meta.resolve(name)) },
  };
}

/** Runs `body` with Ctrl-C stopping every run after its current step; an interruption exits with 130. */
async function withInterrupt(
  io: CliIo,
  quiet: boolean,
  body: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  const onSigint = () => {
    controller.abort();
    if (!quiet) io.err('stopping after the current step (Ctrl-C again to quit at once)…\n');
  };
  process.once('SIGINT', onSigint);
  try {
    await body(controller.signal);
  } catch (error) {
    if (!(error instanceof ReproductionInterrupted)) throw error;
    throw new CliInterrupted(
      `Interrupted: finished runs are saved in \`${error.dir}\`. Rerun the same reproduce command with the same ` +
        '`--out` to resume (finished runs are skipped).',
    );
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** What `pnpm start` prints: part 1's phase table as `biaslab sweep` prints it, then every verdict. */
function mainJobText(result: MainJobResult, dir: string): string {
  const { config } = result.sweep.manifest;
  const points = result.sweep.points.map((p) => ({
    ...p,
    analysis: analysePoint(p.rows, p.flow, config.breakPoint),
  }));
  const passed = result.verdicts.filter((v) => v.verdict.pass).length;
  return `${[
    'Main job, part 1: shared diagonal network (α = 0.1) on x = (1, 0.2), y = 1, β* = (0.7, 1.5).',
    ...pointSections(points),
    breakPointRuleLine(config.breakPoint),
    `loss normalisation: ${LOSS_NORMALISATION.mse}`,
    `S = max |λ(∇²L)| at the final θ; runs stop when L < ε for K consecutive steps (ε = ${formatNumber(config.stop.epsilon)}).`,
    '',
    'Main job, part 2: a small real-data phase diagram; theory and verdicts for both parts:',
    ...result.lines,
    '',
    `${passed}/${result.verdicts.length} verdicts hold`,
    `report: ${result.reportPath}`,
    `results: ${dir} (${formatNumber(result.seconds, 3)} s)`,
  ].join('\n')}\n`;
}

/** `--workers`: a whole number ≥ 1, default one per core. */
export function parseWorkers(text: string | undefined): number {
  if (text === undefined) return defaultWorkers();
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `\`--workers\` must be a whole number ≥ 1, received \`${text}\`. Omit it to use every core (${defaultWorkers()} here).`,
    );
  }
  return n;
}

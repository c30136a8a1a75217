import { resolve } from 'node:path';
import { Command } from 'commander';
import { BiaslabError } from '@biaslab/core';
import { defaultWorkers } from '@biaslab/lab';
import type { CommandContext } from '../experiment-command';
import { REPRODUCTIONS } from './catalogue';
import { reproduce } from './reproduce';
import { formatNumber as fmt } from '@biaslab/results';
import { COMPACT_JOB, runCompactJob } from './compact-job';

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
      `one of: ${names.join(', ')}; or \`${COMPACT_JOB}\`, the compact reproduction of \`pnpm start\``,
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
      `\nReproductions (and \`${COMPACT_JOB}\`: dln-onepoint plus a small fc-tanh phase diagram, what \`pnpm start\` runs):\n${REPRODUCTIONS.map((r) => `  ${r.name.padEnd(17)} ${r.claim}`).join('\n')}\n`,
    )
    .action(async (name: string, flags: ReproduceFlags) => {
      const full = flags.full === true;
      if (name === COMPACT_JOB) {
        const dir = resolve(io.cwd, flags.out ?? 'runs/main-job');
        await runCompactJob(io, dir, { workers: parseWorkers(flags.workers), quiet: flags.quiet === true });
        return;
      }
      const dir = resolve(io.cwd, flags.out ?? `runs/reproduce-${name}${full ? '-full' : ''}`);
      const result = await reproduce(
        [{ name, full }],
        dir,
        `biaslab reproduce ${name}${full ? ' --full' : ''}`,
        {
          io,
          workers: parseWorkers(flags.workers),
          quiet: flags.quiet === true,
        },
      );
      io.out(
        `${[...result.lines, '', `report: ${result.reportPath}`, `results: ${dir} (${fmt(result.seconds, 3)} s)`].join('\n')}\n`,
      );
    });
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

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { BiaslabError } from '@biaslab/core';
import { reportFromExperimentDir } from '@biaslab/report';
import { MANIFEST_FILE, REPRODUCTION_FILE, readReproductionRecord } from '@biaslab/results';
import { breakPointFinder, writeReproductionReport } from '@biaslab/reproductions';
import { createRegistry } from '../registry';
import type { CommandContext } from './experiment-command';

/**
 * `biaslab report DIR`: (re)writes the self-contained `DIR/report.html` (and `DIR/figures/`) of an experiment
 * directory (a run or sweep's `--out`) or of a reproduce directory, from the data on disk; nothing is trained.
 */
export function reportCommand(context: CommandContext): Command {
  const { io } = context;
  return new Command('report')
    .description(
      'Write the self-contained HTML report (figures, tables, verdicts, manifest) of an experiment or reproduce directory.',
    )
    .argument('<dir>', 'the --out directory of a run, sweep or reproduce command')
    .action(async (dirArg: string) => {
      const dir = resolve(io.cwd, dirArg);
      const record = readReproductionRecord(dir);
      if (record) {
        const report = await writeReproductionReport(dir, record, {
          registry: await createRegistry([], io.cwd),
        });
        const passed = report.verdicts.filter((v) => v.verdict.pass).length;
        io.out(
          `${report.lines.join('\n')}\n\n${passed}/${report.verdicts.length} verdicts hold\nreport: ${report.reportPath}\n`,
        );
        return;
      }
      if (!existsSync(join(dir, MANIFEST_FILE))) {
        throw new BiaslabError(
          'RESULTS',
          `\`${dir}\` is neither an experiment directory (no \`${MANIFEST_FILE}\`) nor a reproduce directory (no \`${REPRODUCTION_FILE}\`). Give the \`--out\` of a run, sweep or reproduce command.`,
        );
      }
      const report = await reportFromExperimentDir(dir, { breakPoint: breakPointFinder });
      const passed = report.verdicts.filter((v) => v.pass).length;
      io.out(
        `${report.verdicts.map((v) => `${v.pass ? '✓' : '✗'} ${v.text}`).join('\n')}\n\n${passed}/${report.verdicts.length} verdicts hold\nreport: ${report.reportPath}\n`,
      );
    });
}

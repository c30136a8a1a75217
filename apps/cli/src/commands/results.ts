import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { BiaslabError, LOSS_NORMALISATION } from '@biaslab/core';
import { readExperiment, runsCsv, seriesCsv, toJson } from '@biaslab/lab';
import type { ExperimentRecord, FlowSummary } from '@biaslab/lab';
import { analysePoint } from '@biaslab/reproductions';
import type { BreakPointRule } from '@biaslab/reproductions';
import { breakPointRuleLine, pointSections } from '../phase-table';
import type { CommandContext } from './experiment-command';

interface ResultsFlags {
  csv?: string;
  series?: string;
  json?: boolean;
}

/** `biaslab results DIR`: the summary of an experiment directory, and CSV exports. */
export function resultsCommand(context: CommandContext): Command {
  const { io } = context;
  return new Command('results')
    .description(
      'Summarise an experiment directory (phase table, η_c vs the observed break point per grid point) and export CSV.',
    )
    .argument('<dir>', 'experiment directory (the --out of a run or sweep)')
    .option(
      '--csv <file>',
      'write one row per finished run: id, varying config values, η, seed, status, steps, reason, every final metric',
    )
    .option(
      '--series <file>',
      'write one row per logged step of every finished run: id, η, seed, step, loss, metrics',
    )
    .option('--json', 'print machine-readable results on stdout')
    .action((dir: string, flags: ResultsFlags) => {
      const record = readExperiment(resolve(io.cwd, dir));
      const points = pointsOf(record);
      if (flags.csv) {
        const path = resolve(io.cwd, flags.csv);
        writeFile(path, runsCsv(record));
        io.err(`wrote ${record.rows.length} runs to ${path}\n`);
      }
      if (flags.series) {
        const path = resolve(io.cwd, flags.series);
        const count = seriesCsv(record, path);
        io.err(`wrote ${count} series rows to ${path}\n`);
      }
      const config = record.manifest.config as { loss: 'mse' | 'cross-entropy'; breakPoint: BreakPointRule };
      if (flags.json) {
        io.out(
          `${toJson({
            dir: record.dir,
            status: record.manifest.status ?? null,
            lossNormalisation: LOSS_NORMALISATION[config.loss],
            points: points.map(({ rows: _rows, ...p }) => p),
            runs: record.rows,
            unfinished: record.unfinished,
          })}\n`,
        );
        return;
      }
      const model = (config as unknown as { model: { name: string } }).model.name;
      const dataset = (config as unknown as { dataset: { name: string } }).dataset.name;
      const status = record.manifest.status ? `, ${record.manifest.status}` : '';
      const lines = [
        `${record.dir}: ${record.manifest.command ?? 'experiment'} of ${model} on ${dataset}, ` +
          `${record.points.length} grid point${record.points.length === 1 ? '' : 's'}, ${record.rows.length} finished run${record.rows.length === 1 ? '' : 's'}` +
          (record.unfinished.length > 0
            ? `, ${record.unfinished.length} unfinished (rerun the experiment into this directory to finish them)`
            : '') +
          status,
        '',
        ...pointSections(points),
        breakPointRuleLine(config.breakPoint),
        `loss normalisation: ${LOSS_NORMALISATION[config.loss]}`,
      ];
      io.out(`${lines.join('\n')}\n`);
    });
}

function pointsOf(record: ExperimentRecord) {
  const config = record.manifest.config as { breakPoint: BreakPointRule };
  return record.points.map((p) => {
    const rows = record.rows.filter((r) => (r.point ?? 0) === p.index).sort((a, b) => a.eta - b.eta);
    const flow: FlowSummary | undefined = p.flow ? record.flows.get(p.flow) : undefined;
    return {
      index: p.index,
      label: p.label,
      grid: p.grid,
      seed: p.seed,
      flow,
      rows,
      analysis: analysePoint(rows, flow, config.breakPoint),
    };
  });
}

function writeFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new BiaslabError(
      'RESULTS',
      `Cannot write \`${path}\`: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Choose a writable path.`,
    );
  }
}

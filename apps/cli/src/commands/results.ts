import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { BiaslabError, LOSS_NORMALISATION } from '@biaslab/core';
import { readExperiment, runsCsv, seriesCsv, toJson } from '@biaslab/results';
import type { ExperimentRecord } from '@biaslab/results';
import { analysePoint } from '@biaslab/reproductions';
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
        io.err(`wrote ${record.runs.length} runs to ${path}\n`);
      }
      if (flags.series) {
        const path = resolve(io.cwd, flags.series);
        const count = seriesCsv(record, path);
        io.err(`wrote ${count} series rows to ${path}\n`);
      }
      const { config } = record.manifest;
      if (flags.json) {
        io.out(
          `${toJson({
            dir: record.dir,
            status: record.manifest.status,
            lossNormalisation: LOSS_NORMALISATION[config.loss],
            points: points.map(({ rows: _rows, ...p }) => p),
            runs: record.runs.map((r) => r.summary),
            unfinished: record.unfinished,
          })}\n`,
        );
        return;
      }
      const finished = record.runs.length;
      const lines = [
        `${record.dir}: ${record.manifest.command ?? 'experiment'} of ${config.model.name} on ${config.dataset.name}, ` +
          `${record.points.length} grid point${record.points.length === 1 ? '' : 's'}, ${finished} finished run${finished === 1 ? '' : 's'}` +
          (record.unfinished.length > 0
            ? `, ${record.unfinished.length} unfinished (rerun the experiment into this directory to finish them)`
            : '') +
          `, ${record.manifest.status}`,
        '',
        ...pointSections(points),
        breakPointRuleLine(config.breakPoint),
        `loss normalisation: ${LOSS_NORMALISATION[config.loss]}`,
      ];
      io.out(`${lines.join('\n')}\n`);
    });
}

/** Every grid point with its runs' summary rows by η, its flow summary and its analysis. */
function pointsOf(record: ExperimentRecord) {
  const rule = record.manifest.config.breakPoint;
  return record.points.map((p) => {
    const rows = p.runs.map((r) => r.summary);
    const flow = p.flow?.summary;
    return {
      index: p.index,
      label: p.label,
      grid: p.grid,
      seed: p.seed,
      flow,
      rows,
      analysis: analysePoint(rows, flow, rule),
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

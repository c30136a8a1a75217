import { Command } from 'commander';
import { LOSS_NORMALISATION } from '@biaslab/core';
import { formatNumber, toJson } from '@biaslab/results';
import type { ExperimentFlags } from '../experiment-config';
import { table } from '../text-table';
import { flowLines } from '../phase-table';
import { addExperimentOptions, executeExperiment, resultJson } from './experiment-command';
import type { CommandContext, OutputFlags } from './experiment-command';

/** `biaslab run`: one training run at one learning rate. */
export function runCommand(context: CommandContext): Command {
  const command = new Command('run').description(
    'Train once at one learning rate (--eta) and report the final metrics.',
  );
  addExperimentOptions(command, 'run').action(async (flags: ExperimentFlags & OutputFlags) => {
    const { result, config } = await executeExperiment(flags, context, 'run');
    const { io } = context;
    if (flags.json) {
      io.out(`${toJson(resultJson(result, config))}\n`);
      return;
    }
    const row = result.rows[0];
    const pairs: string[][] = [
      ['η', formatNumber(row.eta)],
      ['status', `${row.status} (${row.reason})`],
      ['steps', String(row.steps)],
      ['loss', formatNumber(row.loss)],
      ['‖θ‖₁', formatNumber(row.thetaL1)],
      ...(row.betaL1 !== undefined ? [['‖β‖₁', formatNumber(row.betaL1)]] : []),
      ['S', formatNumber(row.sharpness)],
      ['2/η', formatNumber(row.twoOverEta)],
      ['S·η/2', formatNumber(row.sharpnessEtaOver2, 3)],
      ...Object.entries(row.metrics).map(([k, v]) => [k, formatNumber(v)]),
    ];
    const lines = [
      table(pairs),
      '',
      ...(result.flow ? [flowLines(result.flow)] : []),
      `loss normalisation: ${LOSS_NORMALISATION[config.loss]}`,
      `results: ${result.out}`,
    ];
    io.out(`${lines.join('\n')}\n`);
  });
  return command;
}

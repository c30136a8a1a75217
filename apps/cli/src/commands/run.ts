import { Command } from 'commander';
import { LOSS_NORMALISATION } from '@biaslab/core';
import { toJson } from '@biaslab/lab';
import type { ExperimentFlags } from '../experiment-config';
import { fmt, table } from '../format';
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
      ['η', fmt(row.eta)],
      ['status', `${row.status} (${row.reason})`],
      ['steps', String(row.steps)],
      ['loss', fmt(row.loss)],
      ['‖θ‖₁', fmt(row.thetaL1)],
      ...(row.betaL1 !== undefined ? [['‖β‖₁', fmt(row.betaL1)]] : []),
      ['S', fmt(row.sharpness)],
      ['2/η', fmt(row.twoOverEta)],
      ['S·η/2', fmt(row.sharpnessEtaOver2, 3)],
      ...Object.entries(row.metrics).map(([k, v]) => [k, fmt(v)]),
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

import { Command } from 'commander';
import { LOSS_NORMALISATION } from '@biaslab/core';
import { formatNumber, toJson } from '@biaslab/results';
import { analysePoint } from '@biaslab/reproductions';
import type { ExperimentFlags } from '../experiment-config';
import { breakPointRuleLine, pointSections } from '../phase-table';
import { addExperimentOptions, executeExperiment, resultJson } from './experiment-command';
import type { CommandContext, OutputFlags } from './experiment-command';

/** `biaslab sweep`: one θ₀, a grid of η, the gradient-flow reference, the phase table. */
export function sweepCommand(context: CommandContext): Command {
  const command = new Command('sweep').description(
    'Train from one θ₀ at a grid of learning rates, integrate the gradient-flow reference and print the phase ' +
      'table (with no model/dataset/config: the built-in main job).',
  );
  addExperimentOptions(command, 'sweep').action(async (flags: ExperimentFlags & OutputFlags) => {
    const { result, config, mainJob } = await executeExperiment(flags, context, 'sweep');
    const { io } = context;
    if (flags.json) {
      io.out(`${toJson(resultJson(result, config))}\n`);
      return;
    }
    const points = result.points.map((p) => ({
      ...p,
      analysis: analysePoint(p.rows, p.flow, config.breakPoint),
    }));
    const lines = [
      mainJob
        ? 'Main job: shared diagonal network (α = 0.1) on x = (1, 0.2), y = 1, β* = (0.7, 1.5).'
        : undefined,
      ...pointSections(points),
      breakPointRuleLine(config.breakPoint),
      `loss normalisation: ${LOSS_NORMALISATION[config.loss]}`,
      `S = max |λ(∇²L)| at the final θ; runs stop when L < ε for K consecutive steps (ε = ${formatNumber(config.stop.epsilon)}).`,
      `results: ${result.out} (${formatNumber(result.seconds, 3)} s)`,
    ].filter((l) => l !== undefined);
    io.out(`${lines.join('\n')}\n`);
  });
  return command;
}

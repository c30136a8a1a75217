import { LOSS_NORMALISATION } from '@biaslab/core';
import type { CliIo } from '../../io';
import { breakPointRuleLine, pointSections } from '../../phase-table';
import { formatNumber as fmt } from '@biaslab/results';
import { imageDatasetFact } from './image-data';
import { reproduce } from './reproduce';

/** The name `biaslab reproduce` gives the compact reproduction that `pnpm start` runs. */
export const COMPACT_JOB = 'main';

/**
 * The compact reproduction (`pnpm start`): the one-point diagonal-network sweep (its phase table printed as
 * `biaslab sweep` prints it) and one small real-data phase diagram (fc-tanh, MSE), then the report.
 */
export async function runCompactJob(
  io: CliIo,
  dir: string,
  options: { workers: number; quiet: boolean },
): Promise<void> {
  const result = await reproduce(
    [
      { name: 'dln-onepoint', full: false },
      { name: 'phase-diagram', full: false, facts: { ...imageDatasetFact(), compact: true } },
    ],
    dir,
    'biaslab main job: diagonal network and a small real-data phase diagram',
    { io, workers: options.workers, quiet: options.quiet },
  );
  const dln = result.results.get('dln-onepoint/sweep')!;
  const config = dln.manifest.config as {
    breakPoint: { stability: number; drop: number };
    stop: { epsilon: number };
  };
  const passed = result.verdicts.filter((v) => v.verdict.pass).length;
  io.out(
    `${[
      'Main job, part 1: shared diagonal network (α = 0.1) on x = (1, 0.2), y = 1, β* = (0.7, 1.5).',
      ...pointSections(dln.points),
      breakPointRuleLine(config.breakPoint),
      `loss normalisation: ${LOSS_NORMALISATION.mse}`,
      `S = max |λ(∇²L)| at the final θ; runs stop when L < ε for K consecutive steps (ε = ${fmt(config.stop.epsilon)}).`,
      '',
      'Main job, part 2: a small real-data phase diagram; theory and verdicts for both parts:',
      ...result.lines,
      '',
      `${passed}/${result.verdicts.length} verdicts hold`,
      `report: ${result.reportPath}`,
      `results: ${dir} (${fmt(result.seconds, 3)} s)`,
    ].join('\n')}\n`,
  );
}

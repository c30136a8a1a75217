import type { ExperimentResult } from '@biaslab/lab';
import { imageDatasetFact } from './image-data';
import { reproduce } from './reproduce';
import type { ReproduceResult } from './reproduce';
import type { RunPlanOptions } from './run-plan';

/** The name of the compact reproduction that `pnpm start` runs (`biaslab reproduce main`). */
export const MAIN_JOB_NAME = 'main';

/** Options of {@link runMainJob}. */
export interface MainJobOptions extends RunPlanOptions {
  /** The reproduce directory (rerun into it to resume). */
  readonly out: string;
}

/** What the main job ran and concluded. */
export interface MainJobResult extends ReproduceResult {
  /** Part 1, the one-point diagonal-network sweep, as the lab returned it (its phase table). */
  readonly sweep: ExperimentResult;
}

/**
 * The compact reproduction: the one-point diagonal-network sweep (`dln-onepoint`) and one small real-data
 * phase diagram (fc-tanh, MSE, on Fashion-MNIST when installed, else the 8×8 digits), then the report.
 */
export async function runMainJob(options: MainJobOptions): Promise<MainJobResult> {
  const result = await reproduce(
    [
      { name: 'dln-onepoint', full: false },
      { name: 'phase-diagram', full: false, facts: { ...imageDatasetFact(), compact: true } },
    ],
    options.out,
    'biaslab main job: diagonal network and a small real-data phase diagram',
    options,
  );
  return { ...result, sweep: result.results.get('dln-onepoint/sweep')! };
}

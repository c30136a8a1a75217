// What a script needs to run a reproduction without the CLI: a registry of the built-in plugins and, for more
// than one worker, a worker script that builds the same registry.
import { fileURLToPath } from 'node:url';
import { Registry } from '@biaslab/core';
import { datasetsPlugin } from '@biaslab/datasets';
import { metricsPlugin } from '@biaslab/metrics';
import { modelsPlugin } from '@biaslab/models';
import { optimizersPlugin } from '@biaslab/optimizers';
import type { WorkerScript } from '@biaslab/lab';

/** A registry of the built-in models, datasets, optimizers and metrics. */
export function builtInRegistry(): Registry {
  return new Registry().use(modelsPlugin).use(datasetsPlugin).use(optimizersPlugin).use(metricsPlugin);
}

/** The forked workers' script (`worker.ts` beside this file). */
export const WORKER: WorkerScript = {
  script: fileURLToPath(new URL('./worker.ts', import.meta.url)),
  payload: null,
};

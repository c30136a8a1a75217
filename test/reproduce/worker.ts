// The worker process of the reproduction tests that run with more than one worker.
import { serveWorker } from '@biaslab/lab';
import { builtInRegistry } from './plugins';

await serveWorker(() => builtInRegistry());

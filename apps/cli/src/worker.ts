#!/usr/bin/env node
// The worker process of `biaslab run|sweep --workers N`: builds the same Registry as the parent (built-in
// plugins plus the experiment's plugin modules) and serves tasks (see `serveWorker` of @biaslab/lab).
import { serveWorker } from '@biaslab/lab';
import { createRegistry } from './registry';

/** What the parent sends to build the Registry. */
interface WorkerPayload {
  readonly plugins: readonly string[];
  readonly cwd: string;
}

await serveWorker((payload: WorkerPayload) => createRegistry(payload.plugins, payload.cwd));

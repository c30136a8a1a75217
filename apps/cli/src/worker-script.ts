import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The worker module beside this one: `worker.ts` when running from sources, `worker.js` in `dist` (a
 * build entry of its own).
 */
export function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  return fileURLToPath(new URL(`./worker${extname(here)}`, import.meta.url));
}

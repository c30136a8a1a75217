import { join } from 'node:path';

/** The manifest of an experiment directory. */
export const MANIFEST_FILE = 'manifest.json';
/** One summary row per finished run, rebuilt from the run files' final rows. */
export const SUMMARY_FILE = 'summary.jsonl';
/** The directory of the run files. */
export const RUNS_DIR = 'runs';

/** What has a file of its own in an experiment directory: a training run or a gradient flow. */
export type TaskFileKind = 'run' | 'flow';

/** The file of a run (`000-eta0.1` → `runs/000-eta0.1.jsonl`) or a flow (`flow`, `flows/f01`) by its id. */
export function taskFilePath(dir: string, kind: TaskFileKind, id: string): string {
  return kind === 'run' ? join(dir, RUNS_DIR, `${id}.jsonl`) : join(dir, `${id}.jsonl`);
}

import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { BiaslabError } from '@biaslab/core';
import { MANIFEST_FILE, RUNS_DIR, SUMMARY_FILE, taskFilePath } from './experiment-files';
import type { TaskFileKind } from './experiment-files';
import { toJson } from './json-lines';
import type { ExperimentManifest } from './manifest';
import type { FlowFinalRow } from './flow-rows';
import type { RunFinalRow, SummaryRow } from './run-rows';
import { readFinalRow, readManifest } from './results-reader';

/** Appends whole lines to one JSON Lines file; `close` when the task ends. */
export interface LineWriter {
  append(row: unknown): void;
  close(): void;
}

/**
 * The writer of an experiment directory:
 * - `manifest.json`: the resolved configuration, grid points, versions, seeds, dtype, loss normalisation,
 *   machine, start and resume times (temp file + rename);
 * - `flow.jsonl` (or `flows/fNN.jsonl`, one per distinct flow of a grid): the gradient-flow path, then one
 *   `{"type":"final"}` row;
 * - `runs/<id>.jsonl`: one run's series rows, then one `{"type":"final"}` row;
 * - `summary.jsonl`: one row per finished run, rebuilt from the run files' final rows (temp file + rename).
 *
 * Crash safety: each JSON Lines row is one `write` of a whole line ending in a newline, so a process killed
 * at any moment leaves at most a torn last line, which readers ignore; a run file without its final row is
 * recomputed from scratch; files that are replaced (manifest, summary) are written to a temporary file and
 * renamed over the old one, which is atomic. One process at a time may write a directory (`.lock`).
 */
export class ResultsStore {
  readonly dir: string;
  private locked = false;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Opens (creating if needed) an experiment directory for writing. */
  static open(dir: string): ResultsStore {
    try {
      mkdirSync(join(dir, RUNS_DIR), { recursive: true });
    } catch (error) {
      throw new BiaslabError(
        'RESULTS',
        `Cannot create the results directory \`${dir}\`: ${(error as Error).message}. Choose another \`out\` directory.`,
        {},
        { cause: error },
      );
    }
    return new ResultsStore(dir);
  }

  get manifestPath(): string {
    return join(this.dir, MANIFEST_FILE);
  }

  get summaryPath(): string {
    return join(this.dir, SUMMARY_FILE);
  }

  private get lockPath(): string {
    return join(this.dir, '.lock');
  }

  /** The file of a run (`000-eta0.1`) or a flow (`flow`, `flows/f01`) by its id. */
  pathOf(kind: TaskFileKind, id: string): string {
    return taskFilePath(this.dir, kind, id);
  }

  /**
   * Takes the directory for this process. A lock held by a live process is an error; a lock left by a
   * killed one is taken over. Temporary files of killed writers are removed.
   */
  lock(): void {
    if (existsSync(this.lockPath)) {
      const pid = Number(readFileSync(this.lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new BiaslabError(
          'RESULTS',
          `\`${this.dir}\` is being written by another biaslab process (pid ${pid}). Wait for it to finish, stop it, ` +
            'or choose another `out` directory.',
        );
      }
    }
    writeFileSync(this.lockPath, `${process.pid}\n`);
    this.locked = true;
    for (const dir of [this.dir, join(this.dir, RUNS_DIR), join(this.dir, 'flows')]) {
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir))
        if (name.endsWith('.tmp')) rmSync(join(dir, name), { force: true });
    }
  }

  /** Releases the lock taken by `lock`. */
  unlock(): void {
    if (this.locked) rmSync(this.lockPath, { force: true });
    this.locked = false;
  }

  /** The manifest (checked), when the directory has one. */
  readManifest(): ExperimentManifest | undefined {
    return readManifest(this.dir);
  }

  /** Writes the manifest atomically. */
  writeManifest(manifest: ExperimentManifest): void {
    atomicWrite(this.manifestPath, `${toJson(manifest, 2)}\n`);
  }

  /** The final row of a run's or a flow's file (every row checked), when it has one. */
  readFinal(kind: 'run', id: string): RunFinalRow | undefined;
  readFinal(kind: 'flow', id: string): FlowFinalRow | undefined;
  readFinal(kind: TaskFileKind, id: string): RunFinalRow | FlowFinalRow | undefined;
  readFinal(kind: TaskFileKind, id: string): RunFinalRow | FlowFinalRow | undefined {
    return readFinalRow(this.dir, kind, id);
  }

  /** Starts (or restarts, dropping a partial file) a JSON Lines file and returns its line writer. */
  begin(path: string): LineWriter {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'w');
    let open = true;
    return {
      append(row) {
        if (!open) throw new BiaslabError('INTERNAL', `\`${path}\` is closed`);
        writeWhole(fd, `${toJson(row)}\n`);
      },
      close() {
        if (open) closeSync(fd);
        open = false;
      },
    };
  }

  /** Replaces `summary.jsonl` with `rows` (temp file + rename). */
  writeSummary(rows: readonly SummaryRow[]): void {
    atomicWrite(this.summaryPath, rows.map((row) => `${toJson(row)}\n`).join(''));
  }
}

/** Writes `text` to a temporary file beside `path` and renames it over `path`. */
export function atomicWrite(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}

/** One line in one `write` call (repeated only if the kernel wrote part of it). */
function writeWhole(fd: number, line: string): void {
  const bytes = Buffer.from(line, 'utf8');
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

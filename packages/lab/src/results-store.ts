import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { BiaslabError } from '@biaslab/core';
import { readJsonLines, toJson } from './json-lines';
import { formatEta } from './lr-grid';

/**
 * An experiment directory:
 * - `manifest.json`: the resolved configuration, versions, seeds, dtype, loss normalisation, machine, start time
 *   (written atomically: temp file + rename);
 * - `flow.jsonl`: the gradient-flow reference path, then one `{"type":"final"}` row;
 * - `runs/<index>-eta<η>.jsonl`: one run's series rows, then one `{"type":"final"}` row;
 * - `summary.jsonl`: one row per finished run.
 * JSON Lines files grow by whole appended lines, so a killed sweep leaves every finished run intact, and a run
 * file that has its final row is not recomputed on a rerun.
 */
export class ResultsStore {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Opens (creating if needed) an experiment directory. */
  static open(dir: string): ResultsStore {
    try {
      mkdirSync(join(dir, 'runs'), { recursive: true });
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
    return join(this.dir, 'manifest.json');
  }

  get flowPath(): string {
    return join(this.dir, 'flow.jsonl');
  }

  get summaryPath(): string {
    return join(this.dir, 'summary.jsonl');
  }

  /** The run file of the `index`-th learning rate. */
  runPath(index: number, eta: number): string {
    return join(this.dir, 'runs', `${String(index).padStart(3, '0')}-eta${formatEta(eta)}.jsonl`);
  }

  /** The manifest, when the directory has one. */
  readManifest(): Record<string, unknown> | undefined {
    if (!existsSync(this.manifestPath)) return undefined;
    try {
      return JSON.parse(readFileSync(this.manifestPath, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new BiaslabError(
        'RESULTS',
        `\`${this.manifestPath}\` is not valid JSON (${(error as Error).message}). Use a fresh \`out\` directory.`,
      );
    }
  }

  /** Writes the manifest atomically. */
  writeManifest(manifest: unknown): void {
    const temp = `${this.manifestPath}.${process.pid}.tmp`;
    writeFileSync(temp, `${toJson(manifest, 2)}\n`);
    renameSync(temp, this.manifestPath);
  }

  /** The final row of a JSON Lines file (a run or the flow), when it has one. */
  readFinal(path: string): Record<string, unknown> | undefined {
    return readJsonLines(path).find((row) => row.type === 'final');
  }

  /** Starts (or restarts, dropping a partial file) a JSON Lines file and returns its line appender. */
  begin(path: string): (row: unknown) => void {
    writeFileSync(path, '');
    return (row) => appendFileSync(path, `${toJson(row)}\n`);
  }

  /** The rows of `summary.jsonl`. */
  readSummary(): Record<string, unknown>[] {
    return readJsonLines(this.summaryPath);
  }

  /** Appends one summary row. */
  appendSummary(row: unknown): void {
    appendFileSync(this.summaryPath, `${toJson(row)}\n`);
  }
}

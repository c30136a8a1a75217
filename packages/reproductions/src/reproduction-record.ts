import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BiaslabError } from '@biaslab/core';
import { atomicWrite, toJson } from '@biaslab/results';

/** The file that marks a reproduce directory and records what ran in it. */
export const REPRODUCTION_FILE = 'reproduction.json';

/** One reproduction recorded in a reproduce directory. */
export interface RecordedReproduction {
  readonly name: string;
  readonly full: boolean;
  readonly facts: Readonly<Record<string, unknown>>;
  /** The experiments' descriptions (sizes, ε, step budgets). */
  readonly experiments: readonly { id: string; description: string }[];
}

/** The contents of `reproduction.json`. */
export interface ReproductionRecord {
  readonly biaslab: 'reproduction';
  readonly title: string;
  readonly reproductions: readonly RecordedReproduction[];
}

/** Writes `reproduction.json` (atomically). */
export function writeReproductionRecord(dir: string, record: ReproductionRecord): void {
  atomicWrite(join(dir, REPRODUCTION_FILE), `${toJson(record, 2)}\n`);
}

/** Reads `reproduction.json`, or null when `dir` is not a reproduce directory. */
export function readReproductionRecord(dir: string): ReproductionRecord | null {
  const path = join(dir, REPRODUCTION_FILE);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ReproductionRecord;
  } catch (error) {
    throw new BiaslabError(
      'RESULTS',
      `\`${path}\` is not valid JSON (${(error as Error).message}). Rerun the reproduction into the same directory.`,
      {},
      { cause: error },
    );
  }
}

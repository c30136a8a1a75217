import { join } from 'node:path';
import { z } from '@biaslab/core';
import { readJsonFile, toJson } from './json-lines';
import { atomicWrite } from './results-store';

/** The file that marks a reproduce directory and records what ran in it. */
export const REPRODUCTION_FILE = 'reproduction.json';

/** One reproduction recorded in a reproduce directory. */
export const recordedReproductionSchema = z.object({
  name: z.string(),
  full: z.boolean(),
  /** Facts the analysis needs beside the experiments (e.g. the data a reproduction drew). */
  facts: z.record(z.string(), z.unknown()),
  /** The experiments' ids (subdirectories) and descriptions (sizes, ε, step budgets). */
  experiments: z.array(z.object({ id: z.string(), description: z.string() })),
});
export type RecordedReproduction = z.infer<typeof recordedReproductionSchema>;

/** `reproduction.json`: the reproductions run in a reproduce directory. */
export const reproductionRecordSchema = z
  .object({
    biaslab: z.literal('reproduction'),
    title: z.string(),
    reproductions: z.array(recordedReproductionSchema),
  })
  .describe('reproduction record');
export type ReproductionRecord = z.infer<typeof reproductionRecordSchema>;

/** Writes `dir/reproduction.json` (atomically). */
export function writeReproductionRecord(dir: string, record: ReproductionRecord): void {
  atomicWrite(join(dir, REPRODUCTION_FILE), `${toJson(record, 2)}\n`);
}

/** Reads and checks `dir/reproduction.json`; null when `dir` is not a reproduce directory. */
export function readReproductionRecord(dir: string): ReproductionRecord | null {
  return readJsonFile(join(dir, REPRODUCTION_FILE), reproductionRecordSchema) ?? null;
}

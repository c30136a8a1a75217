import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BiaslabError } from '@biaslab/core';
import { atomicWrite, toJson } from '@biaslab/results';
import { writeReport } from '@biaslab/report';
import type { ReportSection, Verdict } from '@biaslab/report';
import { REPRODUCTIONS } from './catalogue';

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
      `\`${path}\` is not valid JSON (${(error as Error).message}). Rerun the reproduce command with the same \`--out\`.`,
      {},
      { cause: error },
    );
  }
}

/** What writing a reproduction report produced. */
export interface ReproductionReport {
  readonly reportPath: string;
  readonly verdicts: readonly { reproduction: string; verdict: Verdict }[];
  readonly lines: readonly string[];
}

/**
 * Analyses every reproduction recorded in `dir` from its experiment directories (nothing is trained), and
 * writes `dir/figures/*` and the self-contained `dir/report.html`: one section per reproduction with its
 * sizes, figures, tables and verdicts, a summary of every verdict first.
 */
export async function writeReproductionReport(
  dir: string,
  record: ReproductionRecord,
): Promise<ReproductionReport> {
  const figuresDir = join(dir, 'figures');
  const sections: ReportSection[] = [];
  const verdicts: { reproduction: string; verdict: Verdict }[] = [];
  const lines: string[] = [];
  for (const entry of record.reproductions) {
    const reproduction = REPRODUCTIONS.find((r) => r.name === entry.name);
    if (!reproduction) {
      throw new BiaslabError(
        'RESULTS',
        `\`${join(dir, REPRODUCTION_FILE)}\` names reproduction \`${entry.name}\`, which this biaslab does not know; known: ${REPRODUCTIONS.map((r) => `\`${r.name}\``).join(', ')}.`,
      );
    }
    const outcome = await reproduction.analyse({
      dir: join(dir, entry.name),
      figuresDir,
      full: entry.full,
      facts: entry.facts,
    });
    const sizes = entry.experiments.map((e) => `${e.id}: ${e.description}`);
    const [first, ...rest] = outcome.sections;
    sections.push(
      {
        ...first,
        text: [
          `Claim: ${reproduction.claim}`,
          `Scale: ${entry.full ? 'full (--full)' : 'small default'}. ${sizes.join(' · ')}`,
          ...(typeof first.text === 'string' ? [first.text] : (first.text ?? [])),
        ].filter((t) => t.length > 0),
      },
      ...rest,
    );
    for (const v of outcome.verdicts) verdicts.push({ reproduction: entry.name, verdict: v });
    lines.push(
      `${entry.name}:`,
      ...outcome.lines.map((l) => `  ${l}`),
      ...outcome.verdicts.map((v) => `  ${v.pass ? '✓' : '✗'} ${v.text}`),
    );
  }
  const passed = verdicts.filter((v) => v.verdict.pass).length;
  const summary: ReportSection = {
    heading: 'Verdicts',
    text: `${passed} of ${verdicts.length} claims hold on this data (computed from the runs; "not tested" means no run qualified).`,
    tables: [
      {
        columns: [
          { key: 'reproduction', label: 'reproduction', format: (v) => String(v) },
          { key: 'text', label: 'verdict', format: (v) => String(v) },
        ],
        rows: verdicts.map((v) => ({ reproduction: v.reproduction, text: v.verdict.text })),
      },
    ],
  };
  const manifests: Record<string, unknown> = { reproduction: record };
  const reportPath = await writeReport(dir, {
    title: record.title,
    sections: [summary, ...sections],
    manifest: manifests,
  });
  return { reportPath, verdicts, lines };
}

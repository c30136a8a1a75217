import { join } from 'node:path';
import { BiaslabError } from '@biaslab/core';
import type { Registry } from '@biaslab/core';
import { writeReport } from '@biaslab/report';
import type { ReportSection, Verdict } from '@biaslab/report';
import { REPRODUCTION_FILE } from '@biaslab/results';
import type { RecordedReproduction, ReproductionRecord } from '@biaslab/results';
import { REPRODUCTIONS, knownNames } from './catalogue';
import type { Reproduction, ReproductionOutcome } from './reproduction';

/** A verdict and the reproduction it belongs to. */
export interface ReproductionVerdict {
  readonly reproduction: string;
  readonly verdict: Verdict;
}

/** What writing a reproduction report produced. */
export interface ReproductionReport {
  readonly reportPath: string;
  readonly verdicts: readonly ReproductionVerdict[];
  /** Every reproduction's terminal lines, then its verdicts as `  ✓ text` / `  ✗ text`. */
  readonly lines: readonly string[];
}

/** What the analyses need besides the directory. */
export interface ReportOptions {
  /** The components the experiments ran with (analyses that regenerate training data load it here). */
  readonly registry: Registry;
}

/**
 * Analyses every reproduction recorded in `dir` from its experiment directories (nothing is trained), and
 * writes `dir/figures/*` and the self-contained `dir/report.html`: one section per reproduction with its
 * sizes, figures, tables and verdicts, a summary of every verdict first.
 */
export async function writeReproductionReport(
  dir: string,
  record: ReproductionRecord,
  options: ReportOptions,
): Promise<ReproductionReport> {
  const figuresDir = join(dir, 'figures');
  const sections: ReportSection[] = [];
  const verdicts: ReproductionVerdict[] = [];
  const lines: string[] = [];
  for (const entry of record.reproductions) {
    const reproduction = recordedReproduction(dir, entry);
    const outcome = await reproduction.analyse({
      dir: join(dir, entry.name),
      figuresDir,
      full: entry.full,
      facts: entry.facts,
      registry: options.registry,
    });
    sections.push(...withClaim(reproduction, entry, outcome));
    for (const v of outcome.verdicts) verdicts.push({ reproduction: entry.name, verdict: v });
    lines.push(
      `${entry.name}:`,
      ...outcome.lines.map((l) => `  ${l}`),
      ...outcome.verdicts.map((v) => `  ${v.pass ? '✓' : '✗'} ${v.text}`),
    );
  }
  const reportPath = await writeReport(dir, {
    title: record.title,
    sections: [verdictSummary(verdicts), ...sections],
    manifest: { reproduction: record },
  });
  return { reportPath, verdicts, lines };
}

function recordedReproduction(dir: string, entry: RecordedReproduction): Reproduction {
  const reproduction = REPRODUCTIONS.find((r) => r.name === entry.name);
  if (!reproduction) {
    throw new BiaslabError(
      'RESULTS',
      `\`${join(dir, REPRODUCTION_FILE)}\` names reproduction \`${entry.name}\`, which this biaslab does not know; known: ${knownNames()}.`,
    );
  }
  return reproduction;
}

/** The outcome's sections, the first opening with the claim and the sizes that ran. */
function withClaim(
  reproduction: Reproduction,
  entry: RecordedReproduction,
  outcome: ReproductionOutcome,
): ReportSection[] {
  const sizes = entry.experiments.map((e) => `${e.id}: ${e.description}`);
  const [first, ...rest] = outcome.sections;
  return [
    {
      ...first,
      text: [
        `Claim: ${reproduction.claim}`,
        `Scale: ${entry.full ? 'full (--full)' : 'small default'}. ${sizes.join(' · ')}`,
        ...(typeof first.text === 'string' ? [first.text] : (first.text ?? [])),
      ].filter((t) => t.length > 0),
    },
    ...rest,
  ];
}

/** The report's first section: every verdict in one table. */
function verdictSummary(verdicts: readonly ReproductionVerdict[]): ReportSection {
  const passed = verdicts.filter((v) => v.verdict.pass).length;
  return {
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
}

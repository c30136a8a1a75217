import { mkdirSync } from 'node:fs';
import { BiaslabError } from '@biaslab/core';
import type { ExperimentResult } from '@biaslab/lab';
import { REPRODUCTIONS } from './catalogue';
import type { Reproduction } from './reproduction';
import { runPlan } from './run-plan';
import type { RunPlanOptions } from './run-plan';
import { writeReproductionRecord, writeReproductionReport } from './reproduction-report';
import type { RecordedReproduction, ReproductionReport } from './reproduction-report';
import { join } from 'node:path';

/** One reproduction to run: its name, scale and (optionally) facts fixed by the caller. */
export interface ReproduceRequest {
  readonly name: string;
  readonly full: boolean;
  readonly facts?: Readonly<Record<string, unknown>>;
}

/** What `reproduce` returns: the report, and every experiment's lab result keyed `name/id`. */
export interface ReproduceResult extends ReproductionReport {
  readonly results: ReadonlyMap<string, ExperimentResult>;
  readonly seconds: number;
}

/** The reproduction called `name`, or a BiaslabError listing the known names. */
export function findReproduction(name: string): Reproduction {
  const found = REPRODUCTIONS.find((r) => r.name === name);
  if (!found) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `Unknown reproduction \`${name}\`; known: ${REPRODUCTIONS.map((r) => `\`${r.name}\``).join(', ')}.`,
    );
  }
  return found;
}

/**
 * Runs the experiments of each requested reproduction into `dir/<name>/<id>` (resumable), records them in
 * `dir/reproduction.json`, then analyses the data and writes `dir/report.html` and `dir/figures/`.
 */
export async function reproduce(
  requests: readonly ReproduceRequest[],
  dir: string,
  title: string,
  options: RunPlanOptions,
): Promise<ReproduceResult> {
  const started = performance.now();
  mkdirSync(dir, { recursive: true });
  const recorded: RecordedReproduction[] = [];
  const plans = requests.map((request) => {
    const reproduction = findReproduction(request.name);
    const facts = request.facts ?? reproduction.facts?.(request.full) ?? {};
    const experiments = reproduction.experiments(request.full, facts);
    recorded.push({
      name: reproduction.name,
      full: request.full,
      facts,
      experiments: experiments.map((e) => ({ id: e.id, description: e.description })),
    });
    return { reproduction, experiments };
  });
  const record = { biaslab: 'reproduction' as const, title, reproductions: recorded };
  writeReproductionRecord(dir, record);
  const results = new Map<string, ExperimentResult>();
  for (const { reproduction, experiments } of plans) {
    for (const plan of experiments) {
      results.set(
        `${reproduction.name}/${plan.id}`,
        await runPlan(plan, join(dir, reproduction.name), options),
      );
    }
  }
  const report = await writeReproductionReport(dir, record);
  return { ...report, results, seconds: (performance.now() - started) / 1000 };
}

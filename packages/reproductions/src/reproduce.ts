import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentResult } from '@biaslab/lab';
import { writeReproductionRecord } from '@biaslab/results';
import type { RecordedReproduction, ReproductionRecord } from '@biaslab/results';
import { findReproduction } from './catalogue';
import { runPlan } from './run-plan';
import type { RunPlanOptions } from './run-plan';
import { writeReproductionReport } from './reproduction-report';
import type { ReproductionReport } from './reproduction-report';
import type { ExperimentPlan, Reproduction } from './reproduction';

/** One reproduction to run: its name, scale and (optionally) facts fixed by the caller. */
export interface ReproduceRequest {
  readonly name: string;
  readonly full: boolean;
  readonly facts?: Readonly<Record<string, unknown>>;
}

/** What `reproduce` returns: the report, and every experiment's lab result keyed `name/id`. */
export interface ReproduceResult extends ReproductionReport {
  readonly results: ReadonlyMap<string, ExperimentResult>;
  /** Wall-clock seconds of the whole reproduction. */
  readonly seconds: number;
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
  const plans = requests.map(planOf);
  mkdirSync(dir, { recursive: true });
  const record: ReproductionRecord = {
    biaslab: 'reproduction',
    title,
    reproductions: plans.map((p) => p.recorded),
  };
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
  const report = await writeReproductionReport(dir, record, { registry: options.registry });
  return { ...report, results, seconds: (performance.now() - started) / 1000 };
}

function planOf(request: ReproduceRequest): {
  reproduction: Reproduction;
  experiments: readonly ExperimentPlan[];
  recorded: RecordedReproduction;
} {
  const reproduction = findReproduction(request.name);
  const facts = request.facts ?? reproduction.facts?.(request.full) ?? {};
  const experiments = reproduction.experiments(request.full, facts);
  const recorded = {
    name: reproduction.name,
    full: request.full,
    facts,
    experiments: experiments.map((e) => ({ id: e.id, description: e.description })),
  };
  return { reproduction, experiments, recorded };
}

/** Options of {@link runReproduction}. */
export interface RunReproductionOptions extends RunPlanOptions {
  /** The reproduce directory: experiments in `out/<name>/<id>`, `out/report.html`; rerun into it to resume. */
  readonly out: string;
  /** The paper's scale (hours) instead of the small default sized for two cores (minutes). */
  readonly full?: boolean;
  /** The report's title (default `biaslab reproduce NAME`, with ` --full` at the paper's scale). */
  readonly title?: string;
}

/**
 * Runs the reproduction called `name` (one of `REPRODUCTIONS`) into `options.out`: its experiments,
 * then the analysis, the figures, `report.html` and the verdicts, computed from the data.
 */
export function runReproduction(name: string, options: RunReproductionOptions): Promise<ReproduceResult> {
  const full = options.full === true;
  const title = options.title ?? `biaslab reproduce ${name}${full ? ' --full' : ''}`;
  return reproduce([{ name, full }], options.out, title, options);
}

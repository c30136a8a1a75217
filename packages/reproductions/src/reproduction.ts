import type { Registry } from '@biaslab/core';
import type { ExperimentInput } from '@biaslab/lab';
import type { ReportSection, Verdict } from '@biaslab/report';

/** One lab experiment of a reproduction: a directory name, a configuration and its sizes in words. */
export interface ExperimentPlan {
  /** Directory name under the reproduction's directory, e.g. `sweep`. */
  readonly id: string;
  readonly config: ExperimentInput;
  /** Sizes, ε and step budget in words, printed before the run and in the report. */
  readonly description: string;
}

/** What a reproduction concluded: report sections (figures written already) and every verdict. */
export interface ReproductionOutcome {
  readonly sections: readonly ReportSection[];
  readonly verdicts: readonly Verdict[];
  /** Short lines for the terminal (numbers worth seeing without opening the report). */
  readonly lines: readonly string[];
}

/** Where a reproduction's analysis reads and writes. */
export interface AnalysisContext {
  /** The reproduction's directory: its experiments are `dir/<id>`. */
  readonly dir: string;
  /** Where figures go (`<report dir>/figures`). */
  readonly figuresDir: string;
  readonly full: boolean;
  /** Environment facts the plans depend on (e.g. which dataset was found). */
  readonly facts: Readonly<Record<string, unknown>>;
  /** The components the experiments ran with (an analysis that regenerates training data loads it here). */
  readonly registry: Registry;
}

/**
 * A claim of docs/science.md as a reproduction: the lab experiments it needs (small by default, the paper's
 * scale with `full`) and an analysis that reads their directories back, computes the theory overlay, draws the
 * figures and decides the verdicts from the data. Analysis never trains, so a report can be rebuilt from disk.
 */
export interface Reproduction {
  readonly name: string;
  readonly title: string;
  /** The claim in one sentence. */
  readonly claim: string;
  /** Facts about the machine the plans depend on (recorded so the report is rebuilt the same way). */
  facts?(full: boolean): Record<string, unknown>;
  experiments(full: boolean, facts: Readonly<Record<string, unknown>>): readonly ExperimentPlan[];
  analyse(context: AnalysisContext): Promise<ReproductionOutcome>;
}

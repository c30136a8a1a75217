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
}

/**
 * A claim of SCIENCE.md as a command: the lab experiments it needs (small by default, the paper's scale
 * with `full`) and an analysis that reads their directories back, computes the theory overlay, draws the
 * figures and decides the verdicts from the data. Analysis never trains, so `biaslab report` can redo it.
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

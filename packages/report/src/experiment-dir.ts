import { readExperiment } from '@biaslab/results';
import type { ExperimentRecord, FlowRecord, ReadRow, RunRecord, ExperimentManifest } from '@biaslab/results';
import type { SweepPoint } from './sweep-point';
import { flowFinalSharpness } from './regimes';

/** A finished run as the report draws it: its record (final row, series) and its sweep-point numbers. */
export interface ExperimentRun extends RunRecord, SweepPoint {
  /** Grid point index (0 without a grid). */
  readonly point: number;
  readonly seed: number;
}

/** The gradient-flow reference of a point, with the numbers the report marks. */
export interface FlowReference extends FlowRecord {
  readonly sGF: number;
  readonly etaC: number | null;
  /**
   * S at the flow's last iterate, S(θ_GF(t_ε)): the sharpness flow-aligned runs end at (the final row's
   * `sFinal`, else the last estimate along the path). Equal to s_GF when the flow sharpens to the end.
   */
  readonly sFinal: number | null;
  readonly status: string;
}

/** A grid point (one implicit point without a grid) with its flow and its runs by η. */
export interface ExperimentPoint {
  readonly index: number;
  readonly label: string;
  readonly grid: Readonly<Record<string, unknown>>;
  readonly flow: FlowReference | null;
  readonly runs: readonly ExperimentRun[];
}

/** An experiment directory as the report sees it. */
export interface ExperimentData {
  readonly dir: string;
  readonly manifest: ReadRow<ExperimentManifest>;
  readonly points: readonly ExperimentPoint[];
  /** Run files without a final row (interrupted): not reported. */
  readonly unfinished: readonly string[];
}

/**
 * Reads a biaslab experiment directory with `@biaslab/results` (every row checked, torn last lines skipped,
 * unknown keys kept; series and flow paths included) and turns it into what the figures and verdicts read.
 */
export function readExperimentDir(dir: string): ExperimentData {
  return experimentData(readExperiment(dir, { series: true }));
}

/** The report's view of an experiment record (read with `series: true` for trajectories and flow paths). */
export function experimentData(record: ExperimentRecord): ExperimentData {
  return {
    dir: record.dir,
    manifest: record.manifest,
    points: record.points.map((p) => ({
      index: p.index,
      label: p.label,
      grid: p.grid,
      flow: p.flow ? flowReference(p.flow) : null,
      runs: p.runs.map(experimentRun),
    })),
    unfinished: record.unfinished,
  };
}

function flowReference(flow: FlowRecord): FlowReference {
  const { final } = flow;
  return {
    ...flow,
    sGF: final.sGF,
    etaC: final.etaC,
    sFinal: final.sFinal ?? flowFinalSharpness(flow.path),
    status: final.status,
  };
}

/**
 * The sweep-point numbers of a run: the final row's own fields, else the metric that measures the same thing
 * (‖θ‖₂, test loss and accuracies exist only as metrics); S is reported as |S|.
 */
function experimentRun(run: RunRecord): ExperimentRun {
  const { final } = run;
  const metric = (name: string) => final.metrics[name] ?? null;
  return {
    ...run,
    point: final.point,
    seed: final.seed,
    eta: final.eta,
    status: final.status,
    steps: final.steps,
    sharpness: abs(final.sharpness ?? metric('sharpness')),
    thetaL1: final.thetaL1 ?? metric('l1'),
    thetaL2: metric('l2'),
    betaL1: final.betaL1 ?? metric('beta-l1'),
    loss: final.loss,
    testLoss: metric('test-loss'),
    testError: final.testError ?? metric('test-error'),
    testAccuracy: metric('test-accuracy'),
    trainAccuracy: metric('train-accuracy'),
  };
}

function abs(x: number | null): number | null {
  return x === null ? null : Math.abs(x);
}

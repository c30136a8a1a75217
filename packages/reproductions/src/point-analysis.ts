import { divergenceBracket } from '@biaslab/lab';
import type { FlowSummary, RunStatus } from '@biaslab/results';
import { observedBreakPoint } from './break-point';
import type { BreakPointRule } from './break-point';

/** A finished run as the analysis sees it. */
export interface AnalysedRun {
  readonly eta: number;
  readonly status: RunStatus;
  readonly sharpness: number | null;
}

/** The predicted and observed regime change of one grid point. */
export interface PointAnalysis {
  /** Predicted η_c = 2/s_GF, when the flow ran. */
  readonly etaC: number | null;
  readonly sGF: number | null;
  /**
   * Observed break point: the smallest converged η whose final S sits at the stability threshold
   * (S·η/2 > `stability`) and, with a flow, has also dropped below the sharpness flow-aligned runs end at, the
   * flow's final S (S < (1 − `drop`)·S_flow; S_flow = s_GF when the flow sharpens to the end, as with MSE).
   * Both are needed: just below η_c a flow-aligned run already has S·η/2 = s_GF·η/2 close to 1.
   * Null when no converged run qualifies.
   */
  readonly breakEta: number | null;
  /** The largest converged η below the break point (the last flow-aligned one). */
  readonly lastAligned: number | null;
  /** observed / predicted: breakEta / η_c. */
  readonly ratio: number | null;
  /** The divergence edge bracket: largest non-diverged η below the smallest diverged η. */
  readonly edge: { readonly below: number; readonly above: number } | null;
  readonly counts: Readonly<Record<RunStatus, number>>;
}

/**
 * Predicted η_c beside the observed break point of final sharpness vs η (Matveev et al. 2025: flow-aligned
 * below η_c with S ≈ s_GF, S ≈ 2/η above it). Only converged runs enter the break point; capped runs have
 * not finished and diverged ones have no final S.
 */
export function analysePoint(
  runs: readonly AnalysedRun[],
  flow: Pick<FlowSummary, 'sGF' | 'etaC' | 'sFinal'> | undefined,
  rule: BreakPointRule,
): PointAnalysis {
  const sFlow = flow && Number.isFinite(flow.sFinal) ? flow.sFinal! : flow?.sGF;
  const { breakEta, lastAligned } = observedBreakPoint(runs, sFlow, rule);
  const counts = { converged: 0, capped: 0, diverged: 0 };
  for (const r of runs) counts[r.status]++;
  return {
    etaC: flow?.etaC ?? null,
    sGF: flow?.sGF ?? null,
    breakEta,
    lastAligned,
    ratio: breakEta !== null && flow && flow.etaC !== null ? breakEta / flow.etaC : null,
    edge: divergenceBracket(runs) ?? null,
    counts,
  };
}

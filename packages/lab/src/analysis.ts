import type { RunStatus } from './stop-rules';
import { divergenceBracket } from './refine';

/** The rule that marks where final sharpness leaves the flow-aligned regime. */
export interface BreakPointRule {
  /** S·η/2 above this: the run ended at the Edge of Stability. */
  readonly stability: number;
  /** S below (1 − drop)·S_flow: the run ended flatter than the flow (S_flow: the flow's final S). */
  readonly drop: number;
}

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
  flow: { readonly sGF: number; readonly etaC: number; readonly sFinal?: number } | undefined,
  rule: BreakPointRule,
): PointAnalysis {
  const sFlow = flow && Number.isFinite(flow.sFinal) ? flow.sFinal! : flow?.sGF;
  const converged = runs
    .filter((r) => r.status === 'converged' && r.sharpness !== null)
    .sort((a, b) => a.eta - b.eta);
  const broken = (r: AnalysedRun) =>
    (r.sharpness! * r.eta) / 2 > rule.stability &&
    (sFlow === undefined || r.sharpness! < (1 - rule.drop) * sFlow);
  const at = converged.findIndex(broken);
  const breakEta = at < 0 ? null : converged[at].eta;
  const lastAligned =
    at > 0 ? converged[at - 1].eta : at < 0 && converged.length > 0 ? converged.at(-1)!.eta : null;
  const counts = { converged: 0, capped: 0, diverged: 0 };
  for (const r of runs) counts[r.status]++;
  return {
    etaC: flow?.etaC ?? null,
    sGF: flow?.sGF ?? null,
    breakEta,
    lastAligned,
    ratio: breakEta !== null && flow ? breakEta / flow.etaC : null,
    edge: divergenceBracket(runs) ?? null,
    counts,
  };
}

import { experimentSchema } from '@biaslab/lab';
import type { BreakPointFinder } from '@biaslab/report';
import type { ExperimentManifest } from '@biaslab/results';

/** When a converged run counts as having left the flow-aligned regime (the experiment's `breakPoint` option). */
export interface BreakPointRule {
  /** S·η/2 above this: the run ended at the Edge of Stability … */
  readonly stability: number;
  /** … and S below (1 − drop)·S_flow (the flow's final S): it ended flatter than the flow. */
  readonly drop: number;
}

/**
 * The thresholds an experiment records when its configuration sets none (S·η/2 > 0.8, S < 0.95·S_flow). The
 * numbers live once, as the defaults of the lab's experiment schema, which writes them into every manifest.
 */
export const DEFAULT_BREAK_POINT_RULE: BreakPointRule = experimentSchema.shape.breakPoint.parse(undefined);

/** The observed regime change of a sweep. */
export interface BreakPoint {
  /** Smallest converged η that left the flow-aligned regime; null when none did. */
  readonly breakEta: number | null;
  /** Largest converged η below it (the last flow-aligned one); without a break, the largest converged η. */
  readonly lastAligned: number | null;
}

/**
 * Observed break point of final sharpness vs η (Matveev et al. 2025): the smallest converged η whose final
 * S has S·η/2 > `stability` and, with a flow reference, S < (1 − `drop`)·sFlow. Both are needed: just below
 * η_c a flow-aligned run already has S·η/2 close to 1. `sFlow` is the sharpness flow-aligned runs end at, the
 * flow's final S(θ_GF(t_ε)): s_GF when the flow sharpens to the end (MSE), lower when its sharpness peaks
 * mid-path (cross-entropy). Capped and diverged runs never enter: they have no finished final S.
 */
export function observedBreakPoint(
  runs: readonly { readonly eta: number; readonly status: string; readonly sharpness: number | null }[],
  sFlow: number | null | undefined,
  rule: BreakPointRule = DEFAULT_BREAK_POINT_RULE,
): BreakPoint {
  const converged = runs
    .filter((r) => r.status === 'converged' && r.sharpness !== null && Number.isFinite(r.eta))
    .sort((a, b) => a.eta - b.eta);
  const at = converged.findIndex(
    (r) =>
      (r.sharpness! * r.eta) / 2 > rule.stability &&
      (sFlow === null || sFlow === undefined || r.sharpness! < (1 - rule.drop) * sFlow),
  );
  if (at < 0) return { breakEta: null, lastAligned: converged.at(-1)?.eta ?? null };
  return { breakEta: converged[at].eta, lastAligned: at > 0 ? converged[at - 1].eta : null };
}

/**
 * The break-point rule an experiment recorded: its manifest's `config.breakPoint`, which the lab's experiment
 * schema fills with the defaults and the results reader checks.
 */
export function breakPointRuleOf(manifest: Pick<ExperimentManifest, 'config'>): BreakPointRule {
  return manifest.config.breakPoint;
}

/**
 * The rule as `@biaslab/report`'s `reportFromExperimentDir` takes it (the report sits below the science, so
 * it is handed the rule instead of importing it): each experiment's recorded thresholds, in words and applied.
 */
export const breakPointFinder: BreakPointFinder = {
  describe(manifest) {
    const rule = breakPointRuleOf(manifest);
    return (
      `Observed break point: the smallest converged η with S·η/2 > ${rule.stability} and S < (1 − ${rule.drop})·S_flow, ` +
      "S_flow the flow's final sharpness S(θ_GF(t_ε)) (s_GF when the flow sharpens to the end)."
    );
  },
  find: (runs, sFlow, manifest) => observedBreakPoint(runs, sFlow, breakPointRuleOf(manifest)),
};

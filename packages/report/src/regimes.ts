import { formatNumber } from './format-number';
import type { SweepPoint } from './sweep-point';
import { verdict } from './verdict';
import type { Verdict } from './verdict';

/** When a converged run counts as having left the flow-aligned regime (as the lab's `breakPoint` option). */
export interface BreakPointRule {
  /** S·η/2 above this: ended at the Edge of Stability … */
  readonly stability: number;
  /** … and S below (1 − drop)·S_flow (the flow's final S): ended flatter than the flow. */
  readonly drop: number;
}

/** The lab's default break-point rule. */
export const DEFAULT_BREAK_POINT_RULE: BreakPointRule = { stability: 0.8, drop: 0.05 };

/** The observed regime change of a sweep. */
export interface BreakPoint {
  /** Smallest converged η that left the flow-aligned regime; null when none did. */
  readonly breakEta: number | null;
  /** Largest converged η below it (the last flow-aligned one). */
  readonly lastAligned: number | null;
}

/**
 * Observed break point of final sharpness vs η (Matveev et al. 2025): the smallest converged η whose final
 * S has S·η/2 > `stability` and, with a flow reference, S < (1 − `drop`)·sFlow (just below η_c a flow-aligned
 * run already has S·η/2 close to 1, so both are needed). `sFlow` is the sharpness flow-aligned runs end at:
 * the flow's final S(θ_GF(t_ε)) (`flowFinalSharpness`), which equals s_GF when the flow sharpens to the end
 * (MSE) and is below it when the flow's sharpness peaks mid-path (cross-entropy). Capped and diverged runs
 * never enter: they have no finished final S.
 */
export function observedBreakPoint(
  points: readonly SweepPoint[],
  sFlow: number | null,
  rule: BreakPointRule = DEFAULT_BREAK_POINT_RULE,
): BreakPoint {
  const converged = points
    .filter((p) => p.status === 'converged' && p.sharpness !== null && Number.isFinite(p.eta))
    .sort((a, b) => a.eta - b.eta);
  const at = converged.findIndex(
    (p) =>
      (p.sharpness! * p.eta) / 2 > rule.stability &&
      (sFlow === null || p.sharpness! < (1 - rule.drop) * sFlow),
  );
  if (at < 0) return { breakEta: null, lastAligned: converged.at(-1)?.eta ?? null };
  return { breakEta: converged[at].eta, lastAligned: at > 0 ? converged[at - 1].eta : null };
}

/**
 * The flow's final sharpness S(θ_GF(t_ε)): the last finite `sharpness` along the flow's path rows (the lab
 * always estimates S at the flow's last iterate), or null when the path has none. This, not s_GF (the maximum
 * along the path, which sets η_c = 2/s_GF), is the gradient-flow value a flow-aligned GD run is compared with.
 */
export function flowFinalSharpness(series: readonly Readonly<Record<string, unknown>>[]): number | null {
  for (let i = series.length - 1; i >= 0; i--) {
    const s = series[i].sharpness;
    if (typeof s === 'number' && Number.isFinite(s)) return Math.abs(s);
  }
  return null;
}

/** Tolerances of the paper's claims (SCIENCE.md, "Must hold"). */
export interface RegimeCriteria {
  /** Flow-aligned: |S − s_GF| ≤ tol·s_GF and |‖θ‖₁ − ‖θ_GF‖₁| ≤ tol·‖θ_GF‖₁ (default 0.03). */
  readonly flowTolerance: number;
  /** Edge of Stability: S·η/2 within this band (default [0.8, 1.1]). */
  readonly eosBand: readonly [number, number];
  /** |observed break / predicted η_c − 1| ≤ this (default 0.15). */
  readonly etaCTolerance: number;
  /** A norm counts as non-decreasing when next ≥ (1 − tol)·previous (default 1e-6, float round-off). */
  readonly monotoneTolerance: number;
}

/** The default criteria. */
export const DEFAULT_REGIME_CRITERIA: RegimeCriteria = {
  flowTolerance: 0.03,
  eosBand: [0.8, 1.1],
  etaCTolerance: 0.15,
  monotoneTolerance: 1e-6,
};

/** What the regime verdicts compare against. */
export interface RegimeReference {
  readonly etaC: number | null;
  readonly sGF: number | null;
  /**
   * The flow's final S(θ_GF(t_ε)) (`flowFinalSharpness`): when given, flow-aligned runs are compared with it
   * instead of s_GF (they differ when the flow's sharpness peaks before t_ε, as with cross-entropy).
   */
  readonly flowFinalS?: number | null;
  /** ‖θ‖₁ at the end of the gradient flow, when recorded. */
  readonly flowThetaL1?: number | null;
  readonly breakEta: number | null;
}

const pct = (x: number) => `${formatNumber(100 * x, 3)}%`;
const at = (p: SweepPoint) => `η = ${formatNumber(p.eta)}`;

/**
 * The claims of the two regimes, each computed from the converged runs: flow-aligned S (and ‖θ‖₁) near the
 * gradient-flow values below η_c (S against the flow's final S when `ref.flowFinalS` is given, else s_GF;
 * the verdict's label names which); S·η/2 in the EoS band above η_c; ‖β‖₁ and ‖θ‖₁ non-decreasing in η above
 * η_c; predicted η_c near the observed break point. A claim whose reference is missing (no flow) or whose
 * rows are empty is reported as not tested.
 */
export function regimeVerdicts(
  points: readonly SweepPoint[],
  ref: RegimeReference,
  criteria: RegimeCriteria = DEFAULT_REGIME_CRITERIA,
): Verdict[] {
  const converged = points.filter((p) => p.status === 'converged').sort((a, b) => a.eta - b.eta);
  const { etaC, sGF } = ref;
  const below = etaC === null ? [] : converged.filter((p) => p.eta < etaC);
  const above = etaC === null ? [] : converged.filter((p) => p.eta > etaC);
  const tol = criteria.flowTolerance;
  const [lo, hi] = criteria.eosBand;
  const out: Verdict[] = [];
  const finalS = ref.flowFinalS ?? null;
  const target = finalS ?? sGF;
  const targetName =
    finalS === null
      ? `s_GF${sGF === null ? '' : ` = ${formatNumber(sGF)}`}`
      : `the flow's final S(θ_GF(t_ε)) = ${formatNumber(finalS)} (s_GF = ${formatNumber(sGF)} sets η_c)`;
  out.push(
    verdict(
      `final S within ${pct(tol)} of ${targetName} for converged η < η_c`,
      target === null ? [] : below,
      (p) => p.sharpness !== null && Math.abs(p.sharpness - target!) <= tol * target!,
      // S·η/2 shows whether a run that missed the flow had already reached the stability threshold 2/η
      (p) =>
        `${at(p)} (S = ${formatNumber(p.sharpness)}, S·η/2 = ${p.sharpness === null ? '—' : formatNumber((p.sharpness * p.eta) / 2)})`,
    ),
  );
  const flowL1 = ref.flowThetaL1 ?? null;
  if (flowL1 !== null) {
    out.push(
      verdict(
        `final ‖θ‖₁ within ${pct(tol)} of the flow's ${formatNumber(flowL1)} for converged η < η_c`,
        below,
        (p) => p.thetaL1 != null && Math.abs(p.thetaL1 - flowL1) <= tol * flowL1,
        (p) => `${at(p)} (‖θ‖₁ = ${formatNumber(p.thetaL1)})`,
      ),
    );
  }
  out.push(
    verdict(
      `final S·η/2 within [${lo}, ${hi}] for converged η > η_c`,
      above,
      (p) => p.sharpness !== null && (p.sharpness * p.eta) / 2 >= lo && (p.sharpness * p.eta) / 2 <= hi,
      (p) => `${at(p)} (S·η/2 = ${p.sharpness === null ? '—' : formatNumber((p.sharpness * p.eta) / 2)})`,
    ),
  );
  for (const [name, value] of [
    ['‖β‖₁', (p: SweepPoint) => p.betaL1 ?? null],
    ['‖θ‖₁', (p: SweepPoint) => p.thetaL1 ?? null],
  ] as const) {
    if (!converged.some((p) => value(p) !== null)) continue;
    const pairs = above.slice(1).map((p, i) => [above[i], p] as const);
    out.push(
      verdict(
        `${name} non-decreasing in η over converged η > η_c (consecutive pairs)`,
        pairs,
        ([a, b]) =>
          value(a) !== null && value(b) !== null && value(b)! >= value(a)! * (1 - criteria.monotoneTolerance),
        ([a, b]) =>
          `${at(a)} → ${formatNumber(b.eta)} (${formatNumber(value(a))} → ${formatNumber(value(b))})`,
      ),
    );
  }
  const pair = etaC !== null && ref.breakEta !== null ? [{ etaC, breakEta: ref.breakEta }] : [];
  out.push(
    verdict(
      `predicted η_c = 2/s_GF within ${pct(criteria.etaCTolerance)} of the observed break point`,
      pair,
      (r) => Math.abs(r.breakEta / r.etaC - 1) <= criteria.etaCTolerance,
      (r) => `break ${formatNumber(r.breakEta)} = ${formatNumber(r.breakEta / r.etaC)} × η_c`,
    ),
  );
  return out;
}

import { formatNumber } from '@biaslab/results';
import type { SweepPoint } from './sweep-point';
import { verdict } from './verdict';
import type { Verdict } from './verdict';

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

/** Tolerances of the paper's claims (docs/science.md, "Regime verdicts": each threshold and why). */
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

import { regimeVerdicts, verdict } from '@biaslab/report';
import type { ExperimentPoint, Verdict } from '@biaslab/report';
import { formatNumber } from '@biaslab/results';
import { onePointPathBeta, onePointPathCoordinateAtLoss, onePointSharpness } from '@biaslab/theory';
import { convergedRuns, finalTheta } from './experiment-data';
import { PROBLEM, bestLimit, errorOf, square } from './dln-onepoint-overlay';
import type { LimitRow, OnePointOverlay } from './dln-onepoint-overlay';
import { relativeError, relativeGap } from './relative-error';
import { uShapeVerdict } from './u-shape';

/** Float64 agreement demanded where the theory is exact. */
export const EXACT_TOLERANCE = 1e-6;

/**
 * Every verdict of the one-point sweep: the regimes, the exact theory against the float64 computation, and
 * the error's U-shape between the two extreme interpolators.
 */
export function onePointVerdicts(
  point: ExperimentPoint,
  overlay: OnePointOverlay,
  rows: readonly LimitRow[],
): Verdict[] {
  const { etaC, sGF, breakEta, flowThetaL1 } = overlay;
  return [
    ...regimeVerdicts(point.runs, { etaC, sGF, breakEta, flowThetaL1 }),
    ...exactVerdicts(point, overlay),
    ...errorVerdicts(point, overlay, rows),
  ];
}

/** Exact theory against the float64 computations: the flow's path, s_GF and every final S. */
function exactVerdicts(point: ExperimentPoint, overlay: OnePointOverlay): Verdict[] {
  const { flowTheta, flowLoss, sGF, theory } = overlay;
  return [
    verdict(
      `RK4 flow's final β on the closed-form path β_i = α²e^{c xᵢ} at the same loss, to ${EXACT_TOLERANCE} (relative)`,
      flowTheta ? [flowTheta] : [],
      (w) =>
        relativeError(
          square(w),
          onePointPathBeta(PROBLEM, onePointPathCoordinateAtLoss(PROBLEM, flowLoss)),
        ) <= EXACT_TOLERANCE,
    ),
    verdict(
      `lab s_GF (RK4 + Lanczos) equals the closed-form s_GF = ${formatNumber(theory.sGF)} to ${EXACT_TOLERANCE}`,
      sGF === null ? [] : [sGF],
      (s) => relativeGap(s, theory.sGF) <= EXACT_TOLERANCE,
    ),
    verdict(
      `measured final S equals the closed-form Hessian spectrum at the final w to ${EXACT_TOLERANCE}, converged runs`,
      convergedRuns(point).filter((r) => finalTheta(r.final) && r.sharpness !== null),
      (r) =>
        relativeGap(r.sharpness!, Math.abs(onePointSharpness(PROBLEM.x, PROBLEM.y, finalTheta(r.final)!))) <=
        EXACT_TOLERANCE,
      (r) => `η = ${formatNumber(r.eta)}`,
    ),
  ];
}

/** The error's U-shape, the best limit against both interpolators, and nothing settling beyond η_max. */
function errorVerdicts(
  point: ExperimentPoint,
  overlay: OnePointOverlay,
  rows: readonly LimitRow[],
): Verdict[] {
  const { minL1, minS, etaMax } = overlay;
  const best = bestLimit(rows);
  return [
    uShapeVerdict('error ‖β − β*‖² vs η is U-shaped, minimum at neither end of the converged runs', [
      { name: 'GD', rows: rows.map((r) => ({ eta: r.eta, value: r.error })) },
    ]),
    verdict(
      'neither the min-ℓ1 nor the min-sharpness interpolator minimises the error: the best GD limit beats both',
      best
        ? [
            { name: 'min-ℓ1', e: errorOf(minL1.beta) },
            { name: 'min-sharpness', e: errorOf(minS.beta) },
          ]
        : [],
      (c) => best!.error! < c.e,
      (c) => `${c.name} error ${formatNumber(c.e)} ≤ best GD ${formatNumber(best?.error)}`,
    ),
    verdict(
      `no run settles beyond the stability edge η_max = 1/(2y·min x) = ${formatNumber(etaMax)}`,
      point.runs.filter((r) => r.eta > etaMax),
      (r) => r.status !== 'converged',
      (r) => `η = ${formatNumber(r.eta)} (${r.status})`,
    ),
  ];
}

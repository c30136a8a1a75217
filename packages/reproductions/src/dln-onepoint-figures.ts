import { lineChartSpec, sharpnessVsEtaSpec } from '@biaslab/report';
import type { ExperimentPoint, ReportFigure } from '@biaslab/report';
import { errorOf } from './dln-onepoint-overlay';
import type { LimitRow, OnePointOverlay } from './dln-onepoint-overlay';
import { figure } from './figure';

/** The one-point figures: final S vs η, ‖β‖₁ vs η beside the theory, and the error vs η. */
export async function onePointFigures(
  figuresDir: string,
  point: ExperimentPoint,
  overlay: OnePointOverlay,
  rows: readonly LimitRow[],
): Promise<ReportFigure[]> {
  const { etaC, sGF, breakEta, minL1, minS } = overlay;
  const markers = { etaC, sGF, breakEta };
  return [
    await figure(
      figuresDir,
      'dln-onepoint-sharpness',
      'Final S vs η with 2/η, s_GF, predicted η_c and the observed break point (shared diagonal network, one point).',
      sharpnessVsEtaSpec({ points: point.runs, ...markers, title: 'Diagonal network: final sharpness vs η' }),
    ),
    await figure(
      figuresDir,
      'dln-onepoint-l1',
      '‖β‖₁ of the GD limit vs η beside the theory’s prediction (flow limit below η_c, the S = 2/η interpolator above).',
      lineChartSpec({
        data: rows.flatMap((r) => [
          { eta: r.eta, value: r.betaL1, series: 'GD limit' },
          { eta: r.eta, value: r.predictedL1, series: 'theory' },
        ]),
        x: { field: 'eta', title: 'learning rate η', log: true },
        y: { field: 'value', title: '‖β‖₁' },
        series: { field: 'series', title: '' },
        rules: [
          ...(etaC ? [{ x: etaC, label: 'η_c = 2/s_GF' }] : []),
          { y: minL1.l1, label: 'min-ℓ1 interpolator' },
        ],
        title: 'Diagonal network: ‖β‖₁ vs η',
      }),
    ),
    await figure(
      figuresDir,
      'dln-onepoint-error',
      'Generalisation error ‖β − β*‖² vs η (flow-aligned runs sit at the flow limit’s error), with the min-ℓ1 and min-sharpness interpolators marked.',
      lineChartSpec({
        data: rows.map((r) => ({ eta: r.eta, value: r.error, series: 'GD limit' })),
        x: { field: 'eta', title: 'learning rate η', log: true },
        y: { field: 'value', title: '‖β − β*‖²', log: true },
        series: { field: 'series', title: '' },
        rules: [
          { y: errorOf(minL1.beta), label: 'min-ℓ1' },
          { y: errorOf(minS.beta), label: 'min-sharpness' },
          ...(etaC ? [{ x: etaC, label: 'η_c' }] : []),
        ],
        title: 'Diagonal network: generalisation vs η',
      }),
    ),
  ];
}

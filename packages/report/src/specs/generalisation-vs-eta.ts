import { FIGURE_CONFIG, STATUS_SHAPE, VEGA_LITE_SCHEMA, logDomain, titleBlock } from '../theme';
import type { FigureSpec } from '../theme';
import type { RegimeMarkers, SweepPoint } from '../sweep-point';
import { divergedNote, etaSeriesRows, spansDecades, subtitleLines } from './eta-series';
import type { EtaQuantity } from './eta-series';
import { etaRuleLayers, etaRuleRows, referenceDashScale } from './reference-rules';

/** Options of {@link generalisationVsEtaSpec}. */
export interface GeneralisationVsEtaOptions extends RegimeMarkers {
  readonly points: readonly SweepPoint[];
  readonly title?: string;
  readonly subtitle?: string | readonly string[];
  /** Label of the `testError` quantity (default `test error`; e.g. `‖β − β*‖²` with a ground truth). */
  readonly testErrorLabel?: string;
}

/** Error-like quantities (left axis), in legend order. */
function errorQuantities(testErrorLabel: string): EtaQuantity[] {
  return [
    { label: 'test loss', value: (p) => p.testLoss },
    { label: testErrorLabel, value: (p) => p.testError },
  ];
}

/** Accuracies (right axis, in [0, 1]). */
export const ACCURACY_QUANTITIES: readonly EtaQuantity[] = [
  { label: 'test accuracy', value: (p) => p.testAccuracy },
  { label: 'train accuracy', value: (p) => p.trainAccuracy },
];

/**
 * Generalisation vs learning rate: test loss / test error on the left axis and accuracies on the right axis
 * (each drawn when measured), log η axis, η_c and the observed break point marked. Claim: U-shaped test
 * error with its minimum at an intermediate η.
 */
export function generalisationVsEtaSpec(options: GeneralisationVsEtaOptions): FigureSpec {
  const errorLabel = options.testErrorLabel ?? 'test error';
  const errors = etaSeriesRows(options.points, errorQuantities(errorLabel), false);
  const accuracies = etaSeriesRows(options.points, ACCURACY_QUANTITIES, false);
  const rules = etaRuleRows(options);
  const etas = [...errors.rows, ...accuracies.rows].map((r) => r.eta).concat(rules.map((r) => r.eta));
  const labels = [...errorQuantities(errorLabel), ...ACCURACY_QUANTITIES]
    .map((q) => q.label)
    .filter(
      (l) => errors.rows.some((r) => r.quantity === l) || accuracies.rows.some((r) => r.quantity === l),
    );
  const x = {
    field: 'eta',
    type: 'quantitative',
    scale: etas.length > 0 ? logDomain(Math.min(...etas) / 1.25, Math.max(...etas) * 1.25) : { type: 'log' },
    title: 'learning rate η',
  };
  const color = { field: 'quantity', type: 'nominal', scale: { domain: labels }, title: 'quantity' };
  const logErrors = spansDecades(errors.rows.map((r) => r.value)) && errors.rows.every((r) => r.value > 0);
  const seriesLayer = (values: unknown[], y: Record<string, unknown>) => ({
    layer: [
      { mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color } },
      { mark: { type: 'point', filled: true, size: 45 }, encoding: { x, y, color, shape: STATUS_SHAPE } },
    ],
    data: { values },
  });
  const layers: Record<string, unknown>[] = [];
  if (errors.rows.length > 0) {
    layers.push(
      seriesLayer(errors.rows, {
        field: 'value',
        type: 'quantitative',
        scale: logErrors ? { type: 'log' } : { type: 'linear', zero: false },
        title: errors.rows.some((r) => r.quantity === 'test loss') ? `test loss / ${errorLabel}` : errorLabel,
      }),
    );
  }
  if (accuracies.rows.length > 0) {
    layers.push(
      seriesLayer(accuracies.rows, {
        field: 'value',
        type: 'quantitative',
        scale: { domain: [0, 1] },
        axis: { format: '.0%', orient: errors.rows.length > 0 ? 'right' : 'left' },
        title: 'accuracy',
      }),
    );
  }
  layers.push(...etaRuleLayers(options, referenceDashScale(rules.map((r) => r.reference))));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(
      options.title ?? 'Generalisation vs learning rate',
      options.subtitle ?? subtitleLines(divergedNote(errors.diverged)),
    ),
    config: FIGURE_CONFIG,
    layer: layers,
    resolve: { scale: { y: 'independent' } },
  } as unknown as FigureSpec;
}

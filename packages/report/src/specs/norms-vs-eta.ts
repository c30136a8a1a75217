import { FIGURE_CONFIG, STATUS_SHAPE, VEGA_LITE_SCHEMA, logDomain, titleBlock } from '../theme';
import type { FigureSpec } from '../theme';
import type { RegimeMarkers, SweepPoint } from '../sweep-point';
import { divergedNote, etaSeriesRows, spansDecades, subtitleLines } from './eta-series';
import type { EtaQuantity } from './eta-series';
import { etaRuleLayers, etaRuleRows, referenceDashScale } from './reference-rules';

/** Options of {@link normsVsEtaSpec}. */
export interface NormsVsEtaOptions extends RegimeMarkers {
  readonly points: readonly SweepPoint[];
  readonly title?: string;
  readonly subtitle?: string | readonly string[];
  /** y scale; default `log` when the values span more than a factor 30, else `linear`. */
  readonly yScale?: 'linear' | 'log';
}

/** The norms drawn, in legend order. */
export const NORM_QUANTITIES: readonly EtaQuantity[] = [
  { label: '‖θ‖₁', value: (p) => p.thetaL1 },
  { label: '‖θ‖₂', value: (p) => p.thetaL2 },
  { label: '‖β‖₁', value: (p) => p.betaL1 },
];

/**
 * Final parameter norms ‖θ‖₁, ‖θ‖₂ and the predictor norm ‖β‖₁ (those measured) vs learning rate on a log η
 * axis, with η_c and the observed break point marked. Claim: flat below η_c, rising above it.
 */
export function normsVsEtaSpec(options: NormsVsEtaOptions): FigureSpec {
  const { rows, diverged } = etaSeriesRows(options.points, NORM_QUANTITIES, options.yScale === 'log');
  const quantities = NORM_QUANTITIES.map((q) => q.label).filter((l) => rows.some((r) => r.quantity === l));
  const rules = etaRuleRows(options);
  const etas = [...rows.map((r) => r.eta), ...rules.map((r) => r.eta)];
  const log =
    options.yScale === 'log' || (options.yScale === undefined && spansDecades(rows.map((r) => r.value)));
  const values = log ? rows.filter((r) => r.value > 0) : rows;
  const x = {
    field: 'eta',
    type: 'quantitative',
    scale: etas.length > 0 ? logDomain(Math.min(...etas) / 1.25, Math.max(...etas) * 1.25) : { type: 'log' },
    title: 'learning rate η',
  };
  const y = {
    field: 'value',
    type: 'quantitative',
    scale: { type: log ? 'log' : 'linear', zero: false },
    title: 'final norm',
  };
  const color = { field: 'quantity', type: 'nominal', scale: { domain: quantities }, title: 'norm' };
  const dash = referenceDashScale(rules.map((r) => r.reference));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(
      options.title ?? 'Final norms vs learning rate',
      options.subtitle ?? subtitleLines(divergedNote(diverged)),
    ),
    config: FIGURE_CONFIG,
    layer: [
      { data: { values }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color } },
      {
        data: { values },
        mark: { type: 'point', size: 50, filled: true },
        encoding: { x, y, color, shape: STATUS_SHAPE },
      },
      ...etaRuleLayers(options, dash),
    ],
  } as unknown as FigureSpec;
}

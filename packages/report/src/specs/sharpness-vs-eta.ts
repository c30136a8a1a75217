import {
  FIGURE_CONFIG,
  REFERENCE_COLOUR,
  STATUS_COLOURS,
  STATUS_DOMAIN,
  VEGA_LITE_SCHEMA,
  logDomain,
  logSpace,
  positiveOrNull,
  titleBlock,
} from '../theme';
import type { FigureSpec } from '../theme';
import type { RegimeMarkers, SweepPoint } from '../sweep-point';
import {
  REFERENCE_STYLES,
  etaRuleLayers,
  etaRuleRows,
  referenceDashEncoding,
  referenceDashScale,
} from './reference-rules';

/** Options of {@link sharpnessVsEtaSpec}. */
export interface SharpnessVsEtaOptions extends RegimeMarkers {
  readonly points: readonly SweepPoint[];
  readonly title?: string;
  readonly subtitle?: string | readonly string[];
}

const MEASURED = 'final S';
const OFF_SCALE = 'diverged (off scale)';

/**
 * Final sharpness vs learning rate on log-log axes (the paper's phase diagram): the stability threshold 2/η,
 * the gradient-flow sharpness s_GF, vertical rules at the predicted η_c = 2/s_GF and the observed break point,
 * and one point per run coloured by status. Diverged runs have no meaningful final S: they are drawn as
 * triangles on the top edge, which the shape legend says; the subtitle says which line is which.
 */
export function sharpnessVsEtaSpec(options: SharpnessVsEtaOptions): FigureSpec {
  const { points, sGF } = options;
  const etas = points.map((p) => p.eta).filter((e) => positiveOrNull(e) !== null);
  const etaLo = Math.min(...etas, ...etaRuleRows(options).map((r) => r.eta));
  const etaHi = Math.max(...etas, ...etaRuleRows(options).map((r) => r.eta));
  const measured = points.filter((p) => p.status !== 'diverged' && positiveOrNull(p.sharpness) !== null);
  const curve =
    etas.length === 0 ? [] : logSpace(etaLo / 1.15, etaHi * 1.15, 64).map((eta) => ({ eta, y: 2 / eta }));
  const ys = [...measured.map((p) => p.sharpness as number), ...curve.map((c) => c.y)];
  if (positiveOrNull(sGF) !== null) ys.push(sGF as number);
  const ceiling = ys.length > 0 ? Math.max(...ys) * 1.6 : 1;
  const runRows = points
    .filter((p) => positiveOrNull(p.eta) !== null)
    .filter((p) => p.status === 'diverged' || positiveOrNull(p.sharpness) !== null)
    .map((p) => ({
      eta: p.eta,
      status: p.status,
      y: p.status === 'diverged' ? ceiling : p.sharpness,
      marker: p.status === 'diverged' ? OFF_SCALE : MEASURED,
    }));
  const refLabels = [REFERENCE_STYLES[0].label, ...etaRuleRows(options).map((r) => r.reference)];
  if (positiveOrNull(sGF) !== null) refLabels.push(REFERENCE_STYLES[1].label);
  const dash = referenceDashScale(refLabels);
  const yLo = ys.length > 0 ? Math.min(...ys) / 1.5 : 0.1;
  const x = {
    field: 'eta',
    type: 'quantitative',
    scale: logDomain(etaLo / 1.25, etaHi * 1.25),
    title: 'learning rate η',
  };
  const y = {
    field: 'y',
    type: 'quantitative',
    scale: logDomain(yLo, ceiling * 1.25),
    title: 'final sharpness S = max |λ(∇²L)|',
  };
  const strokeDash = referenceDashEncoding(dash);
  const layers: Record<string, unknown>[] = [
    {
      data: { values: curve.map((c) => ({ ...c, reference: REFERENCE_STYLES[0].label })) },
      mark: { type: 'line', color: REFERENCE_COLOUR, strokeWidth: 1.2, clip: true },
      encoding: { x, y, strokeDash },
    },
  ];
  if (positiveOrNull(sGF) !== null) {
    layers.push({
      data: { values: [{ y: sGF, reference: REFERENCE_STYLES[1].label }] },
      mark: { type: 'rule', color: REFERENCE_COLOUR, strokeWidth: 1.2 },
      encoding: { y, strokeDash },
    });
  }
  layers.push(...etaRuleLayers(options, dash));
  layers.push({
    data: { values: runRows },
    mark: { type: 'point', filled: true, size: 70, opacity: 0.9 },
    encoding: {
      x,
      y,
      color: {
        field: 'status',
        type: 'nominal',
        scale: { domain: [...STATUS_DOMAIN], range: [...STATUS_COLOURS] },
        title: 'run status',
      },
      shape: {
        field: 'marker',
        type: 'nominal',
        scale: { domain: [MEASURED, OFF_SCALE], range: ['circle', 'triangle-up'] },
        title: 'point',
      },
    },
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(
      options.title ?? 'Final sharpness vs learning rate',
      options.subtitle ??
        'solid: stability threshold 2/η · dashed: s_GF and predicted η_c = 2/s_GF · dotted: observed break point',
    ),
    config: FIGURE_CONFIG,
    layer: layers,
  } as unknown as FigureSpec;
}

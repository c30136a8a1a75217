import { FIGURE_CONFIG, VEGA_LITE_SCHEMA, shortNumber, titleBlock } from '../theme';
import type { FigureSpec } from '../theme';

/** One sharpness measurement along one run. */
export interface TrajectoryPoint {
  readonly eta: number;
  readonly step: number;
  readonly sharpness: number | null;
}

/** Options of {@link sharpnessTrajectoriesSpec}. */
export interface SharpnessTrajectoriesOptions {
  readonly series: readonly TrajectoryPoint[];
  readonly title?: string;
  readonly subtitle?: string | readonly string[];
  /** Log y axis (default linear, as in Cohen et al. 2021). */
  readonly yLog?: boolean;
}

/** Legend label of a learning rate. */
export function etaLabel(eta: number): string {
  return `η = ${shortNumber(eta)}`;
}

/**
 * Sharpness along training (Edge-of-Stability trajectories, Cohen et al. 2021): one line per learning rate,
 * steps on x, with a dashed horizontal 2/η line in the same colour. Progressive sharpening shows as S rising
 * towards 2/η; the Edge of Stability as S hovering at it.
 */
export function sharpnessTrajectoriesSpec(options: SharpnessTrajectoriesOptions): FigureSpec {
  const rows = options.series
    .filter((p) => typeof p.sharpness === 'number' && Number.isFinite(p.sharpness) && Number.isFinite(p.step))
    .filter((p) => !options.yLog || (p.sharpness as number) > 0)
    .map((p) => ({ step: p.step, sharpness: p.sharpness, eta: p.eta, run: etaLabel(p.eta) }));
  const etas = [...new Set(rows.map((r) => r.eta))].sort((a, b) => a - b);
  const domain = etas.map(etaLabel);
  const thresholds = etas.map((eta) => ({ eta, run: etaLabel(eta), twoOverEta: 2 / eta }));
  const x = { field: 'step', type: 'quantitative', title: 'step t' };
  const yScale = options.yLog ? { type: 'log' } : { zero: true };
  const color = {
    field: 'run',
    type: 'nominal',
    scale: { domain, scheme: 'viridis' },
    title: 'learning rate',
    sort: domain,
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(
      options.title ?? 'Sharpness along training',
      options.subtitle ?? 'solid: S(θ_t) · dashed: 2/η in the same colour (the Edge of Stability)',
    ),
    config: FIGURE_CONFIG,
    layer: [
      {
        data: { values: thresholds },
        mark: { type: 'rule', strokeDash: [5, 4], strokeWidth: 1.2 },
        encoding: {
          y: { field: 'twoOverEta', type: 'quantitative', scale: yScale, title: 'sharpness S' },
          color,
        },
      },
      {
        data: { values: rows },
        mark: { type: 'line', strokeWidth: 1.6, point: rows.length <= 60 },
        encoding: {
          x,
          y: { field: 'sharpness', type: 'quantitative', scale: yScale, title: 'sharpness S' },
          color,
        },
      },
    ],
  } as unknown as FigureSpec;
}

import type { TopLevelSpec } from 'vega-lite';
import { formatSignificant } from '@biaslab/results';

/** A vega-lite specification as the builders return it (plain JSON, no functions). */
export type FigureSpec = TopLevelSpec;

/** The font every figure names; the PNG renderer maps it (and generic `sans-serif`) to DejaVu Sans. */
export const FIGURE_FONT = 'DejaVu Sans';

/** Run outcomes in legend order, with their colours. */
export const STATUS_DOMAIN = ['converged', 'capped', 'diverged'] as const;
export const STATUS_COLOURS = ['#1b7837', '#e08214', '#b2182b'] as const;

/** Shape encoding by run status (circle converged, square capped, triangle diverged), for figures whose colour shows quantities. */
export const STATUS_SHAPE = {
  field: 'status',
  type: 'nominal',
  scale: { domain: [...STATUS_DOMAIN], range: ['circle', 'square', 'triangle-up'] },
  title: 'run status',
} as const;

/** Colour of reference marks (2/η, s_GF, η_c). */
export const REFERENCE_COLOUR = '#555555';

/** The shared look of every figure: font, sizes, white background, no outer border. */
export const FIGURE_CONFIG = {
  font: FIGURE_FONT,
  background: 'white',
  view: { stroke: '#dddddd' },
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#444444', anchor: 'start' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eeeeee' },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 200 },
} as const;

/** The `$schema` line vega-lite specs carry; it is never fetched. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Title block with an optional subtitle (a string or several lines). */
export function titleBlock(text: string, subtitle?: string | readonly string[]): Record<string, unknown> {
  return subtitle === undefined || subtitle.length === 0 ? { text } : { text, subtitle };
}

/** A positive finite number, else null: log axes cannot show zero, negative or missing values. */
export function positiveOrNull(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : null;
}

/** `count` log-spaced values from `lo` to `hi` (both included). */
export function logSpace(lo: number, hi: number, count: number): number[] {
  if (count < 2 || lo === hi) return [lo];
  const a = Math.log(lo);
  const b = Math.log(hi);
  return Array.from({ length: count }, (_, i) => Math.exp(a + ((b - a) * i) / (count - 1)));
}

/** Short label of a number for legends and rule labels (4 significant digits). */
export function shortNumber(x: number): string {
  return formatSignificant(x, 4);
}

/** A log scale over exactly [lo, hi] (no rounding out to decades, which wastes most of a short axis). */
export function logDomain(lo: number, hi: number): Record<string, unknown> {
  return { type: 'log', domain: [lo, hi], nice: false };
}

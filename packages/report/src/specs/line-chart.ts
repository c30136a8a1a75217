import { FIGURE_CONFIG, REFERENCE_COLOUR, VEGA_LITE_SCHEMA, titleBlock } from '../theme';
import type { FigureSpec } from '../theme';

/** One axis of {@link lineChartSpec}. */
export interface ChartAxis {
  readonly field: string;
  /** Axis title with symbol and units, e.g. `learning rate η`. */
  readonly title: string;
  readonly log?: boolean;
}

/** A labelled reference rule: vertical at `x` or horizontal at `y`. */
export interface ReferenceRule {
  readonly x?: number;
  readonly y?: number;
  readonly label: string;
}

/** Options of {@link lineChartSpec}. */
export interface LineChartOptions {
  readonly data: readonly Readonly<Record<string, unknown>>[];
  readonly x: ChartAxis;
  readonly y: ChartAxis;
  /** Field whose values split the data into coloured series, and its legend title. */
  readonly series?: { readonly field: string; readonly title: string };
  /** Default `line+point`. */
  readonly mark?: 'line' | 'point' | 'line+point';
  readonly rules?: readonly ReferenceRule[];
  readonly title: string;
  readonly subtitle?: string | readonly string[];
}

/**
 * A generic multi-series line / scatter chart with optional log axes and labelled reference rules. Rows whose
 * x or y is missing, non-finite, or not positive on a log axis are dropped (log axes cannot show them).
 */
export function lineChartSpec(options: LineChartOptions): FigureSpec {
  const ok = (v: unknown, log?: boolean) => typeof v === 'number' && Number.isFinite(v) && (!log || v > 0);
  const values = options.data.filter(
    (r) => ok(r[options.x.field], options.x.log) && ok(r[options.y.field], options.y.log),
  );
  const axis = (a: ChartAxis) => ({
    field: a.field,
    type: 'quantitative',
    title: a.title,
    scale: a.log ? { type: 'log' } : { zero: false },
  });
  const x = axis(options.x);
  const y = axis(options.y);
  const color = options.series
    ? { color: { field: options.series.field, type: 'nominal', title: options.series.title } }
    : {};
  const mark = options.mark ?? 'line+point';
  const layers: Record<string, unknown>[] = [];
  if (mark !== 'point')
    layers.push({ mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, ...color } });
  if (mark !== 'line')
    layers.push({ mark: { type: 'point', filled: true, size: 45 }, encoding: { x, y, ...color } });
  const outer: Record<string, unknown>[] = [{ data: { values }, layer: layers }];
  for (const rule of options.rules ?? []) {
    const vertical = rule.x !== undefined;
    const at = vertical
      ? { x: { datum: rule.x, type: 'quantitative' } }
      : { y: { datum: rule.y, type: 'quantitative' } };
    outer.push({
      data: { values: [{}] },
      mark: { type: 'rule', color: REFERENCE_COLOUR, strokeDash: [4, 3], strokeWidth: 1.2 },
      encoding: at,
    });
    outer.push({
      data: { values: [{}] },
      mark: vertical
        ? { type: 'text', color: REFERENCE_COLOUR, align: 'left', baseline: 'top', dx: 3, y: 2, fontSize: 10 }
        : {
            type: 'text',
            color: REFERENCE_COLOUR,
            align: 'right',
            baseline: 'bottom',
            dy: -2,
            x: 'width',
            fontSize: 10,
          },
      encoding: { ...at, text: { value: rule.label } },
    });
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: titleBlock(options.title, options.subtitle),
    config: FIGURE_CONFIG,
    layer: outer,
  } as unknown as FigureSpec;
}

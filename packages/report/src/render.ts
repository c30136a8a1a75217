import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BiaslabError } from '@biaslab/core';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { FigureSpec } from './theme';
import { figureFonts } from './fonts';

/** How to render a figure. Sizes are of the whole figure (axes, legends and titles included), in CSS pixels. */
export interface RenderOptions {
  /** Default both. */
  readonly formats?: readonly ('svg' | 'png')[];
  /** Default 640. */
  readonly width?: number;
  /** Default 400. */
  readonly height?: number;
  /** PNG pixels per CSS pixel (default 2): the PNG is `width·scale × height·scale`. */
  readonly scale?: number;
  /** Extra font files for the PNG renderer (DejaVu Sans is found automatically). */
  readonly fontFiles?: readonly string[];
}

/** A rendered figure. */
export interface RenderedFigure {
  /** Standalone SVG document (present when `svg` was requested). */
  readonly svg?: string;
  /** PNG bytes (present when `png` was requested). */
  readonly png?: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Renders a vega-lite spec offline: vega-lite compiles it, a headless vega View (renderer `none`, no canvas,
 * no browser) draws it to SVG, and resvg rasterises the SVG to PNG with DejaVu Sans. Single and layered
 * views are fitted to exactly `width × height`; concatenated views keep their own sizes.
 */
export async function renderFigure(spec: FigureSpec, options: RenderOptions = {}): Promise<RenderedFigure> {
  const formats = options.formats ?? ['svg', 'png'];
  const width = options.width ?? 640;
  const height = options.height ?? 400;
  const scale = options.scale ?? 2;
  if (!(width > 0 && height > 0 && scale > 0)) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `Cannot render a figure of \`${width}×${height}\` at scale \`${scale}\`: expected positive numbers. Pass a positive \`width\`, \`height\` and \`scale\`.`,
    );
  }
  const sized = fitSpec(spec, width, height);
  let svg: string;
  try {
    const compiled = compile(sized as unknown as FigureSpec, { logger: quietLogger() }).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    try {
      svg = await view.toSVG();
    } finally {
      view.finalize();
    }
  } catch (error) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      `Cannot render the figure \`${titleOf(spec)}\`: ${(error as Error).message}. Check the vega-lite spec (fields, encodings, data).`,
      {},
      { cause: error },
    );
  }
  const size = svgSize(svg);
  const result: { svg?: string; png?: Uint8Array; width: number; height: number } = { ...size };
  if (formats.includes('svg')) result.svg = svg;
  if (formats.includes('png')) {
    const fonts = figureFonts(options.fontFiles);
    const resvg = new Resvg(svg, { font: fonts, fitTo: { mode: 'zoom', value: scale }, background: 'white' });
    result.png = new Uint8Array(resvg.render().asPng());
  }
  return result;
}

/** Paths and contents of a written figure. */
export interface WrittenFigure extends RenderedFigure {
  readonly name: string;
  readonly svgPath?: string;
  readonly pngPath?: string;
}

/** Renders `spec` and writes `dir/name.svg` and `dir/name.png` (the formats requested), creating `dir`. */
export async function writeFigure(
  dir: string,
  name: string,
  spec: FigureSpec,
  options: RenderOptions = {},
): Promise<WrittenFigure> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `Figure name \`${name}\` is not a plain file stem. Use letters, digits, \`.\`, \`_\` and \`-\` only.`,
    );
  }
  const figure = await renderFigure(spec, options);
  mkdirSync(dir, { recursive: true });
  const out: { svgPath?: string; pngPath?: string } = {};
  if (figure.svg !== undefined) writeFileSync((out.svgPath = join(dir, `${name}.svg`)), figure.svg);
  if (figure.png !== undefined) writeFileSync((out.pngPath = join(dir, `${name}.png`)), figure.png);
  return { ...figure, ...out, name };
}

/** A copy of `spec` sized to the whole figure; concatenations and facets are left at their own size. */
function fitSpec(spec: FigureSpec, width: number, height: number): Record<string, unknown> {
  const s = structuredClone(spec) as unknown as Record<string, unknown>;
  const composite = ['hconcat', 'vconcat', 'concat', 'facet', 'repeat'].some((k) => k in s);
  if (!composite) {
    s.width = width;
    s.height = height;
    s.autosize = { type: 'fit', contains: 'padding' };
  }
  return s;
}

/** vega-lite's warnings (e.g. a dropped scale property) are notes to the spec author, not run output. */
function quietLogger() {
  let level = 0;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error(...args: readonly unknown[]) {
      throw new Error(args.map(String).join(' '));
    },
    warn: () => logger,
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : { width: Number.NaN, height: Number.NaN };
}

function titleOf(spec: FigureSpec): string {
  const t = (spec as { title?: unknown }).title;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string')
    return (t as { text: string }).text;
  return 'untitled';
}

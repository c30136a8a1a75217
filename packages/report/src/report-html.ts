import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BiaslabError } from '@biaslab/core';
import type { FigureSpec } from './theme';
import { renderFigure } from './render';
import { formatNumber } from '@biaslab/results';
import { escapeHtml, inlineSvg, slug } from './html-text';
import { REPORT_CSS } from './report-css';
import type { Verdict } from './verdict';

/** A figure of a report: a spec to render, or an SVG and/or PNG rendered already. */
export interface ReportFigure {
  /** File stem / anchor, e.g. `sharpness-vs-eta`. */
  readonly name: string;
  readonly caption?: string;
  readonly spec?: FigureSpec;
  readonly svg?: string;
  readonly png?: Uint8Array;
  /** Size used when rendering `spec` (default 640 × 400). */
  readonly width?: number;
  readonly height?: number;
}

/**
 * One table column: the row key, its header, and how to format a cell (default: numbers by `formatNumber`,
 * integers in full, as the count columns (steps, seeds) need).
 */
export interface ReportColumn {
  readonly key: string;
  readonly label: string;
  readonly format?: (value: unknown, row: Readonly<Record<string, unknown>>) => string;
}

/** A table of a report. */
export interface ReportTable {
  readonly caption?: string;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

/** A section: heading, paragraphs, verdicts, figures and tables, in that order. */
export interface ReportSection {
  readonly heading: string;
  /** One string per paragraph. */
  readonly text?: string | readonly string[];
  readonly verdicts?: readonly Verdict[];
  readonly figures?: readonly ReportFigure[];
  readonly tables?: readonly ReportTable[];
}

/** What a report holds. */
export interface ReportOptions {
  readonly title: string;
  readonly sections: readonly ReportSection[];
  /** Shown pretty-printed in a collapsible block (config, versions, machine, loss normalisation). */
  readonly manifest?: unknown;
  /** Shown under the title (default: the time of writing). */
  readonly generatedAt?: string;
}

/**
 * The report as one self-contained HTML document: inline CSS, figures as inline SVG (or base64 PNG when
 * only a PNG is given), tables, verdicts and the manifest. It references nothing outside itself: no
 * scripts, no stylesheets, no fonts, no `http://`/`https://` URLs (URLs in text are defused).
 */
export async function renderReportHtml(options: ReportOptions): Promise<string> {
  const parts: string[] = [];
  const ids = sectionIds(options.sections);
  for (const [i, section] of options.sections.entries()) {
    const id = ids[i];
    parts.push(`<section id="${id}">\n<h2>${escapeHtml(section.heading)}</h2>`);
    const text = typeof section.text === 'string' ? [section.text] : (section.text ?? []);
    for (const p of text) parts.push(`<p>${escapeHtml(p)}</p>`);
    if (section.verdicts && section.verdicts.length > 0) parts.push(verdictList(section.verdicts));
    for (const figure of section.figures ?? []) parts.push(await figureHtml(figure, `${id}-`));
    for (const table of section.tables ?? []) parts.push(tableHtml(table));
    parts.push('</section>');
  }
  const nav = options.sections
    .map((s, i) => `<li><a href="#${ids[i]}">${escapeHtml(s.heading)}</a></li>`)
    .join('');
  const manifest =
    options.manifest === undefined
      ? ''
      : `<details class="manifest"><summary>Manifest (configuration, versions, machine)</summary>\n<pre>${escapeHtml(
          JSON.stringify(options.manifest, null, 2),
        )}</pre></details>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(options.title)}</h1><p class="meta">${escapeHtml(options.generatedAt ?? new Date().toISOString())}</p>
<nav><ol>${nav}</ol></nav></header>
<main>
${parts.join('\n')}
${manifest}
</main>
</body>
</html>
`;
}

/** Writes `dir/report.html` (creating `dir`) and returns its path. */
export async function writeReport(dir: string, options: ReportOptions): Promise<string> {
  const html = await renderReportHtml(options);
  const path = join(dir, 'report.html');
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, html);
  } catch (error) {
    throw new BiaslabError(
      'RESULTS',
      `Cannot write the report \`${path}\`: ${(error as Error).message}. Choose a writable directory.`,
      {},
      { cause: error },
    );
  }
  return path;
}

/** Unique anchors for the sections (a repeated heading gets `-2`, `-3`, …). */
function sectionIds(sections: readonly ReportSection[]): string[] {
  const used = new Set<string>();
  return sections.map((section) => {
    let id = slug(section.heading);
    for (let k = 2; used.has(id); k++) id = `${slug(section.heading)}-${k}`;
    used.add(id);
    return id;
  });
}

async function figureHtml(figure: ReportFigure, prefix: string): Promise<string> {
  let { svg, png } = figure;
  if (svg === undefined && png === undefined) {
    if (!figure.spec) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        `Report figure \`${figure.name}\` has no \`spec\`, \`svg\` or \`png\`. Give one of them.`,
      );
    }
    svg = (await renderFigure(figure.spec, { formats: ['svg'], width: figure.width, height: figure.height }))
      .svg;
  }
  const body =
    svg !== undefined
      ? inlineSvg(svg, `${prefix}${slug(figure.name)}-`)
      : `<img alt="${escapeHtml(figure.caption ?? figure.name)}" src="data:image/png;base64,${Buffer.from(png!).toString('base64')}">`;
  const caption = figure.caption ? `<figcaption>${escapeHtml(figure.caption)}</figcaption>` : '';
  return `<figure id="${prefix}${slug(figure.name)}" data-figure="${escapeHtml(figure.name)}">${body}${caption}</figure>`;
}

function tableHtml(table: ReportTable): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c.label)}</th>`).join('');
  const rows = table.rows
    .map((row) => {
      const cells = table.columns.map((c) => {
        const v = row[c.key];
        const text = c.format
          ? c.format(v, row)
          : typeof v === 'number' || v == null
            ? formatNumber(v as number | null, 4, { exactIntegers: true })
            : String(v);
        const numeric = typeof v === 'number' ? ' class="num"' : '';
        return `<td${numeric}>${escapeHtml(text)}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  const caption = table.caption ? `<caption>${escapeHtml(table.caption)}</caption>` : '';
  return `<div class="table"><table>${caption}<thead><tr>${head}</tr></thead>\n<tbody>${rows}</tbody></table></div>`;
}

function verdictList(verdicts: readonly Verdict[]): string {
  const items = verdicts.map((v) => {
    const state = v.total === 0 ? 'untested' : v.pass ? 'pass' : 'fail';
    const mark = state === 'pass' ? '✓' : state === 'fail' ? '✗' : '–';
    const detail = v.detail ? ` <span class="detail">(${escapeHtml(v.detail)})</span>` : '';
    return `<li class="verdict ${state}"><span class="mark">${mark}</span> ${escapeHtml(v.text)}${detail}</li>`;
  });
  return `<ul class="verdicts">${items.join('')}</ul>`;
}

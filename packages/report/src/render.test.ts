import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBiaslabError } from '@biaslab/core';
import { Resvg } from '@resvg/resvg-js';
import { renderFigure, writeFigure } from './render';
import { figureFonts } from './fonts';
import { inkFraction, pngPixels, pngSize } from './png-pixels';
import { lineChartSpec } from './specs/index';

const spec = lineChartSpec({
  data: [1, 2, 4, 8].map((eta) => ({ eta, s: 2 / eta })),
  x: { field: 'eta', title: 'learning rate η', log: true },
  y: { field: 's', title: 'sharpness S', log: true },
  title: 'S = 2/η',
});

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Count of RGBA pixels darker than mid-grey. */
function darkPixels(rgba: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4)
    if (rgba[i] + rgba[i + 1] + rgba[i + 2] < 384 && rgba[i + 3] > 0) n++;
  return n;
}

describe('renderFigure', () => {
  it('renders SVG at the requested size and PNG at size × scale, with the PNG signature', async () => {
    const fig = await renderFigure(spec, { width: 500, height: 300, scale: 2 });
    assert.match(fig.svg!, /^<svg[^>]* width="500" height="300"/);
    assert.deepEqual([...fig.png!.subarray(0, 8)], PNG_SIGNATURE);
    assert.deepEqual(pngSize(fig.png!), { width: 1000, height: 600 });
    assert.deepEqual([fig.width, fig.height], [500, 300]);
  });

  it('draws the text into the PNG (DejaVu found offline): more dark pixels than the same figure without text', async () => {
    const fig = await renderFigure(spec, { width: 400, height: 260, scale: 1 });
    const withoutText = new Resvg(fig.svg!.replace(/<text[^>]*>[^<]*<\/text>/g, ''), {
      background: 'white',
    }).render().pixels;
    assert.ok(figureFonts().fontFiles.length > 0, 'DejaVu Sans not found: install fonts-dejavu-core');
    const rendered = pngPixels(fig.png!).rgba;
    const gap = darkPixels(rendered) - darkPixels(withoutText);
    assert.ok(gap > 500, `text adds ${gap} dark pixels (expected > 500)`);
  });

  it('decodes PNGs: a blank figure has no ink, a drawn one has some; non-PNG bytes are refused', async () => {
    const blank = await renderFigure({ data: { values: [] }, mark: 'point' } as never, {
      formats: ['png'],
      width: 120,
      height: 80,
      scale: 1,
    });
    const drawn = await renderFigure(spec, { formats: ['png'], width: 120, height: 80, scale: 1 });
    assert.ok(
      inkFraction(blank.png!) < 0.02 && inkFraction(drawn.png!) > 0.05,
      `${inkFraction(blank.png!)} vs ${inkFraction(drawn.png!)}`,
    );
    assert.throws(
      () => pngSize(new Uint8Array(40)),
      (e) => isBiaslabError(e, 'DATA'),
    );
  });

  it('renders only the requested formats', async () => {
    const svgOnly = await renderFigure(spec, { formats: ['svg'] });
    assert.ok(svgOnly.svg && svgOnly.png === undefined);
    const pngOnly = await renderFigure(spec, { formats: ['png'], width: 200, height: 100, scale: 1 });
    assert.ok(pngOnly.svg === undefined);
    assert.deepEqual(pngSize(pngOnly.png!), { width: 200, height: 100 });
  });

  it('rejects bad sizes and bad specs with BiaslabError', async () => {
    await assert.rejects(renderFigure(spec, { width: 0 }), (e) => isBiaslabError(e, 'INVALID_OPTIONS'));
    const bad = { mark: 'nonsense', data: { values: [] } } as never;
    await assert.rejects(renderFigure(bad), (e) => isBiaslabError(e, 'INVALID_CONFIG'));
  });

  it('writeFigure writes name.svg and name.png', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'biaslab-fig-'));
    const fig = await writeFigure(dir, 'two-over-eta', spec, { scale: 1 });
    assert.equal(readFileSync(join(dir, 'two-over-eta.svg'), 'utf8'), fig.svg);
    assert.deepEqual([...readFileSync(join(dir, 'two-over-eta.png')).subarray(0, 8)], PNG_SIGNATURE);
    await assert.rejects(writeFigure(dir, '../escape', spec), (e) => isBiaslabError(e, 'INVALID_OPTIONS'));
  });
});

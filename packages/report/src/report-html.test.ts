import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderFigure } from './render';
import { renderReportHtml, writeReport } from './report-html';
import { lineChartSpec } from './specs/index';
import { verdict } from './verdict';

const spec = (title: string) =>
  lineChartSpec({
    data: [1, 2, 3].map((x) => ({ x, y: x * x })),
    x: { field: 'x', title: 'x' },
    y: { field: 'y', title: 'y' },
    title,
  });

describe('report HTML', () => {
  it('is self-contained: every figure inline, tables, verdicts, manifest, and no http(s) URL at all', async () => {
    const png = (await renderFigure(spec('as png'), { formats: ['png'], width: 200, height: 120, scale: 1 }))
      .png!;
    const svg = (await renderFigure(spec('as svg'), { formats: ['svg'] })).svg!;
    const manifest = {
      config: { source: 'https://example.org/data.gz' },
      versions: { '@biaslab/report': '0.1.0' },
    };
    const html = await renderReportHtml({
      title: 'Test <report>',
      generatedAt: 'now',
      manifest,
      sections: [
        {
          heading: 'Figures',
          text: ['See http://example.com for nothing.'],
          verdicts: [verdict('all positive', [1, 2], (x) => x > 0), verdict('all big', [1, 2], (x) => x > 1)],
          figures: [
            { name: 'from-spec', spec: spec('from spec'), caption: 'rendered here' },
            { name: 'from-svg', svg },
            { name: 'from-png', png },
          ],
          tables: [
            {
              columns: [
                { key: 'eta', label: 'η' },
                { key: 's', label: 'S' },
              ],
              rows: [
                { eta: 0.1, s: 1e-9 },
                { eta: 0.2, s: null },
              ],
            },
          ],
        },
        { heading: 'Figures', text: 'A second section with the same heading.' },
      ],
    });
    assert.doesNotMatch(html, /https?:\/\//i, 'no http:// or https:// anywhere');
    assert.doesNotMatch(html, /<(script|link|iframe)\b/i);
    assert.doesNotMatch(html, /\ssrc="(?!data:)/, 'only data: sources');
    for (const name of ['from-spec', 'from-svg', 'from-png'])
      assert.ok(html.includes(`data-figure="${name}"`), name);
    assert.equal([...html.matchAll(/<svg\b/g)].length, 2, 'two inline SVGs');
    assert.equal([...html.matchAll(/<img [^>]*src="data:image\/png;base64,/g)].length, 1, 'one base64 PNG');
    assert.ok(html.includes(Buffer.from(png).toString('base64')));
    assert.match(html, /<details class="manifest"><summary>[^<]*<\/summary>\s*<pre>\{\n  &quot;config&quot;/);
    assert.ok(html.includes('https&#58;//example.org/data.gz'), 'URLs in text are kept, defused');
    assert.ok(html.includes('all positive: yes, 2/2') && html.includes('all big: no, 1/2'));
    assert.ok(html.includes('<td class="num">1e-9</td>') && html.includes('<td>—</td>'));
    assert.ok(html.includes('Test &lt;report&gt;'));
    assert.ok(html.includes('id="figures"') && html.includes('id="figures-2"'));
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length, 'ids unique across inlined SVGs');
  });

  it('writeReport writes report.html', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'biaslab-report-'));
    const path = await writeReport(dir, {
      title: 'T',
      sections: [{ heading: 'H', figures: [{ name: 'f', spec: spec('f') }] }],
    });
    assert.equal(path, join(dir, 'report.html'));
    assert.match(readFileSync(path, 'utf8'), /^<!DOCTYPE html>/);
  });
});

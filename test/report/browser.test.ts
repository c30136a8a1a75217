import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inkFraction, pngSize, reportFromExperimentDir } from '@biaslab/report';
import { breakPointFinder } from '@biaslab/reproductions';

// End to end: a real (small) sweep from the CLI, its report, opened in headless Chromium.
const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.BIASLAB_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
];

/** Runs Chromium on a file URL with a fresh profile; resolves with stdout. */
function chromium(args: string[]): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'biaslab-chromium-'));
  return new Promise((resolve, reject) => {
    const child = spawn(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`chromium exited ${code}: ${err.slice(-2000)}`)),
    );
  });
}

describe('report in headless Chromium', () => {
  it('a real sweep’s report renders its figures in a browser', async (t) => {
    assert.ok(
      existsSync(CHROMIUM),
      `Headless Chromium not found at \`${CHROMIUM}\`. This test needs it: install with ` +
        '`apt-get update && apt-get install -y chromium fonts-dejavu-core` (Debian/Ubuntu), or set `BIASLAB_CHROMIUM` to its path.',
    );
    const dir = mkdtempSync(join(tmpdir(), 'biaslab-browser-'));
    const sweep = spawnSync(
      process.execPath,
      [
        '--conditions=biaslab-source',
        '--import',
        'tsx',
        'apps/cli/src/bin.ts',
        'sweep',
        '--lrs',
        '0.2,0.7,3',
        '--patience',
        '20',
        '--out',
        dir,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    assert.equal(sweep.status, 0, `biaslab sweep failed:\n${sweep.stdout}\n${sweep.stderr}`);

    const report = await reportFromExperimentDir(dir, { scale: 1, breakPoint: breakPointFinder });
    const names = report.figures.map((f) => f.name);
    assert.deepEqual(names.slice(0, 3), ['sharpness-vs-eta', 'norms-vs-eta', 'generalisation-vs-eta']);
    const html = readFileSync(report.reportPath, 'utf8');
    assert.doesNotMatch(html, /https?:\/\//, 'the report references no URL');

    const url = pathToFileURL(report.reportPath).href;
    const screenshot = join(dir, 'screenshot.png');
    const [dom] = await Promise.all([
      chromium(['--dump-dom', url]),
      chromium([`--screenshot=${screenshot}`, '--window-size=1100,1600', url]),
    ]);
    t.diagnostic(`report: ${report.reportPath}; screenshot: ${screenshot}`);

    // The browser parsed every figure into SVG elements with drawn marks.
    for (const name of names) assert.ok(dom.includes(`data-figure="${name}"`), `figure ${name} in the DOM`);
    assert.equal([...dom.matchAll(/<svg\b/g)].length, names.length, 'one <svg> per figure');
    const points = [...dom.matchAll(/<path [^>]*aria-roledescription="point"/g)].length;
    assert.ok(points >= 3, `point marks in the DOM: ${points} (3 runs in the sharpness figure alone)`);
    assert.ok(/<path [^>]*aria-roledescription="line mark"[^>]* d="M[\d.-]+/.test(dom), 'a drawn 2/η line');
    assert.ok(
      dom.includes('predicted η_c = 2/s_GF within 15% of the observed break point'),
      'verdicts in the DOM',
    );

    // The screenshot shows a page with content (figures are large areas of ink), not a blank one.
    const png = readFileSync(screenshot);
    assert.deepEqual(pngSize(png), { width: 1100, height: 1600 });
    assert.ok(png.length > 40_000, `screenshot of ${png.length} bytes`);
    const ink = inkFraction(png);
    assert.ok(ink > 0.03, `non-white fraction of the screenshot: ${ink.toFixed(3)}`);
  });
});

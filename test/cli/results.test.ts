import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvField, csvLine } from '@biaslab/results';
import { cli, tempDir } from './harness';

const PYTHON = '/usr/bin/python3';

/** Parses CSV files with Python's csv module (and pandas when installed) and returns what they saw. */
function pythonRead(paths: string[]): {
  rows: Record<string, string>[][];
  pandas: { columns: string[]; rows: number }[] | null;
} {
  const script = `
import csv, json, sys
out = {"rows": [], "pandas": None}
for p in sys.argv[1:]:
    with open(p, newline="") as f:
        out["rows"].append(list(csv.DictReader(f, strict=True)))
try:
    import pandas
    out["pandas"] = [{"columns": list(pandas.read_csv(p).columns), "rows": len(pandas.read_csv(p))} for p in sys.argv[1:]]
except ImportError:
    pass
print(json.dumps(out))
`;
  const child = spawnSync(PYTHON, ['-c', script, ...paths], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout);
}

test('CSV fields follow RFC 4180 and Python reads them back exactly', (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const values = [
    'plain',
    'a,b',
    'say "hi"',
    'two\nlines',
    ' padded',
    1e-21,
    -0.5,
    null,
    Number.NaN,
    [1, 2],
    { k: 'v' },
  ];
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField(null), '');
  assert.equal(csvField(Number.POSITIVE_INFINITY), '');
  assert.equal(csvLine([1, 'x']), '1,x\r\n');
  const path = join(dir, 'fields.csv');
  writeFileSync(path, csvLine(values.map((_, i) => `c${i}`)) + csvLine(values));
  const [row] = pythonRead([path]).rows[0];
  assert.deepEqual(Object.values(row), [
    'plain',
    'a,b',
    'say "hi"',
    'two\nlines',
    ' padded',
    '1e-21',
    '-0.5',
    '',
    '',
    '[1,2]',
    '{"k":"v"}',
  ]);
});

test('biaslab results: table per grid point, runs CSV and series CSV that Python/pandas read', async (t) => {
  const out = tempDir();
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const sweep = await cli([
    'sweep',
    '--lrs',
    '0.2,0.7,3',
    '--patience',
    '10',
    '--every',
    '50',
    '--metrics',
    'beta-l1,sharpness',
    '--grid',
    'model.options.alpha=0.1,0.2',
    '--grid',
    'seed=0,1',
    '--refine-edge',
    '1',
    '--workers',
    '1',
    '--out',
    out,
    '--quiet',
  ]);
  assert.equal(sweep.code, 0, sweep.stderr);
  assert.equal(sweep.stderr, '');
  assert.equal((sweep.stdout.match(/^── grid point \d: /gm) ?? []).length, 4);
  assert.match(sweep.stdout, /predicted η_c = 0\.50\d+; observed break point η = 0\.7/);

  const csv = join(out, 'runs.csv');
  const series = join(out, 'series.csv');
  const result = await cli(['results', out, '--csv', csv, '--series', series]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /4 grid points, 16 finished runs, finished/);
  assert.equal((result.stdout.match(/^── grid point \d: model\.alpha=0\.\d seed=\d ──$/gm) ?? []).length, 4);
  assert.match(result.stderr, /wrote 16 runs to .*runs\.csv/);

  const read = pythonRead([csv, series]);
  const [runs, steps] = read.rows;
  assert.equal(runs.length, 16);
  assert.deepEqual(Object.keys(runs[0]).slice(0, 8), [
    'run',
    'point',
    'model.options.alpha',
    'eta',
    'seed',
    'phase',
    'status',
    'steps',
  ]);
  assert.ok(Object.keys(runs[0]).includes('sharpness.residual'));
  const diverged = runs.find((r) => r.eta === '3')!;
  assert.equal(diverged.status, 'diverged');
  assert.ok(Number.isFinite(Number(diverged.loss)), 'numbers round-trip');
  assert.match(diverged.reason, /exceeds the divergence bound/);
  assert.deepEqual([...new Set(runs.map((r) => r.phase))].sort(), ['edge', 'grid']);
  // Every finished run's series: one row per 50 steps plus the final one.
  const finals = new Map(runs.map((r) => [r.run, Number(r.steps)]));
  const byRun = new Map<string, number[]>();
  for (const s of steps) byRun.set(s.run, [...(byRun.get(s.run) ?? []), Number(s.step)]);
  assert.equal(byRun.size, 16);
  for (const [run, list] of byRun) {
    const last = finals.get(run)!;
    const expected = [...Array(Math.floor((last - 1) / 50) + 1).keys()]
      .map((k) => k * 50)
      .filter((s) => s < last);
    assert.deepEqual(list, [...expected, last], run);
  }
  if (read.pandas) {
    assert.equal(read.pandas[0].rows, 16);
    assert.equal(read.pandas[1].rows, steps.length);
  }

  const json = JSON.parse((await cli(['results', out, '--json'])).stdout);
  assert.equal(json.points.length, 4);
  assert.equal(json.runs.length, 16);
  assert.ok(json.points.every((p: { analysis: { etaC: number } }) => Math.abs(p.analysis.etaC - 0.5) < 0.01));
  const missing = await cli(['results', join(out, 'nope')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^error: `.*nope` is not an experiment directory: it has no `manifest\.json`/);
  assert.ok(readFileSync(csv, 'utf8').includes('\r\n'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from './harness';

interface TableRow {
  eta: number;
  status: string;
  steps: number;
  norm: number;
  s: number;
  twoOverEta: number;
  stability: number;
}

/** Reads the phase table back from the printed text. */
function parseTable(text: string): { rows: TableRow[]; etaC: number; sGF: number } {
  const rows: TableRow[] = [];
  for (const line of text.split('\n')) {
    const cells = line.trim().split(/\s+/);
    if (!['converged', 'capped', 'diverged'].includes(cells[1])) continue;
    const n = (c: string) => (c === '—' ? Number.NaN : Number(c));
    rows.push({
      eta: n(cells[0]),
      status: cells[1],
      steps: n(cells[2]),
      norm: n(cells[3]),
      s: n(cells[4]),
      twoOverEta: n(cells[5]),
      stability: n(cells[6]),
    });
  }
  const etaC = Number(/η_c = 2\/s_GF = ([\d.e+-]+)$/m.exec(text)![1]);
  const sGF = Number(/s_GF = max S along the flow = ([\d.e+-]+)/.exec(text)![1]);
  return { rows, etaC, sGF };
}

test('the main job: flat S and ‖β‖₁ below η_c, S ≈ 2/η with rising ‖β‖₁ above, divergence labelled', async (t) => {
  const out = tempDir();
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const started = performance.now();
  const { code, stdout, stderr } = await cli(['sweep', '--out', out]);
  const seconds = (performance.now() - started) / 1000;
  assert.equal(code, 0, stderr);
  assert.ok(seconds < 30, `main job took ${seconds} s`);
  assert.match(stdout, /loss normalisation: L\(θ\) = \(1\/n\) Σᵢ ½‖f\(xᵢ\) − yᵢ‖²/);
  assert.match(stdout, /‖β‖₁/);
  const { rows, etaC, sGF } = parseTable(stdout);
  assert.equal(rows.length, 20);
  assert.ok(Math.abs(etaC - 0.502) < 0.01, `η_c = ${etaC}`);
  assert.ok(Math.abs(sGF * etaC - 2) < 0.01);

  const below = rows.filter((r) => r.eta < etaC);
  const above = rows.filter((r) => r.eta > etaC && r.status === 'converged');
  assert.ok(
    below.length >= 5 && above.length >= 3,
    `${below.length} below, ${above.length} converged above η_c`,
  );
  for (const r of below) {
    assert.equal(r.status, 'converged', `η = ${r.eta}`);
    assert.ok(Math.abs(r.s - sGF) / sGF < 0.03, `η = ${r.eta}: S = ${r.s} vs s_GF = ${sGF}`);
  }
  const normSpread = Math.max(...below.map((r) => r.norm)) / Math.min(...below.map((r) => r.norm));
  assert.ok(normSpread < 1.02, `‖β‖₁ flat below η_c (spread ${normSpread})`);
  for (const [i, r] of above.entries()) {
    assert.ok(r.stability >= 0.8 && r.stability <= 1.1, `η = ${r.eta}: S·η/2 = ${r.stability}`);
    if (i > 0)
      assert.ok(r.norm > above[i - 1].norm, `‖β‖₁ rises: η = ${r.eta}: ${r.norm} vs ${above[i - 1].norm}`);
  }
  assert.ok(above[0].norm > below.at(-1)!.norm);

  // No interpolator is stable beyond η = 1/(2 y min x) = 2.5: the top of the grid cannot converge.
  const top = rows.filter((r) => r.eta > 2.5);
  assert.ok(top.length > 0 && top.every((r) => r.status !== 'converged'));
  const diverged = rows.filter((r) => r.status === 'diverged');
  assert.ok(diverged.length > 0);
  // The sweep went on past divergence: every η has a run file with a final row, and progress on stderr.
  assert.equal(readdirSync(join(out, 'runs')).length, 20);
  assert.equal(stderr.match(/^\[\d+\/20\] η = /gm)?.length, 20);
  const firstDiverged = rows.findIndex((r) => r.status === 'diverged');
  assert.ok(firstDiverged < rows.length - 1, 'runs after the first diverged one');
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.equal(manifest.command, 'sweep');
  assert.equal(typeof manifest.versions['@biaslab/cli'], 'string');
  assert.deepEqual(manifest.plugins, [
    '@biaslab/models',
    '@biaslab/datasets',
    '@biaslab/optimizers',
    '@biaslab/metrics',
  ]);
});

test('a small sweep with --json prints only JSON on stdout; a diverging η is labelled and the sweep goes on', async (t) => {
  const out = tempDir();
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const argv = [
    'sweep',
    '--lrs',
    '0.2,3,0.7',
    '--patience',
    '20',
    '--metrics',
    'sharpness,beta-l1',
    '--out',
    out,
    '--json',
  ];
  const { code, stdout, stderr } = await cli(argv);
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout);
  assert.deepEqual(
    result.runs.map((r: { eta: number }) => r.eta),
    [0.2, 3, 0.7],
  );
  assert.deepEqual(
    result.runs.map((r: { status: string }) => r.status),
    ['converged', 'diverged', 'converged'],
  );
  assert.ok(Math.abs(result.flow.etaC - 0.502) < 0.01);
  assert.equal(result.config.stop.patience, 20);
  // runs of one batch finish in the order their stop rules fire: the diverging one first
  assert.match(stderr, /^\[1\/3\] η = 3: diverged/m);

  // Rerun in the same directory: every run is taken from the files.
  const again = await cli([...argv, '--quiet']);
  assert.equal(again.stderr, '');
  assert.deepEqual(JSON.parse(again.stdout).runs, result.runs);
});

test('a YAML config file runs, flags override it, and `run` trains at one η', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'exp.yaml');
  writeFileSync(
    file,
    [
      'model: {name: dln, options: {parametrization: shared, alpha: 0.1}}',
      'dataset: one-point',
      'metrics: [sharpness]',
      'lrs: [0.1, 0.2]',
      'stop: {patience: 5, epsilon: 1.0e-6}',
      'flow: {enabled: false}',
    ].join('\n'),
  );
  const { code, stdout, stderr } = await cli([
    'sweep',
    '--config',
    file,
    '--lrs',
    '0.3',
    '--model.alpha',
    '0.2',
    '--json',
    '--out',
    join(dir, 'a'),
  ]);
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout);
  assert.deepEqual(result.config.lrs, [0.3]);
  assert.equal(result.config.model.options.alpha, 0.2);
  assert.equal(result.config.stop.epsilon, 1e-6);
  assert.equal(result.flow, null);
  assert.ok(!existsSync(join(dir, 'a', 'flow.jsonl')));

  const run = await cli(['run', '--eta', '0.25', '--metrics', 'sharpness', '--out', join(dir, 'b')]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^status\s+converged/m);
  assert.match(run.stdout, /^S·η\/2\s+0\.49\d/m);
  const twoEtas = await cli(['run', '--config', file, '--out', join(dir, 'c')]);
  assert.equal(twoEtas.code, 2);
  assert.match(twoEtas.stderr, /`biaslab run` trains at one learning rate/);
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, describeRun, runCli } from './run-cli';

// The example plugin, built the way its author builds it (tsup, its own config) into a directory outside the
// repository that looks like an installed package: package.json, dist/, and node_modules with @biaslab/core.
const PLUGIN_SOURCE = join(REPO, 'examples/lion-plugin');
let root: string;
let pluginDir: string;
let pluginEntry: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'biaslab-lion-'));
  pluginDir = join(root, 'biaslab-plugin-lion');
  mkdirSync(pluginDir);
  const tsup = join(PLUGIN_SOURCE, 'node_modules/.bin/tsup');
  const build = spawnSync(tsup, ['--out-dir', join(pluginDir, 'dist'), '--no-dts'], {
    cwd: PLUGIN_SOURCE,
    encoding: 'utf8',
  });
  assert.equal(
    build.status,
    0,
    `tsup build of examples/lion-plugin failed:\n${build.stdout}\n${build.stderr}`,
  );
  copyFileSync(join(PLUGIN_SOURCE, 'package.json'), join(pluginDir, 'package.json'));
  symlinkSync(join(PLUGIN_SOURCE, 'node_modules'), join(pluginDir, 'node_modules'), 'dir');
  pluginEntry = join(pluginDir, 'dist/index.js');
});
after(() => rmSync(root, { recursive: true, force: true }));

/** A small, fast sweep: linear regression on the sparse-regression data, two learning rates, no flow. */
const SWEEP = [
  '--model',
  'linear',
  '--dataset',
  'sparse-regression',
  '--lrs',
  '0.001,0.003',
  '--epsilon',
  '1e-3',
  '--patience',
  '10',
  '--max-steps',
  '5000',
  '--no-flow',
  '--metrics',
  'l2',
  '--json',
  '--quiet',
];

interface Summary {
  eta: number;
  status: string;
  steps: number;
  loss: number;
  run: string;
}

function checkConverged(out: string, runs: Summary[], where: string): void {
  assert.deepEqual(
    runs.map((r) => r.eta),
    [0.001, 0.003],
    where,
  );
  for (const r of runs) {
    assert.equal(r.status, 'converged', `${where}: η = ${r.eta}: ${JSON.stringify(r)}`);
    assert.ok(
      r.loss < 1e-3 && r.steps < 5000,
      `${where}: η = ${r.eta}: L = ${r.loss} after ${r.steps} steps`,
    );
    // The first series row is L(θ₀): the runs really trained (L fell by orders of magnitude).
    const first = JSON.parse(
      readFileSync(
        join(
          out,
          'runs',
          readdirSync(join(out, 'runs')).find((f) => f.startsWith(r.run))!,
        ),
        'utf8',
      )
        .split('\n')
        .find((l) => l.includes('"loss"'))!,
    );
    assert.ok(first.loss > 100 * r.loss, `${where}: η = ${r.eta}: L(θ₀) = ${first.loss}, final ${r.loss}`);
  }
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.ok(
    JSON.stringify(manifest).includes('biaslab-plugin-lion'),
    `${where}: the manifest names the plugin`,
  );
}

test('the built bundle keeps @biaslab/core (and zod) external: it uses the host copy', () => {
  const bundle = readFileSync(pluginEntry, 'utf8');
  assert.match(bundle, /from ["']@biaslab\/core["']/);
  assert.doesNotMatch(bundle, /ZodType|\$ZodObject/, 'zod must not be bundled into the plugin');
});

test('without the plugin `--optimizer lion` is unknown; with `--plugin <built js>` the sweep converges', async () => {
  const missing = await runCli(['sweep', '--optimizer', 'lion', ...SWEEP, '--out', join(root, 'none')]);
  assert.equal(missing.code, 2, describeRun(['sweep', '--optimizer', 'lion'], missing));
  assert.match(missing.stderr, /^error: Unknown optimizer `lion`\. Available optimizers: .*gd/);

  const out = join(root, 'by-path');
  const argv = ['sweep', '--plugin', pluginEntry, '--optimizer', 'lion', ...SWEEP, '--out', out];
  const run = await runCli(argv);
  assert.equal(run.code, 0, describeRun(argv, run));
  const result = JSON.parse(run.stdout) as { runs: Summary[]; config: { optimizer: { name: string } } };
  assert.equal(result.config.optimizer.name, 'lion');
  checkConverged(out, result.runs, '--plugin path');
});

test('`plugins show optimizer/lion` prints the schema of the loaded plugin', async () => {
  const run = await runCli(['plugins', 'show', 'optimizer/lion', '--plugin', pluginEntry]);
  assert.equal(run.code, 0, describeRun(['plugins', 'show'], run));
  assert.match(run.stdout, /^optimizer\/lion {2}\(plugin biaslab-plugin-lion\)/);
  assert.match(run.stdout, /beta1\s+number.*0\.9/);
  assert.match(run.stdout, /beta2\s+number.*0\.99/);
  assert.match(run.stdout, /weightDecay\s+number.*0\s/);
});

test('`plugins:` in a config file: a path relative to the file, and an installed package name', async () => {
  // A user's project outside the repository, with the plugin installed in its node_modules.
  const project = join(root, 'project');
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  symlinkSync(pluginDir, join(project, 'node_modules/biaslab-plugin-lion'), 'dir');
  const experiment = {
    model: 'linear',
    dataset: 'sparse-regression',
    optimizer: { name: 'lion', options: { beta1: 0.9, beta2: 0.99 } },
    metrics: ['l2'],
    lrs: [0.001, 0.003],
    stop: { epsilon: 1e-3, patience: 10, maxSteps: 5000 },
    flow: { enabled: false },
  };
  mkdirSync(join(project, 'experiments'));
  // The path is relative to the config file, not to the directory the CLI runs in.
  writeFileSync(
    join(project, 'experiments/by-path.json'),
    JSON.stringify({ ...experiment, plugins: ['../node_modules/biaslab-plugin-lion/dist/index.js'] }),
  );
  writeFileSync(
    join(project, 'experiments/by-name.yaml'),
    `plugins: [biaslab-plugin-lion]\n${Object.entries(experiment)
      .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
      .join('\n')}\n`,
  );

  const byPath = [
    'sweep',
    '--config',
    join(project, 'experiments/by-path.json'),
    '--json',
    '--quiet',
    '--out',
    join(root, 'config-path'),
  ];
  const fromRepo = await runCli(byPath, REPO);
  assert.equal(fromRepo.code, 0, describeRun(byPath, fromRepo));
  checkConverged(join(root, 'config-path'), JSON.parse(fromRepo.stdout).runs, 'plugins: [path] in JSON');

  const byName = [
    'sweep',
    '--config',
    'experiments/by-name.yaml',
    '--json',
    '--quiet',
    '--out',
    join(root, 'config-name'),
  ];
  const inProject = await runCli(byName, project);
  assert.equal(inProject.code, 0, describeRun(byName, inProject));
  checkConverged(
    join(root, 'config-name'),
    JSON.parse(inProject.stdout).runs,
    'plugins: [package name] in YAML',
  );
});

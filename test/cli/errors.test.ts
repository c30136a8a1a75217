import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, cliProcess, REPO, tempDir } from './harness';

const STACK = /\n\s+at /;

test('an invalid component option names the option, the expected type and the value given', async () => {
  const { code, stdout, stderr } = await cli([
    'run',
    '--eta',
    '0.1',
    '--model.alpha',
    'abc',
    '--out',
    tempDir(),
  ]);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.match(
    stderr,
    /^error: Invalid options for `model\/dln`:\n {2}option `alpha`: expected number, received "abc" \(string\)/,
  );
  assert.doesNotMatch(stderr, STACK);
  const choice = await cli([
    'run',
    '--eta',
    '0.1',
    '--model.parametrization',
    'diagonal',
    '--out',
    tempDir(),
  ]);
  assert.match(
    choice.stderr,
    /option `parametrization`: expected one of "shared", "signed", "unshared", received "diagonal"/,
  );
});

test('unknown component names list what exists; bad experiment flags name the key and value', async () => {
  const model = await cli(['sweep', '--model', 'transformer', '--dataset', 'one-point', '--lrs', '0.1']);
  assert.equal(model.code, 2);
  assert.match(model.stderr, /^error: Unknown model `transformer`\. Available models: .*dln/);
  const metric = await cli(['run', '--eta', '0.1', '--metrics', 'l1,flatness']);
  assert.match(metric.stderr, /^error: Unknown metric `flatness`\. Available metrics: .*sharpness/);
  const flag = await cli(['sweep', '--epsilon', 'small']);
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /`stop\.epsilon`: expected number, received "small" \(string\)/);
  const unknown = await cli(['sweep', '--learning-rate', '3']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^error: unknown option '--learning-rate'/);
  const grid = await cli(['run', '--lrs', '0.1,0.2']);
  assert.equal(grid.code, 2, 'run has no --lrs flag');
});

test('malformed config files name the file and the line; schema errors name the key', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const json = join(dir, 'broken.json');
  writeFileSync(json, '{\n  "model": "dln",\n  "dataset": "one-point",\n}\n');
  const a = await cli(['sweep', '--config', json]);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /^error: Config file `.*broken\.json` is not valid JSON: .*\(line 4, column 1\)/);
  assert.doesNotMatch(a.stderr, STACK);

  const yaml = join(dir, 'broken.yaml');
  writeFileSync(yaml, 'model: dln\ndataset: [one-point\nlrs: [0.1]\n');
  const b = await cli(['sweep', '--config', yaml]);
  assert.equal(b.code, 2);
  assert.match(
    b.stderr,
    /^error: Config file `.*broken\.yaml` is not valid YAML: .*\(line \d+, column \d+\)/,
  );

  const schema = join(dir, 'wrong.yml');
  writeFileSync(schema, 'model: dln\ndataset: one-point\nlrs: [0.1]\ncolour: red\nstop: {patience: many}\n');
  const c = await cli(['sweep', '--config', schema]);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /^error: Invalid experiment configuration in `.*wrong\.yml`:/);
  assert.match(c.stderr, /unknown key `colour`/);
  assert.match(c.stderr, /`stop\.patience`: expected number, received "many" \(string\)/);

  const missing = await cli(['sweep', '--config', join(dir, 'nope.yaml')]);
  assert.match(missing.stderr, /^error: Cannot read config file `.*nope\.yaml`: ENOENT/);
});

test('as a child process: user errors exit 2 with one `error:` line and no stack', () => {
  const { code, stdout, stderr } = cliProcess(['run', '--eta', '0.1', '--dataset.y', 'one']);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.match(
    stderr,
    /^error: Invalid options for `dataset\/one-point`:\n {2}option `y`: expected number, received "one"/,
  );
  assert.doesNotMatch(stderr, STACK);
});

test('bad grids, learning rates ≤ 0, bad --workers and missing differentiation rules fail before any run', async (t) => {
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'out');
  const empty = await cli(['sweep', '--grid', 'seed=', '--out', out]);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /^error: Invalid experiment grid:\n {2}`grid\.seed`: the grid is empty/);
  const unknown = await cli(['sweep', '--grid', 'colour=1,2', '--out', out]);
  assert.match(unknown.stderr, /`grid\.colour`: `colour` is not an experiment key/);
  const lrs = await cli(['sweep', '--grid', 'lrs=[[0.1]]', '--out', out]);
  assert.match(lrs.stderr, /`lrs` cannot be gridded/);
  const badValue = await cli(['sweep', '--grid', 'model.options.alpha=0.1,-1', '--out', out]);
  assert.match(
    badValue.stderr,
    /at grid point `model\.alpha=-1`|model\/dln \(grid point `model\.alpha=-1`\)/,
  );
  const zero = await cli(['sweep', '--lrs', '0.1,0', '--out', out]);
  assert.equal(zero.code, 2);
  assert.match(zero.stderr, /`lrs\.1`: Too small: expected number to be >0, received 0/);
  const negative = await cli(['run', '--eta', '-0.5', '--out', out]);
  assert.match(negative.stderr, /`lrs\.0`: Too small: expected number to be >0, received -0\.5/);
  const workers = await cli(['sweep', '--workers', '0', '--out', out]);
  assert.match(workers.stderr, /^error: `--workers` must be a whole number ≥ 1, received `0`/);
  const conflict = await cli(['sweep', '--config', writeConfig(dir), '--out', out]);
  assert.match(conflict.stderr, /`seed` is given both a value and a grid/);
  const sine = await cli([
    'sweep',
    '--plugin',
    join(REPO, 'test/cli/fixtures/sine-plugin.ts'),
    '--model',
    'sine',
    '--dataset',
    'one-point',
    '--lrs',
    '0.1',
    '--metrics',
    'sharpness',
    '--out',
    out,
  ]);
  assert.equal(sine.code, 2);
  assert.match(sine.stderr, /^error: Training `model\/sine` needs its gradient, .*No VJP rule for `Sin`/m);
  assert.doesNotMatch(sine.stderr, STACK);
  assert.ok(!existsSync(join(out, 'manifest.json')), 'no run started');
});

function writeConfig(dir: string): string {
  const file = join(dir, 'conflict.yaml');
  writeFileSync(file, 'model: dln\ndataset: one-point\nlrs: [0.1]\nseed: 3\ngrid: {seed: [0, 1]}\n');
  return file;
}

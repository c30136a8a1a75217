import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, cliProcess, tempDir } from './harness';

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

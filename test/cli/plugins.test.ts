import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cli, cliProcess, REPO } from './harness';

test('plugins list shows every built-in component with plugin and summary', async () => {
  const { code, stdout } = await cli(['plugins', 'list']);
  assert.equal(code, 0);
  for (const key of [
    'model/dln',
    'model/mlp',
    'dataset/one-point',
    'dataset/sparse-regression',
    'optimizer/gd',
  ]) {
    assert.match(stdout, new RegExp(`^${key}\\s+@biaslab/\\w+\\s+\\S`, 'm'), key);
  }
  for (const m of ['l1', 'l2', 'beta-l1', 'train-loss', 'test-loss', 'test-error', 'sharpness']) {
    assert.match(stdout, new RegExp(`^metric/${m}\\s+@biaslab/metrics`, 'm'), m);
  }
  const json = JSON.parse((await cli(['plugins', 'list', '--json'])).stdout) as { key: string }[];
  assert.ok(json.some((e) => e.key === 'metric/sharpness'));
});

test('plugins show prints summary, description and every option with type, default and description', async () => {
  const { code, stdout } = await cli(['plugins', 'show', 'model/dln']);
  assert.equal(code, 0);
  assert.match(stdout, /^model\/dln {2}\(plugin @biaslab\/models\)/);
  assert.match(stdout, /parametrization\s+"shared" \| "signed" \| "unshared"\s+"shared"\s+\S+/);
  assert.match(stdout, /alpha\s+number \(> 0\)\s+0\.1\s+\S+/);
  const json = JSON.parse((await cli(['plugins', 'show', 'metric/sharpness', '--json'])).stdout);
  assert.deepEqual(
    json.options.map((o: { name: string }) => o.name),
    ['method', 'k', 'maxIter', 'tol', 'warmStart', 'residual', 'bothEnds'],
  );
  assert.ok(json.options.every((o: { description: string }) => o.description.length > 0));
});

test('a --plugin module adds its components; a module without a plugin is a clear error', async () => {
  const plugin = join(REPO, 'test/cli/fixtures/half-step-plugin.ts');
  const { stdout } = await cli(['plugins', 'list', '--plugin', plugin]);
  assert.match(stdout, /^optimizer\/half-gd\s+half-step\s+Gradient descent at η\/2/m);
  const shown = await cli(['plugins', 'show', 'optimizer/half-gd', '--plugin', plugin]);
  assert.match(shown.stdout, /factor\s+number \(> 0\)\s+0\.5\s+Multiplier of η/);
  const bad = await cli(['plugins', 'list', '--plugin', join(REPO, 'test/cli/fixtures/not-a-plugin.ts')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: Module `.*not-a-plugin\.ts` has no plugin: .*found exports `answer`/);
  const missing = await cli(['plugins', 'list', '--plugin', './no-such-file.js']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^error: Cannot load plugin `\.\/no-such-file\.js`/);
});

test('unknown component keys list what exists (as a child process: exit code 2, no stack trace)', () => {
  const { code, stdout, stderr } = cliProcess(['plugins', 'show', 'model/resnet9000']);
  assert.equal(code, 2);
  assert.equal(stdout, '');
  assert.match(
    stderr,
    /^error: Unknown model `resnet9000`\. Available models: (.*, )?dln, (.*, )?mlp(, .*)?\.\n$/,
  );
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  const badKey = cliProcess(['plugins', 'show', 'widget/x']);
  assert.equal(badKey.code, 2);
  assert.match(badKey.stderr, /is not a component key; write KIND\/NAME/);
});

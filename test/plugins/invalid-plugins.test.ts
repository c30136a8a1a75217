import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, describeRun, runCli } from './run-cli';

const fixture = (name: string) => join(REPO, 'test/plugins/fixtures', name);

/** Runs the CLI with one bad plugin and checks: exit code 2, nothing on stdout, one clear line, no stack. */
async function refused(argv: string[], pattern: RegExp): Promise<void> {
  const run = await runCli(argv);
  assert.equal(run.code, 2, describeRun(argv, run));
  assert.equal(run.stdout, '', describeRun(argv, run));
  assert.match(run.stderr, pattern, describeRun(argv, run));
  assert.doesNotMatch(run.stderr, /\n\s+at /, `no stack trace: ${run.stderr}`);
  assert.equal(run.stderr.trimEnd().split('\n').length, 1, `one line: ${run.stderr}`);
}

test('a plugin for another apiVersion is refused, naming both versions and the module', async () => {
  await refused(
    ['plugins', 'list', '--plugin', fixture('wrong-api-version.mjs')],
    /^error: Plugin `from-the-future` targets plugin API version 99, but this biaslab speaks version 2\. .*\(plugin module `.*wrong-api-version\.mjs`\)\n$/,
  );
});

test('a component name that is already registered is refused, naming both plugins', async () => {
  await refused(
    ['plugins', 'list', '--plugin', fixture('duplicate-name.mjs')],
    /^error: `optimizer\/gd` from plugin `my-gd` is already registered by plugin `@biaslab\/optimizers`\. Rename one of them\./,
  );
});

test('options that are not a zod schema are refused at load time, saying how to write one', async () => {
  await refused(
    ['plugins', 'list', '--plugin', fixture('plain-object-options.mjs')],
    /^error: `optimizer\/untyped-gd` from plugin `untyped-options` has an invalid `options` schema: expected a zod schema, received a plain object with keys `factor`\. Write `options: z\.object\(\{ \.\.\. \}\)\.strict\(\)`/,
  );
});

test('a bad plugin stops a sweep before anything is trained or written', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'biaslab-bad-plugin-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'never-written');
  const argv = [
    'sweep',
    '--plugin',
    fixture('wrong-api-version.mjs'),
    '--model',
    'linear',
    '--dataset',
    'sparse-regression',
    '--lrs',
    '0.1',
    '--out',
    out,
  ];
  await refused(argv, /^error: Plugin `from-the-future` targets plugin API version 99/);
  assert.equal(existsSync(out), false, 'no experiment directory was created');
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO } from '../plugins/run-cli';

// "Installing single packages": build and `pnpm pack` @biaslab/core, /linalg, /optimizers and /metrics, install
// the tarballs with npm into empty projects outside the workspace (npm fetches their third-party dependencies,
// e.g. zod), and run each package README's example there, transpiled from the README's own code block.

const PACKAGES = {
  core: '@biaslab/core',
  linalg: '@biaslab/linalg',
  optimizers: '@biaslab/optimizers',
  metrics: '@biaslab/metrics',
} as const;
let root: string;
const tarballs: Record<string, string> = {};

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const started = performance.now();
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  assert.equal(
    result.status,
    0,
    `\`${command} ${args.join(' ')}\` in ${cwd} failed (exit ${result.status}, ${seconds} s):\n${result.stdout}\n${result.stderr}`,
  );
  return result.stdout;
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'biaslab-packaging-'));
  const filters = Object.values(PACKAGES).flatMap((name) => ['--filter', name]);
  run('pnpm', [...filters, 'build'], REPO, { TURBO_TELEMETRY_DISABLED: '1' });
  const packs = join(root, 'tarballs');
  mkdirSync(packs);
  for (const [short, name] of Object.entries(PACKAGES)) {
    const before = new Set(readdirSync(packs));
    run('pnpm', ['pack', '--pack-destination', packs], join(REPO, 'packages', short));
    const made = readdirSync(packs).filter((f) => !before.has(f) && f.endsWith('.tgz'));
    assert.equal(made.length, 1, `pnpm pack of ${name} made ${made.join(', ') || 'no tarball'}`);
    tarballs[short] = join(packs, made[0]);
  }
});
after(() => rmSync(root, { recursive: true, force: true }));

/** The README's first ```ts block under "## Example", as plain JavaScript. */
function readmeExample(short: string): string {
  const readme = readFileSync(join(REPO, 'packages', short, 'README.md'), 'utf8');
  const section = readme.split(/^## Example\s*$/m)[1];
  const code = section && /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(code, `packages/${short}/README.md has no \`## Example\` section with a \`\`\`ts block`);
  return ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

/** An empty project in os.tmpdir() with only the given tarballs installed; returns its directory. */
function project(name: string, shorts: readonly string[]): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...shorts.map((s) => tarballs[s])],
    dir,
  );
  const installed = readdirSync(join(dir, 'node_modules/@biaslab')).sort();
  assert.deepEqual(installed, [...shorts].sort(), `only the installed tarballs are present in ${dir}`);
  return dir;
}

test('packed manifests point at dist only and name real versions instead of workspace:*', () => {
  for (const [short, name] of Object.entries(PACKAGES)) {
    const listing = run('tar', ['-tzf', tarballs[short]], root).split('\n');
    assert.ok(
      listing.includes('package/dist/index.js') && listing.includes('package/dist/index.d.ts'),
      `${name}: ${listing.join(' ')}`,
    );
    assert.ok(!listing.some((f) => f.startsWith('package/src/')), `${name} ships no sources`);
    const manifest = JSON.parse(run('tar', ['-xOzf', tarballs[short], 'package/package.json'], root));
    for (const [dep, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      assert.doesNotMatch(String(range), /^workspace:/, `${name} depends on ${dep}@${range}`);
    }
    // the workspace's source condition points at src/, which is not shipped: publishConfig drops it
    assert.deepEqual(
      manifest.exports,
      { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
      `${name} exports ${JSON.stringify(manifest.exports)}`,
    );
  }
});

test('core + optimizers: the README example runs in an empty project', () => {
  const dir = project('uses-optimizers', ['core', 'linalg', 'optimizers']);
  writeFileSync(join(dir, 'example.mjs'), readmeExample('optimizers'));
  const out = run(process.execPath, ['example.mjs'], dir);
  // Adam on L = ½(θ₁² + 4θ₂²) from (1, 1): L(θ₀) = 2.5, then L → 0, and the preconditioner as the README says.
  const losses = [...out.matchAll(/^(\d+) (\S+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.deepEqual(
    losses.map(([s]) => s),
    [0, 100, 200, 300, 400],
    out,
  );
  assert.equal(losses[0][1], 2.5, out);
  assert.ok(losses[4][1] < 1e-15, `L at step 400 = ${losses[4][1]}\n${out}`);
  const arrays = [
    ...out
      .trim()
      .split('\n')
      .at(-1)!
      .matchAll(/\[([^\]]*)\]/g),
  ].map((m) => m[1].split(',').map(Number));
  assert.equal(arrays.length, 2, `θ and P⁻¹ on the last line:\n${out}`);
  const [[t1, t2], [p1, p2]] = arrays;
  assert.ok(Math.abs(t1) < 1e-9 && Math.abs(t2) < 1e-9, `θ = ${t1}, ${t2}`);
  assert.ok(Math.abs(p1 - 22.1) < 0.1 && Math.abs(p2 - 5.5) < 0.1, `P⁻¹ = ${p1}, ${p2}`);
});

test('core + linalg: the README example runs in an empty project', () => {
  const dir = project('uses-linalg', ['core', 'linalg']);
  writeFileSync(join(dir, 'example.mjs'), readmeExample('linalg'));
  const out = run(process.execPath, ['example.mjs'], dir);
  // A = Q diag(3, −5, 1, 0.5) Qᵀ: the spectrum, a true eigenpair, Lanczos top-2 and power iteration's two ends.
  const array = (label: string) => new RegExp(`^${label} \\[ (.*) \\]$`, 'm').exec(out)?.[1];
  assert.equal(array('values'), '-5, 0.5, 1, 3', out);
  assert.match(out, /^residual true$/m, out);
  assert.equal(array('lanczos'), '-5, 3', out);
  assert.equal(array('power'), '-5, -5, 3', out);
  assert.match(out, /^norms 7 5$/m, out);
});

test('core + linalg + metrics: the README example runs in an empty project', () => {
  const dir = project('uses-metrics', ['core', 'linalg', 'metrics']);
  writeFileSync(join(dir, 'example.mjs'), readmeExample('metrics'));
  const out = run(process.execPath, ['example.mjs'], dir);
  // A = diag(3, −5, 1, 0.5): top eigenvalues −5 and 3, trace −0.5, sharpness |−5| = 5, S·η/2 = 5·0.3/2 = 0.75.
  const number = (pattern: RegExp) => Number(pattern.exec(out)?.[1]);
  const top = /^\[([^\]]*)\]$/m.exec(out)?.[1].split(',').map(Number) ?? [];
  assert.ok(
    top.length === 2 && Math.abs(top[0] + 5) < 1e-9 && Math.abs(top[1] - 3) < 1e-9,
    `Lanczos top-2: ${top}\n${out}`,
  );
  assert.ok(Math.abs(number(/trace: (\S+),/) + 0.5) < 1e-9, out);
  assert.ok(Math.abs(number(/^\s+sharpness: (\S+),/m) - 5) < 1e-9, out);
  assert.ok(Math.abs(number(/'sharpness\.stability': (\S+)/) - 0.75) < 1e-9, out);
  assert.match(out, /Float64Array\(4\) \[ -5, 0\.5, 1, 3 \]/, out);
});

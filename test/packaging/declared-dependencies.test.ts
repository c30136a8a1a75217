import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { REPO } from '../plugins/run-cli';

// Every package must install on its own: each import of its shipped sources names a package it declares in
// `dependencies` or `peerDependencies` (tests may also use `devDependencies`), and it declares nothing it never
// imports, so `npm install <tarball>` brings exactly what the code needs.

const IMPORT_RE =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
const BUILTINS = new Set(builtinModules);

/** Bare package name of a specifier, or null for relative paths and node builtins. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const name = specifier.startsWith('@')
    ? specifier.split('/').slice(0, 2).join('/')
    : specifier.split('/')[0];
  return BUILTINS.has(name) ? null : name;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== 'node_modules' && entry !== 'fixtures') yield* sourceFiles(path);
    } else if (/\.(m?[tj]s)$/.test(entry) && !entry.endsWith('.d.ts')) yield path;
  }
}

/** Package directories with a src/ folder: every workspace package that ships code. */
function packageDirs(): string[] {
  return ['packages', 'apps', 'examples'].flatMap((group) =>
    existsSync(join(REPO, group))
      ? readdirSync(join(REPO, group))
          .map((d) => join(REPO, group, d))
          .filter((d) => existsSync(join(d, 'package.json')) && existsSync(join(d, 'src')))
      : [],
  );
}

test('every workspace package imports only what it declares, and declares only what its sources import', () => {
  const problems: string[] = [];
  const usedBy = new Map<string, Set<string>>();
  const dirs = packageDirs();
  assert.ok(dirs.length >= 10, `found ${dirs.length} packages`);
  for (const dir of dirs) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const runtime = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    const dev = new Set(Object.keys(manifest.devDependencies ?? {}));
    const used = new Set<string>();
    for (const file of sourceFiles(join(dir, 'src'))) {
      const isTest = /\.test\.[mc]?[tj]s$/.test(file) || /\/test-/.test(file);
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT_RE)) {
        const pkg = packageOf(match[1] ?? match[2] ?? match[3]);
        if (!pkg || pkg === manifest.name) continue;
        if (!isTest) used.add(pkg);
        if (runtime.has(pkg) || (isTest && dev.has(pkg))) continue;
        problems.push(
          `${relative(REPO, file)} imports \`${pkg}\`, which \`${manifest.name}\` does not declare in ` +
            `${isTest ? '`dependencies`, `peerDependencies` or `devDependencies`' : '`dependencies` or `peerDependencies`'}`,
        );
      }
    }
    usedBy.set(manifest.name, used);
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      if (!used.has(dep))
        problems.push(
          `${relative(REPO, dir)}/package.json declares \`${dep}\` in \`dependencies\`, but no source file imports it`,
        );
    }
  }
  // The scan sees real imports (a scan that finds nothing would pass vacuously).
  assert.ok(usedBy.get('@biaslab/core')?.has('zod'), 'core imports zod');
  assert.ok(usedBy.get('@biaslab/runtime')?.has('onnxruntime-node'), 'runtime imports onnxruntime-node');
  assert.ok(usedBy.get('@biaslab/optimizers')?.has('@biaslab/core'), 'optimizers import core');
  assert.ok(usedBy.get('biaslab-plugin-lion')?.has('@biaslab/core'), 'the example plugin imports core');
  assert.ok(usedBy.get('@biaslab/reproductions')?.has('@biaslab/lab'), 'the reproductions import the lab');
  assert.deepEqual(
    problems,
    [],
    `Undeclared or unused dependencies (fix the package.json):\n  ${problems.join('\n  ')}`,
  );
});

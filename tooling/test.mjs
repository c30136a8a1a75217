#!/usr/bin/env node
// Runs every test of the workspace from sources with node's built-in test runner, in one process tree, so
// one summary counts them all. Node 20 does not expand globs for `--test`, so the files are listed here.
// Arguments narrow the run to files whose path contains any of them: `pnpm test autodiff lanczos`.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const SKIP = new Set(['node_modules', 'dist', '.turbo', '.git', 'bench', 'fixtures']);

function* testFiles(dir) {
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* testFiles(path);
    else if (entry.endsWith('.test.ts')) yield relative(root, path);
  }
}

const filters = process.argv.slice(2);
const files = ['packages', 'apps', 'examples', 'test']
  .flatMap((top) => [...testFiles(join(root, top))])
  .filter((f) => filters.length === 0 || filters.some((needle) => f.includes(needle)))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filters.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--conditions=biaslab-source', '--import', 'tsx', '--test', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);

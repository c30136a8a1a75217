import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain ESM module without declarations
import { checkRepository } from '../../tooling/check-deps.mjs';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function fixture(packages: Record<string, { deps?: string[]; source?: string }>): string {
  const root = mkdtempSync(join(tmpdir(), 'biaslab-deps-'));
  for (const [name, { deps = [], source = '' }] of Object.entries(packages)) {
    const dir = join(root, 'packages', name.replace('@biaslab/', ''));
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name, dependencies: Object.fromEntries(deps.map((d) => [d, '*'])) }),
    );
    writeFileSync(join(dir, 'src', 'index.ts'), source);
  }
  return root;
}

test('this repository follows the dependency direction', () => {
  assert.deepEqual(checkRepository(repoRoot), []);
});

test('a plugin package importing another plugin package is caught (manifest and source)', () => {
  const root = fixture({
    '@biaslab/metrics': {
      deps: ['@biaslab/models'],
      source: "import { dlnModel } from '@biaslab/models';\n",
    },
  });
  try {
    const problems: string[] = checkRepository(root);
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.ok(problems.every((p) => p.includes('`@biaslab/models`')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('onnxruntime-node outside @biaslab/runtime is caught; inside it is fine', () => {
  const root = fixture({
    '@biaslab/lab': {
      source: "import * as ort from 'onnxruntime-node';\nconst m = await import('onnxruntime-node');\n",
    },
    '@biaslab/runtime': { deps: ['onnxruntime-node'], source: "import * as ort from 'onnxruntime-node';\n" },
  });
  try {
    const problems: string[] = checkRepository(root);
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.ok(problems.every((p) => p.startsWith(join('packages', 'lab'))));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('importing the CLI or an unknown package name is caught', () => {
  const root = fixture({
    '@biaslab/core': { source: "export * from '@biaslab/cli';\n" },
    '@biaslab/mystery': {},
  });
  try {
    const problems: string[] = checkRepository(root);
    assert.ok(
      problems.some((p) => p.includes('`@biaslab/cli`')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.includes('no entry in tooling/dependency-rules.mjs')),
      problems.join('\n'),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the science sits above the lab and the report: either importing the reproductions is caught', () => {
  const root = fixture({
    '@biaslab/lab': { source: "import { observedBreakPoint } from '@biaslab/reproductions';\n" },
    '@biaslab/report': { deps: ['@biaslab/reproductions'] },
    '@biaslab/reproductions': {
      deps: ['@biaslab/lab', '@biaslab/report', '@biaslab/theory'],
      source: "import { runExperiment } from '@biaslab/lab';\n",
    },
  });
  try {
    const problems: string[] = checkRepository(root);
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.ok(
      problems.every((p) => p.includes('`@biaslab/reproductions`')),
      problems.join('\n'),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

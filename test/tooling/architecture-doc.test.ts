import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain ESM module without declarations
import { ALLOWED, ENGINE, PLUGIN_PACKAGES } from '../../tooling/dependency-rules.mjs';
import { BLOCK_END, BLOCK_START, dependencyBlock, generatedBlock, layers } from './dependency-table';
import type { DependencyRules } from './dependency-table';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const docPath = join(repoRoot, 'docs', 'architecture.md');
const rules: DependencyRules = { allowed: ALLOWED, plugins: PLUGIN_PACKAGES, engine: ENGINE };

test('docs/architecture.md carries the dependency table of tooling/dependency-rules.mjs', () => {
  const expected = dependencyBlock(rules);
  const found = generatedBlock(readFileSync(docPath, 'utf8'));
  assert.ok(found, `docs/architecture.md has no block between \`${BLOCK_START}\` and \`${BLOCK_END}\``);
  assert.equal(
    found,
    expected,
    `docs/architecture.md disagrees with tooling/dependency-rules.mjs; replace its block with:\n\n${expected}\n`,
  );
});

test('docs/architecture.md names every workspace package outside the generated table', () => {
  const doc = readFileSync(docPath, 'utf8');
  const prose = doc.replace(generatedBlock(doc) ?? '', '');
  const names = ['packages', 'apps'].flatMap((group) =>
    readdirSync(join(repoRoot, group))
      .map((dir) => join(repoRoot, group, dir, 'package.json'))
      .filter((manifest) => existsSync(manifest))
      .map((manifest) => (JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name),
  );
  assert.ok(names.length >= 15, names.join(', '));
  const missing = names.filter((name) => !prose.includes(`\`${name}\``));
  assert.deepEqual(
    missing,
    [],
    `packages without a description in docs/architecture.md: ${missing.join(', ')}`,
  );
});

test('every package sits above what it may import, and a cycle is refused', () => {
  const depth = layers(ALLOWED as DependencyRules['allowed']);
  for (const [name, deps] of Object.entries(ALLOWED as DependencyRules['allowed'])) {
    for (const dep of deps) assert.ok(depth.get(name)! > depth.get(dep)!, `${name} → ${dep}`);
  }
  assert.throws(() => layers({ a: ['b'], b: ['a'] }), /dependency cycle: a → b → a/);
});

test('the table changes when the rules do', () => {
  const fewer = {
    ...rules,
    allowed: { ...rules.allowed, '@biaslab/lab': ['@biaslab/runtime', '@biaslab/core'] },
  };
  assert.notEqual(dependencyBlock(fewer), dependencyBlock(rules));
});

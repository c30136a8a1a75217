import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markdownFiles, markdownLinks, relativeLinkPath } from './markdown-links';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

test('every relative link in the repository’s markdown files names a file or directory that exists', () => {
  const files = markdownFiles(repoRoot);
  assert.ok(files.includes('README.md') && files.includes(join('docs', 'architecture.md')), files.join(', '));
  const broken: string[] = [];
  let checked = 0;
  for (const file of files) {
    for (const { line, target } of markdownLinks(readFileSync(join(repoRoot, file), 'utf8'))) {
      const path = relativeLinkPath(target);
      if (path === undefined) continue;
      checked++;
      const resolved = path.startsWith('/') ? join(repoRoot, path) : join(repoRoot, dirname(file), path);
      if (!existsSync(resolved)) broken.push(`${file}:${line}: \`${target}\``);
    }
  }
  assert.ok(checked > 20, `only ${checked} relative links found: is the link parser broken?`);
  assert.deepEqual(broken, [], `links to files that do not exist:\n  ${broken.join('\n  ')}`);
});

test('links are found in text, images and reference definitions, and not inside code', () => {
  const text = [
    'See [the guide](docs/guide.md#setup) and ![a figure](<figures/a b.png> "title").',
    'A [`@biaslab/core`](packages/core) row; `[not](a-link.md)` is code.',
    '```md',
    '[inside a fence](fenced.md)',
    '```',
    '[label]: ../other.md',
    '[web](https://example.org/x.md) and [here](#section)',
  ].join('\n');
  const links = markdownLinks(text);
  assert.deepEqual(links, [
    { line: 1, target: 'docs/guide.md#setup' },
    { line: 1, target: 'figures/a b.png' },
    { line: 2, target: 'packages/core' },
    { line: 6, target: '../other.md' },
    { line: 7, target: 'https://example.org/x.md' },
    { line: 7, target: '#section' },
  ]);
  assert.deepEqual(
    links.map((l) => relativeLinkPath(l.target)),
    ['docs/guide.md', 'figures/a b.png', 'packages/core', '../other.md', undefined, undefined],
  );
});

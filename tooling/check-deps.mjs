#!/usr/bin/env node
// Repository check: fails when a workspace package declares or imports a package against the dependency
// direction of docs/architecture.md, or when onnxruntime-node is imported outside @biaslab/runtime.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALLOWED, ENGINE } from './dependency-rules.mjs';

const IMPORT_RE = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;

/** Bare package name of an import specifier (`@scope/name/deep` → `@scope/name`). */
function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || specifier.startsWith('/')) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function* sourceFiles(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(m?[tj]s)$/.test(entry)) yield path;
  }
}

/**
 * Checks every package directory under `root/packages` and `root/apps`.
 * @param {string} root repository root
 * @returns {string[]} one message per violation
 */
export function checkRepository(root) {
  const problems = [];
  for (const group of ['packages', 'apps']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const dir of readdirSync(groupDir)) {
      const manifestPath = join(groupDir, dir, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      const name = manifest.name;
      const allowed = ALLOWED[name];
      if (!allowed) {
        problems.push(`${relative(root, manifestPath)}: package \`${name}\` has no entry in tooling/dependency-rules.mjs`);
        continue;
      }
      const declared = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.devDependencies };
      for (const dep of Object.keys(declared)) {
        if (dep.startsWith('@biaslab/') && dep !== '@biaslab/tooling' && !allowed.includes(dep)) {
          problems.push(`${relative(root, manifestPath)}: \`${name}\` depends on \`${dep}\`; allowed: ${allowed.join(', ') || 'none'}`);
        }
        if (dep === ENGINE.module && name !== ENGINE.owner) {
          problems.push(`${relative(root, manifestPath)}: only \`${ENGINE.owner}\` may depend on \`${ENGINE.module}\``);
        }
      }
      for (const file of sourceFiles(join(groupDir, dir, 'src'))) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(IMPORT_RE)) {
          const pkg = packageOf(match[1] ?? match[2] ?? match[3]);
          if (!pkg || pkg === name) continue;
          if (pkg.startsWith('@biaslab/') && !allowed.includes(pkg)) {
            problems.push(`${relative(root, file)}: \`${name}\` imports \`${pkg}\`; allowed: ${allowed.join(', ') || 'none'}`);
          }
          if (pkg === ENGINE.module && name !== ENGINE.owner) {
            problems.push(`${relative(root, file)}: \`${ENGINE.module}\` may be imported only by \`${ENGINE.owner}\``);
          }
        }
      }
    }
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const problems = checkRepository(root);
  if (problems.length) {
    console.error(`Dependency check failed (${problems.length}):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('Dependency check passed.');
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BiaslabError, Registry, isBiaslabError } from '@biaslab/core';
import type { Plugin } from '@biaslab/core';
import { datasetsPlugin } from '@biaslab/datasets';
import { metricsPlugin } from '@biaslab/metrics';
import { modelsPlugin } from '@biaslab/models';
import { optimizersPlugin } from '@biaslab/optimizers';

/** The plugins every biaslab registry starts with. */
export const BUILT_IN_PLUGINS: readonly Plugin[] = [
  modelsPlugin,
  datasetsPlugin,
  optimizersPlugin,
  metricsPlugin,
];

/**
 * A Registry with the built-in plugins plus each of `specs`: a path (relative to `cwd`) or a package name,
 * loaded by dynamic import; the module's default export or its `plugin` export must be a Plugin.
 */
export async function createRegistry(specs: readonly string[], cwd: string): Promise<Registry> {
  const registry = new Registry();
  for (const plugin of BUILT_IN_PLUGINS) registry.use(plugin);
  for (const spec of specs) {
    const plugin = await loadPlugin(spec, cwd);
    try {
      registry.use(plugin);
    } catch (error) {
      // Name the module too: the plugin's own name may not say which file or package it came from.
      if (!isBiaslabError(error)) throw error;
      throw new BiaslabError(error.code, `${error.message} (plugin module \`${spec}\`)`, error.details, {
        cause: error,
      });
    }
  }
  return registry;
}

/** True when a plugin spec names a file (relative or absolute path, or a `.js`/`.mjs`/`.ts` file) rather than a package. */
export function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.(m?js|ts)$/.test(spec);
}

/** Imports one plugin module. */
export async function loadPlugin(spec: string, cwd: string): Promise<Plugin> {
  const target = looksLikePath(spec)
    ? pathToFileURL(resolve(cwd, spec)).href
    : (installedPackageEntry(spec, cwd) ?? spec);
  let module: Record<string, unknown>;
  try {
    module = (await import(target)) as Record<string, unknown>;
  } catch (error) {
    throw new BiaslabError(
      'INVALID_PLUGIN',
      `Cannot load plugin \`${spec}\`: ${(error as Error).message.split('\n')[0]}. Give a path to a module ` +
        '(relative to the current directory) or an installed package name.',
      { spec },
      { cause: error },
    );
  }
  const plugin = (module.default ?? module.plugin) as Plugin | undefined;
  if (!plugin || typeof plugin !== 'object' || !('components' in plugin)) {
    throw new BiaslabError(
      'INVALID_PLUGIN',
      `Module \`${spec}\` has no plugin: expected a default export or a \`plugin\` export made with definePlugin() ` +
        `from @biaslab/core, found exports ${
          Object.keys(module)
            .map((k) => `\`${k}\``)
            .join(', ') || '(none)'
        }.`,
      { spec },
    );
  }
  return plugin;
}

/**
 * The entry file URL of package `name` installed in a `node_modules` at or above `cwd` (the user's project,
 * where `npm install my-plugin` put it), or undefined to let `import` resolve it from biaslab's own location.
 * Reads the package's `exports["."]` (conditions `import`, `node`, `default`), else `module`, `main`, `index.js`.
 */
function installedPackageEntry(name: string, cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const manifestPath = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
      const entry = exportedEntry(manifest.exports) ?? manifest.module ?? manifest.main ?? 'index.js';
      return typeof entry === 'string' ? pathToFileURL(join(dirname(manifestPath), entry)).href : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function exportedEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (exports === null || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return exportedEntry(map['.']);
  for (const condition of ['import', 'node', 'default']) {
    const entry = exportedEntry(map[condition]);
    if (entry) return entry;
  }
  return undefined;
}

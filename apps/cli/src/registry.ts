import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BiaslabError, Registry } from '@biaslab/core';
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
  for (const spec of specs) registry.use(await loadPlugin(spec, cwd));
  return registry;
}

function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.(m?js|ts)$/.test(spec);
}

/** Imports one plugin module. */
export async function loadPlugin(spec: string, cwd: string): Promise<Plugin> {
  const target = looksLikePath(spec) ? pathToFileURL(resolve(cwd, spec)).href : spec;
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

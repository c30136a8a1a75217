import { Command } from 'commander';
import type { Registry } from '@biaslab/core';
import { toJson } from '@biaslab/results';
import { table } from '../text-table';
import { optionDocs } from '../option-docs';
import { createRegistry } from '../registry';
import type { CommandContext } from './experiment-command';

interface PluginFlags {
  plugin?: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `biaslab plugins list|show`. */
export function pluginsCommand(context: CommandContext): Command {
  const { io } = context;
  const command = new Command('plugins').description('List components and show their options.');
  const registryFor = (flags: PluginFlags): Promise<Registry> => createRegistry(flags.plugin ?? [], io.cwd);

  command
    .command('list')
    .description('Every registered component: key, plugin, summary.')
    .option('--plugin <module>', 'extra plugin module (path or package); repeatable', collect)
    .option('--json', 'machine-readable output')
    .action(async (flags: PluginFlags) => {
      const entries = (await registryFor(flags)).list();
      if (flags.json) {
        io.out(
          `${toJson(entries.map((e) => ({ key: e.key, plugin: e.plugin, summary: e.component.summary })))}\n`,
        );
        return;
      }
      io.out(
        `${table([['component', 'plugin', 'summary'], ...entries.map((e) => [e.key, e.plugin, e.component.summary])])}\n`,
      );
    });

  command
    .command('show')
    .argument('<key>', 'component key KIND/NAME, e.g. model/dln')
    .description('Summary, description and every option (type, default, description) of one component.')
    .option('--plugin <module>', 'extra plugin module (path or package); repeatable', collect)
    .option('--json', 'machine-readable output')
    .action(async (key: string, flags: PluginFlags) => {
      const registry = await registryFor(flags);
      const component = registry.resolve(key);
      const plugin = registry.list().find((e) => e.key === key)!.plugin;
      const options = optionDocs(component.options);
      if (flags.json) {
        io.out(
          `${toJson({ key, plugin, summary: component.summary, description: component.description ?? null, options })}\n`,
        );
        return;
      }
      const lines = [`${key}  (plugin ${plugin})`, '', component.summary];
      if (component.description) lines.push('', component.description);
      if ('needs' in component && component.needs.length > 0) {
        lines.push('', `needs: ${component.needs.join(', ')}`);
      }
      if ('provides' in component && component.provides) lines.push('', `provides: ${component.provides}`);
      lines.push('', options.length ? 'options:' : 'options: none');
      if (options.length) {
        lines.push(
          table([
            ['  name', 'type', 'default', 'description'],
            ...options.map((o) => [
              `  ${o.name}`,
              o.type,
              o.default !== undefined ? JSON.stringify(o.default) : o.required ? '(required)' : '—',
              o.description,
            ]),
          ]),
        );
      }
      io.out(`${lines.join('\n')}\n`);
    });
  return command;
}

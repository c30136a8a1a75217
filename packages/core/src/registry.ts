import { API_VERSION, COMPONENT_KINDS } from './contracts';
import type { Component, ComponentKind, ComponentOfKind, Plugin } from './contracts';
import { BiaslabError } from './errors';

/** Where a component came from, for `biaslab plugins list`. */
export interface RegisteredComponent<K extends ComponentKind = ComponentKind> {
  readonly key: string;
  readonly plugin: string;
  readonly component: ComponentOfKind[K];
}

/**
 * Components keyed `kind/name`. `use` adds a plugin's components; a duplicate key or an `apiVersion` other than
 * this build's throws. Nothing registers itself: the host decides which plugins are in use.
 */
export class Registry {
  private readonly entries = new Map<string, RegisteredComponent>();
  private readonly plugins: Plugin[] = [];

  /** Adds every component of `plugin`. All-or-nothing: on error nothing of the plugin is registered. */
  use(plugin: Plugin): this {
    if (
      !plugin ||
      typeof plugin !== 'object' ||
      typeof plugin.name !== 'string' ||
      !Array.isArray(plugin.components)
    ) {
      throw new BiaslabError(
        'INVALID_PLUGIN',
        'A plugin must be an object with `name`, `apiVersion` and `components`; see definePlugin() in @biaslab/core',
      );
    }
    if (plugin.apiVersion !== API_VERSION) {
      throw new BiaslabError(
        'API_VERSION',
        `Plugin \`${plugin.name}\` targets plugin API version ${String(plugin.apiVersion)}, but this biaslab speaks version ${API_VERSION}. ` +
          'Install a plugin release built for this version of biaslab.',
        { plugin: plugin.name, expected: API_VERSION, received: plugin.apiVersion },
      );
    }
    const staged: RegisteredComponent[] = [];
    for (const component of plugin.components) {
      if (!COMPONENT_KINDS.includes(component?.kind)) {
        throw new BiaslabError(
          'INVALID_PLUGIN',
          `Plugin \`${plugin.name}\` has a component of unknown kind \`${String(component?.kind)}\`; kinds: ${COMPONENT_KINDS.join(', ')}`,
        );
      }
      if (typeof component.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/i.test(component.name)) {
        throw new BiaslabError(
          'INVALID_PLUGIN',
          `Plugin \`${plugin.name}\` has a \`${component.kind}\` component whose name is ${JSON.stringify(component.name)}; ` +
            'expected a non-empty name of letters, digits, `-`, `_` or `.`, e.g. `lion`.',
          { plugin: plugin.name, name: component.name },
        );
      }
      const key = `${component.kind}/${component.name}`;
      if (!isZodSchema(component.options)) {
        throw new BiaslabError(
          'INVALID_PLUGIN',
          `\`${key}\` from plugin \`${plugin.name}\` has an invalid \`options\` schema: expected a zod schema, ` +
            `received ${describeValue(component.options)}. Write \`options: z.object({ ... }).strict()\` with the ` +
            '`z` exported by @biaslab/core (use `z.object({}).strict()` for a component without options).',
          { key, plugin: plugin.name },
        );
      }
      const existing = this.entries.get(key) ?? staged.find((s) => s.key === key);
      if (existing) {
        throw new BiaslabError(
          'DUPLICATE_COMPONENT',
          `\`${key}\` from plugin \`${plugin.name}\` is already registered by plugin \`${existing.plugin}\`. Rename one of them.`,
          { key, plugins: [existing.plugin, plugin.name] },
        );
      }
      staged.push({ key, plugin: plugin.name, component });
    }
    for (const entry of staged) this.entries.set(entry.key, entry);
    this.plugins.push(plugin);
    return this;
  }

  /** The component `kind/name`, or an error listing what exists of that kind. */
  get<K extends ComponentKind>(kind: K, name: string): ComponentOfKind[K] {
    const entry = this.entries.get(`${kind}/${name}`);
    if (!entry) {
      const available = this.list(kind).map((e) => e.component.name);
      throw new BiaslabError(
        'UNKNOWN_PLUGIN',
        `Unknown ${kind} \`${name}\`. Available ${kind}s: ${available.join(', ') || '(none)'}.`,
        { kind, name, available },
      );
    }
    return entry.component as ComponentOfKind[K];
  }

  /** Looks up a `kind/name` key. */
  resolve(key: string): Component {
    const [kind, name] = key.split('/');
    if (!COMPONENT_KINDS.includes(kind as ComponentKind) || !name) {
      throw new BiaslabError(
        'UNKNOWN_PLUGIN',
        `\`${key}\` is not a component key; write KIND/NAME with KIND one of ${COMPONENT_KINDS.join(', ')}, e.g. \`optimizer/gd\`.`,
      );
    }
    return this.get(kind as ComponentKind, name);
  }

  has(kind: ComponentKind, name: string): boolean {
    return this.entries.has(`${kind}/${name}`);
  }

  /** Registered components, optionally of one kind, sorted by key. */
  list<K extends ComponentKind>(kind?: K): RegisteredComponent<K>[] {
    return [...this.entries.values()]
      .filter((e) => kind === undefined || e.component.kind === kind)
      .sort((a, b) => a.key.localeCompare(b.key)) as RegisteredComponent<K>[];
  }

  /** Plugins in the order they were used. */
  usedPlugins(): readonly Plugin[] {
    return this.plugins;
  }
}

/**
 * True for a zod 4 schema. Checked by shape, not `instanceof`, so a schema from another copy of zod (a plugin
 * that bundles its own) is accepted as long as it can parse.
 */
function isZodSchema(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const schema = value as { safeParse?: unknown; _zod?: { def?: unknown } };
  return (
    typeof schema.safeParse === 'function' &&
    typeof schema._zod === 'object' &&
    schema._zod?.def !== undefined
  );
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return '`null`';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const keys = Object.keys(value).slice(0, 5);
    return `a plain object with keys ${keys.map((k) => `\`${k}\``).join(', ') || '(none)'}`;
  }
  return `a ${typeof value}`;
}

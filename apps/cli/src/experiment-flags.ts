import { Option } from 'commander';
import type { Command } from 'commander';
import { BiaslabError } from '@biaslab/core';
import { experimentSchema } from '@biaslab/lab';
import { ONE_POINT_SWEEP } from '@biaslab/reproductions';
import { inputJsonSchema } from './option-docs';
import type { JsonSchema } from './option-docs';

/** `biaslab run` (one learning rate) or `biaslab sweep` (a grid of them). */
export type ExperimentMode = 'run' | 'sweep';

/**
 * How a flag's text becomes the value at its configuration path:
 * `number` a number when the text parses as one, else the text (the schema then names the key and value);
 * `text` the text as given; `switch` `--x` true, `--no-x` false; `numbers` a comma list of numbers;
 * `one-number` a list of the one number; `names` a comma list of names; `append` repeatable, appended to
 * the list; `component` the name of a component whose options come from dotted flags (`--model.alpha`);
 * `grid` repeatable `PATH=VALUES`.
 */
export type FlagValue =
  'number' | 'text' | 'switch' | 'numbers' | 'one-number' | 'names' | 'append' | 'component' | 'grid';

/** A flag of `run`/`sweep` that sets one key of the experiment configuration. */
export interface ExperimentFlag {
  /** Name without dashes: `max-steps`. */
  readonly flag: string;
  /** Where commander puts its value: `maxSteps`. */
  readonly attribute: string;
  /** The key it sets: `['stop', 'maxSteps']`. */
  readonly path: readonly string[];
  readonly value: FlagValue;
  /** `<n>` in `--max-steps <n>`; absent for switches. */
  readonly placeholder?: string;
  /** The values the schema allows, for enum keys. */
  readonly choices?: readonly string[];
  /** The schema's description of the key, as help. */
  readonly description: string;
  /** The schema's default, when it has one. */
  readonly default?: unknown;
  readonly modes: readonly ExperimentMode[];
  /** A top-level key this flag replaces: `--lrs` drops `lrGrid`, `--lr-from` drops `lrs`. */
  readonly replaces?: string;
}

/**
 * Flags that shape their text before it becomes the value at `path` (a comma list, one value of a list, a
 * component name). Every other flag is a scalar key of a group in {@link FLAG_GROUPS}.
 */
const SHAPED_FLAGS: readonly ShapedFlag[] = [
  { flag: 'model', path: ['model', 'name'], value: 'component', placeholder: 'name' },
  { flag: 'dataset', path: ['dataset', 'name'], value: 'component', placeholder: 'name' },
  { flag: 'optimizer', path: ['optimizer', 'name'], value: 'component', placeholder: 'name' },
  { flag: 'metrics', path: ['metrics'], value: 'names', placeholder: 'list' },
  { flag: 'eta', path: ['lrs'], value: 'one-number', placeholder: 'η', modes: ['run'], replaces: 'lrGrid' },
  { flag: 'lrs', path: ['lrs'], value: 'numbers', placeholder: 'list', modes: ['sweep'], replaces: 'lrGrid' },
  { flag: 'flow', path: ['flow', 'enabled'], value: 'switch' },
  { flag: 'plugin', path: ['plugins'], value: 'append', placeholder: 'module' },
  { flag: 'grid', path: ['grid'], value: 'grid', placeholder: 'path=values', modes: ['sweep'] },
];

/**
 * Objects of the configuration whose scalar keys are flags, named prefix + key in kebab case: the top level
 * (`--seed`, `--dtype`), `stop` (`--max-steps`), `lrGrid` (`--lr-from`) and `refine` (`--refine-eta-c`).
 */
const FLAG_GROUPS: readonly FlagGroup[] = [
  { key: undefined, prefix: '' },
  { key: 'stop', prefix: '' },
  { key: 'lrGrid', prefix: 'lr', modes: ['sweep'], replaces: 'lrs' },
  { key: 'refine', prefix: 'refine', modes: ['sweep'] },
];

interface ShapedFlag {
  readonly flag: string;
  readonly path: readonly string[];
  readonly value: FlagValue;
  readonly placeholder?: string;
  readonly modes?: readonly ExperimentMode[];
  readonly replaces?: string;
}

interface FlagGroup {
  readonly key: string | undefined;
  readonly prefix: string;
  readonly modes?: readonly ExperimentMode[];
  readonly replaces?: string;
}

const BOTH: readonly ExperimentMode[] = ['run', 'sweep'];

let cached: readonly ExperimentFlag[] | undefined;

/**
 * Every experiment flag of `run` and `sweep`, in the order of the experiment schema's keys: names, types,
 * choices, defaults and help all read from `experimentSchema` (its `.describe()` texts).
 */
export function experimentFlags(): readonly ExperimentFlag[] {
  cached ??= deriveFlags(inputJsonSchema(experimentSchema));
  return cached;
}

function deriveFlags(root: JsonSchema): ExperimentFlag[] {
  const flags: ExperimentFlag[] = [];
  for (const [key, property] of Object.entries(root.properties ?? {})) {
    const shaped = SHAPED_FLAGS.filter((f) => f.path[0] === key);
    const group = FLAG_GROUPS.find((g) => g.key === key);
    if (shaped.length > 0) flags.push(...shaped.map((f) => shapedFlag(root, f)));
    else if (group) flags.push(...groupFlags(property, [key], group));
    else if (isScalar(property)) flags.push(scalarFlag(property, [key], FLAG_GROUPS[0]));
  }
  const seen = new Set<string>();
  for (const { flag } of flags) {
    if (seen.has(flag)) {
      throw new BiaslabError('INTERNAL', `Two experiment keys make the flag \`--${flag}\`; rename one.`);
    }
    seen.add(flag);
  }
  return flags;
}

/** How each kind of value is written on the command line, for the help. */
const SYNTAX: Partial<Record<FlagValue, string>> = {
  numbers: 'comma-separated',
  names: 'comma-separated names',
  'one-number': 'one value',
  append: 'repeatable',
  grid: 'repeatable, e.g. seed=0,1,2 or model.options.alpha=0.01,0.1',
};

/**
 * Adds the experiment flags of `mode` to `command`. Help is the schema's description, then in brackets the
 * key it sets, how to write it, the schema's default and the built-in main job's value where it differs.
 */
export function addExperimentFlags(command: Command, mode: ExperimentMode): Command {
  for (const flag of experimentFlags().filter((f) => f.modes.includes(mode))) {
    const option = new Option(
      `--${flag.flag}${flag.placeholder ? ` <${flag.placeholder}>` : ''}`,
      `${flag.description} [${helpNotes(flag).join('; ')}]`,
    );
    if (flag.choices) option.choices(flag.choices);
    if (flag.value === 'append' || flag.value === 'grid') option.argParser(collect);
    command.addOption(option);
    if (flag.value === 'switch') {
      command.addOption(new Option(`--no-${flag.flag}`, `sets \`${flag.path.join('.')}\` to false`));
    }
  }
  return command;
}

function helpNotes(flag: ExperimentFlag): string[] {
  const mainJob = valueAt(ONE_POINT_SWEEP, flag.path);
  return [
    flag.path.join('.'),
    ...(SYNTAX[flag.value] ? [SYNTAX[flag.value]!] : []),
    ...(hasDefault(flag.default) ? [`default ${shown(flag.default)}`] : []),
    ...(mainJob !== undefined && shown(mainJob) !== shown(flag.default)
      ? [`main job ${shown(mainJob)}`]
      : []),
  ];
}

/** An empty list or object as a default says nothing worth a help line. */
function hasDefault(value: unknown): boolean {
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  return typeof value !== 'object' || value === null || Object.keys(value).length > 0;
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let cur = value;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function shown(value: unknown): string {
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return value.join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function groupFlags(object: JsonSchema, path: readonly string[], group: FlagGroup): ExperimentFlag[] {
  return Object.entries(object.properties ?? {})
    .filter(([, property]) => isScalar(property))
    .map(([key, property]) => scalarFlag(property, [...path, key], group));
}

function scalarFlag(property: JsonSchema, path: readonly string[], group: FlagGroup): ExperimentFlag {
  const key = path.at(-1)!;
  const name = group.prefix ? `${group.prefix}${key[0].toUpperCase()}${key.slice(1)}` : key;
  const numeric = property.type === 'number' || property.type === 'integer';
  return {
    flag: kebab(name),
    attribute: name,
    path,
    value: numeric ? 'number' : property.type === 'boolean' ? 'switch' : 'text',
    ...(property.type === 'boolean'
      ? {}
      : {
          placeholder: property.enum ? 'choice' : property.type === 'integer' ? 'n' : numeric ? 'x' : 'text',
        }),
    ...(property.enum ? { choices: property.enum.map(String) } : {}),
    description: property.description ?? '',
    ...(property.default !== undefined ? { default: property.default } : {}),
    modes: group.modes ?? BOTH,
    ...(group.replaces ? { replaces: group.replaces } : {}),
  };
}

function shapedFlag(root: JsonSchema, shaped: ShapedFlag): ExperimentFlag {
  const [key, ...rest] = shaped.path;
  const top = root.properties![key];
  const property = rest.reduce<JsonSchema>((s, k) => s.properties?.[k] ?? {}, top);
  // A component's default is its parent's (`optimizer: {name: gd}`).
  const parentDefault = rest.length > 0 ? (top.default as Record<string, unknown> | undefined) : undefined;
  const fallback = parentDefault?.[rest[0]];
  return {
    flag: shaped.flag,
    attribute: shaped.flag,
    path: shaped.path,
    value: shaped.value,
    ...(shaped.placeholder ? { placeholder: shaped.placeholder } : {}),
    description: property.description ?? top.description ?? '',
    ...(property.default !== undefined
      ? { default: property.default }
      : fallback !== undefined
        ? { default: fallback }
        : {}),
    modes: shaped.modes ?? BOTH,
    ...(shaped.replaces ? { replaces: shaped.replaces } : {}),
  };
}

function isScalar(s: JsonSchema): boolean {
  return s.type === 'number' || s.type === 'integer' || s.type === 'string' || s.type === 'boolean';
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

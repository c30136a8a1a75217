import { dirname, resolve } from 'node:path';
import { BiaslabError, assertSafeOptionPath } from '@biaslab/core';
import { parseExperiment } from '@biaslab/lab';
import type { ExperimentConfig } from '@biaslab/lab';
import { readConfigFile } from './config-file';
import type { DottedOptions } from './dotted-options';
import { parseFlagValue } from './dotted-options';
import { ONE_POINT_SWEEP } from '@biaslab/reproductions';
import { experimentFlags } from './experiment-flags';
import type { ExperimentFlag, ExperimentMode } from './experiment-flags';
import { looksLikePath } from './registry';

/** A flag's value as commander hands it over: text, a switch, or the texts of a repeatable flag. */
export type FlagInput = string | boolean | readonly string[];

/**
 * The flags of `run`/`sweep` by commander attribute (`maxSteps` for `--max-steps`); the experiment flags are
 * those of `experimentFlags()`, plus `--config`.
 */
export type ExperimentFlags = { readonly config?: string } & Readonly<Record<string, FlagInput | undefined>>;

/** An experiment configuration as read, not yet validated: what the flags are written into. */
type RawConfig = Record<string, unknown>;

/**
 * Builds the experiment configuration: the config file (or, with neither a file nor `--model`/`--dataset`,
 * the built-in main job), overridden by flags, then validated by the lab's schema. Flag values stay raw here
 * so the schema reports `expected number, received "abc"` for them as for file values.
 */
export function buildConfig(
  flags: ExperimentFlags,
  dotted: DottedOptions,
  cwd: string,
  mode: ExperimentMode,
): { config: ExperimentConfig; source: string; mainJob: boolean } {
  const { raw, source, mainJob } = startingConfig(flags, cwd);
  const given = experimentFlags().filter((f) => f.modes.includes(mode));
  for (const flag of given.filter((f) => f.value === 'component')) {
    const key = flag.path[0] as 'model' | 'dataset' | 'optimizer';
    setComponent(raw, key, textFlag(flags[flag.attribute]), dotted[key]);
  }
  for (const flag of given) {
    const value = flags[flag.attribute];
    if (value !== undefined && flag.value !== 'component' && flag.value !== 'grid') {
      applyFlag(raw, flag, value);
    }
  }
  mergeMetricOptions(raw, dotted.metric);
  // Last: a grid given on the command line replaces the value from the file, the main job or a flag.
  applyGridFlags(raw, flags.grid);

  const config = parseExperiment(raw, flags.config ? source : undefined);
  if (mode === 'run' && (config.lrs?.length ?? config.lrGrid!.count) !== 1) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      `\`biaslab run\` trains at one learning rate; ${source} gives ${config.lrs?.length ?? config.lrGrid!.count}. ` +
        'Pass `--eta η`, or use `biaslab sweep` for a grid.',
    );
  }
  return { config, source, mainJob };
}

function startingConfig(
  flags: ExperimentFlags,
  cwd: string,
): { raw: RawConfig; source: string; mainJob: boolean } {
  if (flags.config) {
    const file = readConfigFile(flags.config, cwd);
    const raw: RawConfig = file.raw;
    // Plugin paths in a file are relative to the file, so an experiment directory can carry its own plugin.
    if (Array.isArray(raw.plugins)) {
      const base = dirname(resolve(cwd, file.path));
      raw.plugins = raw.plugins.map((spec: unknown) =>
        typeof spec === 'string' && looksLikePath(spec) ? resolve(base, spec) : spec,
      );
    }
    return { raw, source: file.path, mainJob: false };
  }
  if (!flags.model && !flags.dataset) {
    return { raw: structuredClone(ONE_POINT_SWEEP) as RawConfig, source: 'the built-in main job', mainJob: true };
  }
  return { raw: {}, source: 'the command line', mainJob: false };
}

/** Writes one flag's value at its path (see `FlagValue` for how the text is read). */
function applyFlag(raw: RawConfig, flag: ExperimentFlag, input: FlagInput): void {
  const text = typeof input === 'string' ? input : '';
  switch (flag.value) {
    case 'number':
      setPath(raw, flag.path, numberOrText(text));
      break;
    case 'numbers':
      setPath(
        raw,
        flag.path,
        text.split(',').map((s) => numberOrText(s.trim())),
      );
      break;
    case 'one-number':
      setPath(raw, flag.path, [numberOrText(text)]);
      break;
    case 'names':
      setPath(
        raw,
        flag.path,
        text
          .split(',')
          .map((m) => m.trim())
          .filter(Boolean),
      );
      break;
    case 'switch':
      setPath(raw, flag.path, input === true);
      break;
    case 'append': {
      if (!Array.isArray(input) || input.length === 0) return;
      const before = valueAt(raw, flag.path);
      setPath(raw, flag.path, [...(Array.isArray(before) ? before : []), ...input]);
      break;
    }
    case 'text':
    case 'component':
    case 'grid':
      setPath(raw, flag.path, text);
  }
  if (flag.replaces) delete raw[flag.replaces];
}

function textFlag(input: FlagInput | undefined): string | undefined {
  return typeof input === 'string' ? input : undefined;
}

function setComponent(
  raw: RawConfig,
  key: 'model' | 'dataset' | 'optimizer',
  name: string | undefined,
  options: Record<string, unknown>,
): void {
  if (name === undefined && Object.keys(options).length === 0) return;
  const value = raw[key];
  const current: RawConfig | undefined =
    typeof value === 'string' ? { name: value } : isObject(value) ? value : undefined;
  const sameName = name === undefined || current?.name === name;
  const currentOptions = sameName && isObject(current?.options) ? current.options : {};
  raw[key] = {
    ...(current ?? {}),
    ...(name !== undefined ? { name } : {}),
    options: { ...currentOptions, ...options },
  };
}

/** `--metric.NAME.KEY VALUE`: options of a metric that must be in the list. */
function mergeMetricOptions(raw: RawConfig, byMetric: DottedOptions['metric']): void {
  for (const [name, options] of Object.entries(byMetric)) {
    raw.metrics ??= [];
    const list: unknown[] = Array.isArray(raw.metrics) ? raw.metrics : [];
    const index = list.findIndex(
      (m) => (typeof m === 'string' ? m : isObject(m) ? m.name : undefined) === name,
    );
    if (index < 0) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        `\`--metric.${name}.…\` sets options of metric \`${name}\`, which is not in \`--metrics\`. Add it to the list.`,
      );
    }
    const entry: RawConfig =
      typeof list[index] === 'string' ? { name, options: {} } : (list[index] as RawConfig);
    list[index] = { ...entry, options: { ...(isObject(entry.options) ? entry.options : {}), ...options } };
  }
}

function applyGridFlags(raw: RawConfig, specs: FlagInput | undefined): void {
  if (!Array.isArray(specs) || specs.length === 0) return;
  const grid: RawConfig = { ...(isObject(raw.grid) ? raw.grid : {}) };
  for (const spec of specs) {
    const [path, values] = parseGridFlag(spec);
    grid[path] = values;
    // A grid given on the command line replaces the value from the file or the main job.
    deletePath(raw, path.split('.'));
  }
  raw.grid = grid;
}

/**
 * `--grid PATH=VALUES`: VALUES is a JSON array (`[[100],[200]]`), or a comma list whose items are read as
 * flag values (`0,1,2` → numbers, `mse,cross-entropy` → strings). A flag without `=` is an error.
 */
export function parseGridFlag(spec: string): [string, unknown[]] {
  const at = spec.indexOf('=');
  if (at <= 0) {
    throw new BiaslabError(
      'INVALID_OPTIONS',
      `\`--grid ${spec}\` needs PATH=VALUES, e.g. \`--grid seed=0,1,2\` or \`--grid model.options.alpha=0.01,0.1\`.`,
    );
  }
  const path = spec.slice(0, at).trim();
  // The path is later deleted from the configuration: `model.__proto__.x` would delete from Object.prototype.
  assertSafeOptionPath(path.split('.'), `grid.${path}`);
  const text = spec.slice(at + 1).trim();
  if (text === '') return [path, []];
  const parsed = parseFlagValue(text);
  if (Array.isArray(parsed)) return [path, parsed];
  return [path, text.split(',').map((item) => parseFlagValue(item.trim()))];
}

function isObject(value: unknown): value is RawConfig {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value at `keys`, through objects and arrays (numeric keys index arrays, as in grid paths). */
function valueAt(raw: RawConfig, keys: readonly string[]): unknown {
  let cur: unknown = raw;
  for (const key of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as RawConfig)[key];
  }
  return cur;
}

/**
 * Sets `keys` in `raw`, creating the objects on the way. Where the way holds something else (a file's
 * `stop: fast`), nothing is set and the schema reports that value.
 */
function setPath(raw: RawConfig, keys: readonly string[], value: unknown): void {
  let cur = raw;
  for (const key of keys.slice(0, -1)) {
    if (cur[key] === undefined || cur[key] === null) cur[key] = {};
    const next = cur[key];
    if (!isObject(next)) return;
    cur = next;
  }
  cur[keys.at(-1)!] = value;
}

function deletePath(raw: RawConfig, keys: readonly string[]): void {
  const parent = valueAt(raw, keys.slice(0, -1));
  if (parent !== null && typeof parent === 'object') delete (parent as RawConfig)[keys.at(-1)!];
}

/** A numeric flag: a number when it parses as one, else the raw text (the schema then names it). */
function numberOrText(text: string): unknown {
  const value = parseFlagValue(text);
  return typeof value === 'number' ? value : text;
}

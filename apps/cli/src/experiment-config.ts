import { dirname, resolve } from 'node:path';
import { BiaslabError, assertSafeOptionPath } from '@biaslab/core';
import { parseExperiment } from '@biaslab/lab';
import type { ExperimentConfig } from '@biaslab/lab';
import { readConfigFile } from './config-file';
import type { DottedOptions } from './dotted-options';
import { parseFlagValue } from './dotted-options';
import { MAIN_JOB } from './main-job';
import { looksLikePath } from './registry';

/** The experiment flags shared by `run` and `sweep` (as commander hands them over). */
export interface ExperimentFlags {
  config?: string;
  model?: string;
  dataset?: string;
  optimizer?: string;
  loss?: string;
  metrics?: string;
  eta?: string;
  lrs?: string;
  lrFrom?: string;
  lrTo?: string;
  lrCount?: string;
  lrSpacing?: string;
  epsilon?: string;
  patience?: string;
  maxSteps?: string;
  divergence?: string;
  dtype?: string;
  seed?: string;
  every?: string;
  threads?: string;
  batch?: string;
  flow?: boolean;
  out?: string;
  plugin?: string[];
  grid?: string[];
  refineEtaC?: string;
  refineEdge?: string;
  refineSpread?: string;
}

type Raw = Record<string, any>;

/**
 * Builds the experiment configuration: the config file (or, with neither a file nor `--model`/`--dataset`,
 * the built-in main job), overridden by flags, then validated by the lab's schema. Flag values stay raw here
 * so the schema reports `expected number, received "abc"` for them as for file values.
 */
export function buildConfig(
  flags: ExperimentFlags,
  dotted: DottedOptions,
  cwd: string,
  mode: 'run' | 'sweep',
): { config: ExperimentConfig; source: string; mainJob: boolean } {
  let raw: Raw;
  let source: string;
  let mainJob = false;
  if (flags.config) {
    const file = readConfigFile(flags.config, cwd);
    raw = file.raw;
    source = file.path;
    // Plugin paths in a file are relative to the file, so an experiment directory can carry its own plugin.
    if (Array.isArray(raw.plugins)) {
      const base = dirname(resolve(cwd, file.path));
      raw.plugins = raw.plugins.map((spec: unknown) =>
        typeof spec === 'string' && looksLikePath(spec) ? resolve(base, spec) : spec,
      );
    }
  } else if (!flags.model && !flags.dataset) {
    raw = structuredClone(MAIN_JOB) as Raw;
    source = 'the built-in main job';
    mainJob = true;
  } else {
    raw = {};
    source = 'the command line';
  }

  setComponent(raw, 'model', flags.model, dotted.model);
  setComponent(raw, 'dataset', flags.dataset, dotted.dataset);
  setComponent(raw, 'optimizer', flags.optimizer, dotted.optimizer);
  if (flags.loss !== undefined) raw.loss = flags.loss;
  if (flags.metrics !== undefined)
    raw.metrics = flags.metrics
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
  for (const [name, options] of Object.entries(dotted.metric)) {
    const list: any[] = (raw.metrics ??= []);
    const index = list.findIndex((m) => (typeof m === 'string' ? m : m?.name) === name);
    if (index < 0) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        `\`--metric.${name}.…\` sets options of metric \`${name}\`, which is not in \`--metrics\`. Add it to the list.`,
      );
    }
    const entry = typeof list[index] === 'string' ? { name, options: {} } : list[index];
    list[index] = { ...entry, options: { ...entry.options, ...options } };
  }

  if (flags.eta !== undefined) {
    raw.lrs = [num(flags.eta)];
    delete raw.lrGrid;
  }
  if (flags.lrs !== undefined) {
    raw.lrs = flags.lrs.split(',').map((s) => num(s.trim()));
    delete raw.lrGrid;
  }
  if ([flags.lrFrom, flags.lrTo, flags.lrCount, flags.lrSpacing].some((v) => v !== undefined)) {
    const grid = { ...(raw.lrGrid ?? {}) };
    if (flags.lrFrom !== undefined) grid.from = num(flags.lrFrom);
    if (flags.lrTo !== undefined) grid.to = num(flags.lrTo);
    if (flags.lrCount !== undefined) grid.count = num(flags.lrCount);
    if (flags.lrSpacing !== undefined) grid.spacing = flags.lrSpacing;
    raw.lrGrid = grid;
    delete raw.lrs;
  }
  const stop = { ...(raw.stop ?? {}) };
  if (flags.epsilon !== undefined) stop.epsilon = num(flags.epsilon);
  if (flags.patience !== undefined) stop.patience = num(flags.patience);
  if (flags.maxSteps !== undefined) stop.maxSteps = num(flags.maxSteps);
  if (flags.divergence !== undefined) stop.divergence = num(flags.divergence);
  if (Object.keys(stop).length > 0) raw.stop = stop;
  if (flags.dtype !== undefined) raw.dtype = flags.dtype;
  if (flags.seed !== undefined) raw.seed = num(flags.seed);
  if (flags.every !== undefined) raw.every = num(flags.every);
  if (flags.threads !== undefined) raw.threads = num(flags.threads);
  if (flags.batch !== undefined) raw.batch = num(flags.batch);
  if (flags.flow !== undefined) raw.flow = { ...(raw.flow ?? {}), enabled: flags.flow };
  if (flags.out !== undefined) raw.out = flags.out;
  if (flags.plugin?.length) raw.plugins = [...(raw.plugins ?? []), ...flags.plugin];
  if (flags.grid?.length) {
    const grid = { ...(raw.grid ?? {}) };
    for (const spec of flags.grid) {
      const [path, values] = parseGridFlag(spec);
      grid[path] = values;
      // A grid given on the command line replaces the value from the file or the main job.
      deletePath(raw, path.split('.'));
    }
    raw.grid = grid;
  }
  const refine = { ...(raw.refine ?? {}) };
  if (flags.refineEtaC !== undefined) refine.etaC = num(flags.refineEtaC);
  if (flags.refineEdge !== undefined) refine.edge = num(flags.refineEdge);
  if (flags.refineSpread !== undefined) refine.spread = num(flags.refineSpread);
  if (Object.keys(refine).length > 0) raw.refine = refine;

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

function setComponent(
  raw: Raw,
  key: string,
  name: string | undefined,
  options: Record<string, unknown>,
): void {
  const current = typeof raw[key] === 'string' ? { name: raw[key] } : raw[key];
  const sameName = name === undefined || current?.name === name;
  if (name === undefined && Object.keys(options).length === 0) return;
  raw[key] = {
    ...(current ?? {}),
    ...(name !== undefined ? { name } : {}),
    options: { ...(sameName ? (current?.options ?? {}) : {}), ...options },
  };
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

function deletePath(raw: Raw, keys: readonly string[]): void {
  let cur: unknown = raw;
  for (const key of keys.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Raw)[key];
  }
  if (cur !== null && typeof cur === 'object') delete (cur as Raw)[keys.at(-1)!];
}

/** A numeric flag: a number when it parses as one, else the raw text (the schema then names it). */
function num(text: string): unknown {
  const value = parseFlagValue(text);
  return typeof value === 'number' ? value : text;
}

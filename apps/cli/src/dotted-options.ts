import { BiaslabError, assertSafeOptionPath } from '@biaslab/core';

/** Prefixes of dotted component options: `--model.alpha 0.1`, `--metric.sharpness.method dense`. */
export const DOTTED_PREFIXES = ['model', 'dataset', 'optimizer', 'metric'] as const;

/** Options collected from dotted flags, by prefix; `metric` is keyed by metric name. */
export interface DottedOptions {
  model: Record<string, unknown>;
  dataset: Record<string, unknown>;
  optimizer: Record<string, unknown>;
  metric: Record<string, Record<string, unknown>>;
}

/**
 * Takes `--PREFIX.KEY VALUE` and `--PREFIX.KEY=VALUE` out of `argv` (commander never sees them) and returns
 * them with the remaining arguments. Values are parsed by `parseFlagValue`; keys may nest (`--model.a.b 1`).
 * A key `__proto__`, `prototype` or `constructor` anywhere in the path is an INVALID_OPTIONS error.
 */
export function extractDottedOptions(argv: readonly string[]): { argv: string[]; dotted: DottedOptions } {
  const dotted: DottedOptions = { model: {}, dataset: {}, optimizer: {}, metric: {} };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const match = /^--(model|dataset|optimizer|metric)\.([^=]+)(?:=(.*))?$/s.exec(token);
    if (!match || token === '--') {
      rest.push(token);
      if (token === '--') rest.push(...argv.slice(i + 1));
      if (token === '--') break;
      continue;
    }
    const [, prefix, keyPath, inline] = match;
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i + 1];
      if (next === undefined || /^--/.test(next)) {
        throw new BiaslabError(
          'INVALID_OPTIONS',
          `Option \`${token}\` needs a value, e.g. \`${token} 0.1\`.`,
        );
      }
      raw = next;
      i++;
    }
    const keys = keyPath.split('.');
    // `--model.__proto__.x 1` would otherwise set `x` on Object.prototype.
    assertSafeOptionPath(keys, `${prefix}.${keyPath}`);
    let target: Record<string, unknown>;
    if (prefix === 'metric') {
      const name = keys.shift()!;
      if (keys.length === 0) {
        throw new BiaslabError(
          'INVALID_OPTIONS',
          `Option \`${token}\` needs a metric name and a key: \`--metric.NAME.KEY VALUE\`.`,
        );
      }
      target = dotted.metric[name] ??= {};
    } else {
      target = dotted[prefix as 'model' | 'dataset' | 'optimizer'];
    }
    setPath(target, keys, parseFlagValue(raw));
  }
  return { argv: rest, dotted };
}

function setPath(target: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let cur = target;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    cur = cur[key] =
      next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
  }
  cur[keys.at(-1)!] = value;
}

/** A flag value: JSON when it parses (`0.1`, `true`, `[1,2]`, `"x"`), a comma list of numbers as an array, else the string. */
export function parseFlagValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    // not JSON
  }
  if (raw.includes(',')) {
    const parts = raw.split(',').map((p) => p.trim());
    if (parts.every((p) => p !== '' && Number.isFinite(Number(p)))) return parts.map(Number);
  }
  return raw;
}

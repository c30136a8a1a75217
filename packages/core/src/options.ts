import type { z } from 'zod';
import type { ModelComponent, ModelContext, ModelInstance } from './contracts';
import { BiaslabError } from './errors';

/**
 * Validates raw options against a component's schema and returns the parsed value with defaults filled in.
 * A failure names the option, the expected type and the value given, e.g.
 * "Invalid option `alpha` for `model/dln`: expected number, received "abc" (string)".
 */
export function parseOptions<O>(schema: z.ZodType<O>, raw: unknown, where: string): O {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const lines = describeIssues(result.error.issues, raw);
  throw new BiaslabError(
    'INVALID_OPTIONS',
    `Invalid options for \`${where}\`:\n  ${lines.join('\n  ')}\nSee \`biaslab plugins show ${where}\` for every option.`,
    { where, issues: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
  );
}

/**
 * One line per zod issue, naming the option (or config `key`), what was expected and the value given — the
 * wording every validation error of biaslab uses.
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  raw: unknown,
  noun: 'option' | 'key' = 'option',
): string[] {
  return issues.map((issue) => describeIssue(issue, raw, noun));
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown, noun: string): string {
  const path = issue.path.map(String).join('.');
  const given = valueAt(raw, issue.path);
  const received = given.found ? ` received ${formatValue(given.value)}` : '';
  switch (issue.code) {
    case 'invalid_type':
      return given.found
        ? `${noun} \`${path}\`: expected ${issue.expected},${received}`
        : `${noun} \`${path}\` is required (expected ${issue.expected})`;
    case 'unrecognized_keys':
      return `unknown ${noun}${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${prefix(path)}${k}\``).join(', ')}`;
    case 'invalid_value':
      return `${noun} \`${path}\`: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')},${received}`;
    default:
      return `${noun} \`${path || '(root)'}\`: ${issue.message},${received || ' received nothing'}`;
  }
}

function prefix(path: string): string {
  return path ? `${path}.` : '';
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  let cur: unknown = raw;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !(key in (cur as object))) return { found: false };
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: cur };
}

function formatValue(value: unknown): string {
  const type = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (text.length > 60) text = `${text.slice(0, 57)}...`;
  return `${text} (${type})`;
}

/** Keys that reach an object's prototype when written through: never allowed in an option path. */
export const UNSAFE_PATH_SEGMENTS: readonly string[] = ['__proto__', 'prototype', 'constructor'];

/**
 * Throws `code` when a key of the option path `keys` (as in `--model.a.b` or `grid: {model.options.a: …}`)
 * is `__proto__`, `prototype` or `constructor`: writing through such a key would change the prototype of
 * every object in the process instead of setting an option. `shown` is the path as the user wrote it.
 */
export function assertSafeOptionPath(
  keys: readonly string[],
  shown: string,
  code: 'INVALID_OPTIONS' | 'INVALID_CONFIG' = 'INVALID_OPTIONS',
): void {
  const unsafe = keys.find((key) => UNSAFE_PATH_SEGMENTS.includes(key));
  if (unsafe === undefined) return;
  throw new BiaslabError(
    code,
    `Option path \`${shown}\` contains the key \`${unsafe}\`, which is refused: it would write into the ` +
      `prototype of every object. Option keys may be anything but ${UNSAFE_PATH_SEGMENTS.map((k) => `\`${k}\``).join(', ')}; ` +
      'check the spelling of the path.',
    { path: shown, key: unsafe },
  );
}

/**
 * Parses raw options with a model component's schema and creates the model, as the lab does: for scripts
 * and tests that build a model from code. `create` itself takes parsed options and does not check them again.
 */
export function createModel<O>(
  component: ModelComponent<O>,
  raw: unknown,
  context: ModelContext,
): ModelInstance {
  return component.create(parseOptions(component.options, raw, `model/${component.name}`), context);
}

import { existsSync, readFileSync } from 'node:fs';
import { BiaslabError, describeIssues } from '@biaslab/core';
import type { z } from '@biaslab/core';

/**
 * JSON text of `value` with every non-finite number written as `null`, typed arrays as plain arrays and
 * bigints as decimal strings, so every file biaslab writes is standard JSON.
 */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number') return Number.isFinite(v) ? v : null;
      if (typeof v === 'bigint') return v.toString();
      if (ArrayBuffer.isView(v) && !(v instanceof DataView))
        return Array.from(v as unknown as ArrayLike<number>);
      return v;
    },
    indent,
  );
}

/**
 * Checks one value read from `where` against the schema it was written with and returns it unchanged (keys the
 * schema does not name are kept, in file order). Schemas of the results format hold no defaults or
 * transforms, so the value read is the value written.
 */
export function checkRow<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return value as T;
  throw new BiaslabError(
    'RESULTS',
    `${where} is not a valid ${schema.description ?? 'row'}:\n  ${describeIssues(result.error.issues, value, 'key').join('\n  ')}\n` +
      'It was written by another version of biaslab or edited by hand; remove the file to recompute it.',
    { where, issues: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
  );
}

/**
 * The rows of a JSON Lines file, in order, each checked against `schema` (errors name the file and the line).
 * A last line without its newline is the trace of a write that was cut off: it is ignored, as are blank
 * lines. Any other unparsable line is an error. A missing file has no rows.
 */
export function readJsonLines<T>(path: string, schema: z.ZodType<T>): T[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  // The piece after the last newline is empty for a complete file and a cut-off write otherwise.
  const complete = text.split('\n').slice(0, -1);
  const rows: T[] = [];
  complete.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new BiaslabError(
        'RESULTS',
        `Line ${i + 1} of \`${path}\` is not JSON (${(error as Error).message}). Remove the file to recompute it.`,
        { where: `${path}:${i + 1}` },
        { cause: error },
      );
    }
    rows.push(checkRow(schema, value, `Line ${i + 1} of \`${path}\``));
  });
  return rows;
}

/** The JSON document at `path`, checked against `schema`; undefined when the file does not exist. */
export function readJsonFile<T>(path: string, schema: z.ZodType<T>): T | undefined {
  if (!existsSync(path)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new BiaslabError(
      'RESULTS',
      `\`${path}\` is not valid JSON (${(error as Error).message}). Rerun into a fresh \`out\` directory or restore the file.`,
      { where: path },
      { cause: error },
    );
  }
  return checkRow(schema, value, `\`${path}\``);
}

import { existsSync, readFileSync } from 'node:fs';
import { BiaslabError } from '@biaslab/core';

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
 * The JSON objects of a JSON Lines file, in order. A last line without its newline is the trace of a write
 * that was cut off: it is ignored, as are blank lines. Any other unparsable line is an error.
 */
export function readJsonLines(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  // The piece after the last newline is empty for a complete file and a cut-off write otherwise.
  const complete = text.split('\n').slice(0, -1);
  const rows: Record<string, unknown>[] = [];
  complete.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push(JSON.parse(line) as Record<string, unknown>);
    } catch (error) {
      throw new BiaslabError(
        'RESULTS',
        `Line ${i + 1} of \`${path}\` is not JSON (${(error as Error).message}). Remove the file to recompute it.`,
      );
    }
  });
  return rows;
}

/**
 * One CSV field (RFC 4180): empty for null, undefined and non-finite numbers; numbers in JavaScript's
 * shortest round-trip form; objects and arrays as JSON; quoted (with quotes doubled) when the text holds a
 * comma, a quote, a line break, or leading or trailing spaces.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : '';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else text = JSON.stringify(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record: fields joined by commas, ended by CRLF (RFC 4180). */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A number for tables: 4 significant digits, `—` for missing values. */
export function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x !== 0 && (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3)) {
    return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  }
  return String(Number(x.toPrecision(digits)));
}

/** Left-aligned text columns separated by two spaces; the first row is the header. */
export function table(rows: readonly (readonly string[])[], rightAlign: readonly boolean[] = []): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c] - [...cell].length);
        return rightAlign[c] ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return rows.map(line).join('\n');
}

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

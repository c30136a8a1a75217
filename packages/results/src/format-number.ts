/**
 * `x` rounded to `digits` significant digits, in JavaScript's shortest form (`0.00006593`, `3.983`,
 * `1.19e+21`). This is the text of numbers that end up inside result files and file names (stop reasons, run
 * ids, figure labels), so it never changes.
 */
export function formatSignificant(x: number, digits: number): string {
  return String(Number(x.toPrecision(digits)));
}

/** Options of {@link formatNumber}. */
export interface FormatNumberOptions {
  /** Integers below 1e7 in full (columns that hold counts: steps, seeds) instead of to `digits` digits. */
  readonly exactIntegers?: boolean;
}

/**
 * A measured number for tables, verdicts and terminal output: `digits` (default 4) significant digits,
 * scientific notation outside [1e-3, 1e5) with trailing zeros dropped (`1.2e-8`, `1.19e+10`, `1e+9`); `—` for
 * missing (null, undefined, NaN) and `∞`/`−∞` for infinities.
 */
export function formatNumber(
  x: number | null | undefined,
  digits = 4,
  options: FormatNumberOptions = {},
): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (options.exactIntegers && Number.isInteger(x) && abs < 1e7) return String(x);
  if (abs < 1e-3 || abs >= 1e5) {
    // 1.230e-8 → 1.23e-8, 1.000e+9 → 1e+9
    const [mantissa, exponent] = x.toExponential(Math.max(0, digits - 1)).split('e');
    return `${String(Number(mantissa))}e${exponent}`;
  }
  return formatSignificant(x, digits);
}

/**
 * A number for tables and verdicts: 4 significant digits, scientific notation outside [1e-3, 1e5), integers
 * as integers; `—` for missing (null, undefined, NaN) and `∞`/`−∞` for infinities.
 */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (Number.isInteger(x) && abs < 1e7) return String(x);
  if (abs < 1e-3 || abs >= 1e5) {
    // 1.230e-8 → 1.23e-8, 1.000e+9 → 1e9
    const [mantissa, exponent] = x.toExponential(Math.max(0, digits - 1)).split('e');
    return `${String(Number(mantissa))}e${exponent.replace('+', '')}`;
  }
  return String(Number(x.toPrecision(digits)));
}

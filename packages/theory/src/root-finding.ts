import { BiaslabError } from '@biaslab/core';

/**
 * The root of a continuous, strictly increasing f: ℝ → ℝ, found by bracketing from `start` (steps that double
 * until f changes sign) and then safeguarded Newton: a Newton step x − f(x)/f′(x) is taken when it stays
 * inside the bracket and shrinks |f|, otherwise the bracket is bisected. Converges to the last bit of the
 * bracket (or |f| = 0). Infinite values of f (exponent overflow far from the root) are fine: only their sign
 * is used. Throws `INVALID_OPTIONS` with `what` in the message when no sign change exists within |x| ≤ 1e6.
 */
export function increasingRoot(
  f: (x: number) => number,
  df: (x: number) => number,
  start: number,
  what: string,
): number {
  const f0 = f(start);
  if (f0 === 0) return start;
  const direction = f0 < 0 ? 1 : -1;
  let near = start;
  let far = start;
  let step = 1;
  let fFar = f0;
  while (Math.sign(fFar) === Math.sign(f0)) {
    near = far;
    far = start + direction * step;
    fFar = f(far);
    step *= 2;
    if (step > 2e6) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        `No root of ${what}: it keeps the sign of ${f0 < 0 ? 'a negative' : 'a positive'} value for all |c| ≤ 1e6. ` +
          'Check that the data admit an interpolator of this form (see the domain in the documentation).',
        { what },
      );
    }
    if (Number.isNaN(fFar)) {
      throw new BiaslabError(
        'INTERNAL',
        `${what} is NaN at ${far}; the inputs overflow the float64 range.`,
        {},
      );
    }
  }
  if (fFar === 0) return far;
  let lo = Math.min(near, far);
  let hi = Math.max(near, far);
  const narrow = (p: number, fp: number) => {
    if (fp < 0) lo = Math.max(lo, p);
    else hi = Math.min(hi, p);
  };
  let x = 0.5 * (lo + hi);
  let fx = f(x);
  let width = hi - lo;
  let forceBisection = false;
  for (let it = 0; it < 2000; it++) {
    if (fx === 0) return x;
    narrow(x, fx);
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) return x;
    let next = forceBisection ? mid : x - fx / df(x);
    if (!(next > lo && next < hi) || !Number.isFinite(fx)) next = mid;
    let fNext = f(next);
    // A Newton step that fails to halve |f| yields to bisection.
    if (next !== mid && !(Math.abs(fNext) < 0.5 * Math.abs(fx))) {
      narrow(next, fNext);
      next = 0.5 * (lo + hi);
      fNext = f(next);
    } else if (next !== mid && Math.abs(next - x) <= 4 * Number.EPSILON * Math.max(Math.abs(x), 1e-300)) {
      return next;
    }
    // Newton creeping from one side (badly scaled f) must still halve the bracket every other step.
    narrow(next, fNext);
    forceBisection = hi - lo > 0.5 * width;
    width = hi - lo;
    x = next;
    fx = fNext;
  }
  return x;
}

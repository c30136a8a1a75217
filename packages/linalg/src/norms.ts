/** ‖x‖₁ = Σ |xᵢ|, summed in index order. */
export function l1Norm(x: ArrayLike<number>): number {
  return l1NormOfParts([x]);
}

/** ‖x‖₁ of the concatenation of `parts` (e.g. the trained slots of θ), summed in order. */
export function l1NormOfParts(parts: Iterable<ArrayLike<number>>): number {
  let sum = 0;
  for (const part of parts) for (let i = 0; i < part.length; i++) sum += Math.abs(part[i]);
  return sum;
}

/**
 * ‖x‖₂ by a scaled sum of squares, scale·√ssq with scale = max |xᵢ| so far (as LAPACK's dnrm2): no overflow or
 * underflow for extreme entries, so a diverging run reports a finite norm as long as one exists. NaN when an
 * entry is NaN, +∞ when an entry is infinite.
 */
export function l2Norm(x: ArrayLike<number>): number {
  return l2NormOfParts([x]);
}

/** ‖x‖₂ of the concatenation of `parts`, by the scaled sum of squares of {@link l2Norm}. */
export function l2NormOfParts(parts: Iterable<ArrayLike<number>>): number {
  let scale = 0;
  let ssq = 1;
  let infinite = false;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const a = Math.abs(part[i]);
      if (a === 0) continue;
      if (Number.isNaN(a)) return Number.NaN;
      if (a === Infinity) {
        infinite = true;
        continue;
      }
      // scale·√ssq stays the norm of what was seen: rescale ssq when a new largest entry arrives.
      if (a > scale) {
        ssq = 1 + ssq * (scale / a) ** 2;
        scale = a;
      } else ssq += (a / scale) ** 2;
    }
  }
  return infinite ? Infinity : scale * Math.sqrt(ssq);
}

/**
 * ‖x‖₂ in two passes: m = max |xᵢ|, then m·√Σ(xᵢ/m)² — the same overflow-safe norm as {@link l2Norm} with the
 * scale fixed up front instead of updated on the way, so the last bit can differ. Returns m itself when m is 0,
 * NaN or +∞.
 *
 * Two scalings are kept because results already written used each: the metrics (`l2`, `layer-norms`,
 * `distance`, …) the one-pass {@link l2Norm}, the optimizers (`gradNorm`, SAM's ascent, clipping, the flow's
 * power iteration) this one. Using {@link l2Norm} for both would move recorded `gradNorm` values by up to
 * 1.1e-14 relative; fold them into one when results may change.
 */
export function l2NormTwoPass(x: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < x.length; i++) scale = Math.max(scale, Math.abs(x[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i] / scale) ** 2;
  return scale * Math.sqrt(sum);
}

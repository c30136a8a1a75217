/** Relative difference |a − b| / |b|. */
export function relativeGap(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

/** Relative ℓ2 distance ‖a − b‖ / ‖b‖. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

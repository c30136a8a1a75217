/** True when `a` and `b` have the same length and bitwise-equal entries (NaN never equals; O(n)). */
export function sameVector(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

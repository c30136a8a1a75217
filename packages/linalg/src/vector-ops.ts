/** ⟨a, b⟩ = Σ aᵢbᵢ, summed in index order over `a`'s length. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** y ← y + a·x, in place. */
export function axpy(a: number, x: ArrayLike<number>, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i];
}

/** x ← a·x, in place. */
export function scaleInPlace(a: number, x: Float64Array): void {
  for (let i = 0; i < x.length; i++) x[i] *= a;
}

/**
 * ‖v‖₂, scaled by max |vᵢ| to avoid overflow when entries are huge (a diverging run must report a finite
 * norm as long as possible).
 */
export function l2Norm(v: Float64Array): number {
  let scale = 0;
  for (const x of v) scale = Math.max(scale, Math.abs(x));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let sum = 0;
  for (const x of v) sum += (x / scale) ** 2;
  return scale * Math.sqrt(sum);
}

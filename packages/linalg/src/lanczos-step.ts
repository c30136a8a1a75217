import { axpy, dot } from './vector-ops';

/**
 * One Lanczos step with full reorthogonalisation, shared by `lanczos` (extreme Ritz pairs) and
 * `lanczosTridiagonal` (SLQ): given w = H·q_j, makes w ⊥ q_0…q_j by the three-term recurrence and then
 * classical Gram–Schmidt against the whole basis, twice ("twice is enough"; Giraud et al. 2005).
 * Overwrites `w` with the unnormalised next direction and returns α_j = ⟨q_j, H q_j⟩.
 */
export function reorthogonalizedStep(
  basis: readonly Float64Array[],
  j: number,
  w: Float64Array,
  betaPrevious: number,
): number {
  const q = basis[j];
  let alpha = dot(q, w);
  axpy(-alpha, q, w);
  if (j > 0) axpy(-betaPrevious, basis[j - 1], w);
  for (let pass = 0; pass < 2; pass++) {
    const coefficients = basis.map((qi) => dot(qi, w));
    for (let i = 0; i < basis.length; i++) axpy(-coefficients[i], basis[i], w);
    alpha += coefficients[j];
  }
  return alpha;
}

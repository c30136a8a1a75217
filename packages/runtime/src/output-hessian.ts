import type { LossKind } from '@biaslab/core';
import type { Emitter } from '@biaslab/autodiff';

/**
 * The Hessian of the loss head with respect to the model output f ∈ ℝ^{n×k}, applied to w (shaped like f),
 * emitted as graph nodes, for the Gauss–Newton product Jᵀ H_ℓ J v:
 * - `mse`:           H_ℓ w = w / N                                   (ℓ = ½‖f − y‖², so ∂²ℓ/∂f² = I)
 * - `cross-entropy`: H_ℓ w = (p ⊙ w − p ⟨p, w⟩) / N, p = softmax(f) row-wise  (diag(p) − ppᵀ per sample)
 * with N = `normalizer`, the number of samples the loss averages over. Neither depends on the targets y.
 */
export function outputHessian(
  loss: LossKind,
  normalizer: number,
): (e: Emitter, f: string, w: string) => string {
  return (e, f, w) => {
    const scale = e.scalarLike(1 / normalizer, f);
    if (loss === 'mse') return e.op('Mul', [w, scale]);
    const p = e.op('Softmax', [f], { axis: { type: 'int', value: 1 } });
    const pw = e.op('Mul', [p, w]);
    // ⟨p, w⟩ per row, kept as [n, 1] so it broadcasts against p
    const inner = e.reduceSum(pw, [1], true);
    const centred = e.op('Sub', [pw, e.op('Mul', [p, inner])]);
    return e.op('Mul', [centred, scale]);
  };
}

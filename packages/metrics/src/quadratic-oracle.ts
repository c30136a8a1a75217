import type { Oracle } from '@biaslab/core';
import { matVec } from '@biaslab/linalg';

/**
 * The quadratic L(θ) = ½ θᵀAθ − bᵀθ with a dense row-major A: for symmetric A, ∇L = Aθ − b and ∇²L = A
 * exactly. A test oracle whose Hessian is known: `hvp` returns A·v as given (a non-symmetric A imitates a wrong
 * derivative rule); `hvps()` counts the products asked of it.
 */
export function quadraticOracle(a: Float64Array, b?: Float64Array): Oracle & { hvps(): number } {
  const size = Math.round(Math.sqrt(a.length));
  const shift = b ?? new Float64Array(size);
  let hvps = 0;
  const loss = (theta: Float64Array): number => {
    const at = matVec(a, theta);
    let s = 0;
    for (let i = 0; i < size; i++) s += 0.5 * theta[i] * at[i] - shift[i] * theta[i];
    return s;
  };
  return {
    size,
    loss: async (theta) => loss(theta),
    grad: async (theta) => ({ loss: loss(theta), grad: matVec(a, theta).map((g, i) => g - shift[i]) }),
    hvp: async (_theta, v) => {
      hvps++;
      return matVec(a, v);
    },
    hvps: () => hvps,
  };
}

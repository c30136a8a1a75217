// Closed forms for the shared-weight diagonal linear network β = w⊙w on one data point (x, y), loss
// L = ½r² with r = ⟨x, w⊙w⟩ − y (docs/science.md, "Diagonal linear networks"), written in plain JavaScript so
// the tests can hold the ONNX stack against them.
import { dot, symmetricEigen } from '@biaslab/linalg';

export { dot };

/**
 * The limit of gradient flow from w₀ = α·1: β_GF,i = α² e^{c xᵢ} with c the root of
 * g(c) = Σᵢ xᵢ α² e^{c xᵢ} − y (since ẇᵢ = −2r xᵢ wᵢ, every wᵢ(t) = α e^{xᵢ·(−2∫r)}).
 * g is increasing for x > 0, so the root is bracketed and bisected, then polished by Newton steps; the
 * returned `residual` is |g(c)|.
 */
export function gradientFlowLimit(
  x: readonly number[],
  y: number,
  alpha: number,
): { beta: Float64Array; c: number; residual: number } {
  if (!x.every((xi) => xi > 0) || !(y > 0)) {
    throw new RangeError(`gradientFlowLimit needs x > 0 and y > 0, received x = [${x.join(', ')}], y = ${y}`);
  }
  const a2 = alpha * alpha;
  const g = (c: number) => x.reduce((s, xi) => s + xi * a2 * Math.exp(c * xi), 0) - y;
  const dg = (c: number) => x.reduce((s, xi) => s + xi * xi * a2 * Math.exp(c * xi), 0);
  let lo = -1;
  let hi = 1;
  while (g(lo) > 0) lo *= 2;
  while (g(hi) < 0) hi *= 2;
  // Bisection until the bracket is below 1e-15 (relative to |c|) or cannot shrink further in float64.
  while (hi - lo > 1e-15 * Math.max(1, Math.abs(lo))) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (g(mid) < 0) lo = mid;
    else hi = mid;
  }
  let c = 0.5 * (lo + hi);
  for (let k = 0; k < 3; k++) c -= g(c) / dg(c);
  return { beta: Float64Array.from(x, (xi) => a2 * Math.exp(c * xi)), c, residual: Math.abs(g(c)) };
}

/** The exact Hessian ∇²L(w) = 4(x⊙w)(x⊙w)ᵀ + 2r·diag(x), d × d row-major. */
export function exactHessian(x: readonly number[], y: number, w: ArrayLike<number>): Float64Array {
  const d = x.length;
  const xw = Float64Array.from(x, (xi, i) => xi * w[i]);
  const r =
    dot(
      x,
      Float64Array.from(w, (wi) => wi * wi),
    ) - y;
  const h = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) h[i * d + j] = 4 * xw[i] * xw[j];
    h[i * d + i] += 2 * r * x[i];
  }
  return h;
}

/** The eigenvalue of largest magnitude (with its sign) of the exact Hessian, by the dense eigensolver. */
export function exactSharpness(x: readonly number[], y: number, w: ArrayLike<number>): number {
  const { values } = symmetricEigen(exactHessian(x, y, w), x.length);
  const lo = values[0];
  const hi = values[x.length - 1];
  return Math.abs(hi) >= Math.abs(lo) ? hi : lo;
}

/** At an interpolator the Hessian has rank one: S = 4‖x⊙w‖² = 4 Σᵢ xᵢ² βᵢ. */
export function interpolatorSharpness(x: readonly number[], beta: ArrayLike<number>): number {
  return 4 * x.reduce((s, xi, i) => s + xi * xi * beta[i], 0);
}

/**
 * GD on the closed-form gradient ∇L = 2r(x⊙w) in plain JavaScript, w ← w − η·2r(x⊙w), from w₀ = α·1 until
 * L < `lossBelow` at `consecutive` successive iterates or `maxSteps`: an independent twin of the ONNX run.
 */
export function closedFormGd(
  x: readonly number[],
  y: number,
  alpha: number,
  eta: number,
  stop: { lossBelow: number; consecutive: number; maxSteps: number },
): { w: Float64Array; steps: number } {
  let w = new Float64Array(x.length).fill(alpha);
  let below = 0;
  for (let step = 0; step < stop.maxSteps; step++) {
    const r =
      dot(
        x,
        w.map((wi) => wi * wi),
      ) - y;
    below = 0.5 * r * r < stop.lossBelow ? below + 1 : 0;
    if (below >= stop.consecutive) return { w, steps: step };
    w = w.map((wi, i) => wi - eta * 2 * r * x[i] * wi);
  }
  return { w, steps: stop.maxSteps };
}

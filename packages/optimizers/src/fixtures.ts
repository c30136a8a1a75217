// Test oracles with closed-form loss, gradient and Hessian (the residual ones are in
// residual-oracle-fixtures.ts). Not exported from the package.
import { Rng } from '@biaslab/core';
import type { Optimizer, Oracle } from '@biaslab/core';

/**
 * L(θ) = ½ (θ − θ*)ᵀ A (θ − θ*) with an explicit symmetric positive definite A = Q diag(λ) Qᵀ, so ∇L = A(θ − θ*),
 * ∇²L = A and the gradient flow is θ(t) − θ* = Q e^{−Λt} Qᵀ (θ₀ − θ*). Counts oracle calls.
 */
export class QuadraticOracle implements Oracle {
  readonly size: number;
  calls = 0;

  constructor(
    readonly A: Float64Array,
    readonly thetaStar: Float64Array,
    readonly q?: Float64Array,
    readonly eigenvalues?: readonly number[],
  ) {
    this.size = thetaStar.length;
  }

  /** A = Q diag(eigenvalues) Qᵀ with Q a random orthogonal matrix. */
  static withSpectrum(eigenvalues: readonly number[], rng: Rng): QuadraticOracle {
    const p = eigenvalues.length;
    const q = orthogonal(p, p, rng);
    const A = new Float64Array(p * p);
    for (let i = 0; i < p; i++)
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += q[i * p + k] * eigenvalues[k] * q[j * p + k];
        A[i * p + j] = s;
      }
    return new QuadraticOracle(A, rng.normals(p), q, eigenvalues);
  }

  private times(v: Float64Array): Float64Array {
    const p = this.size;
    const out = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += this.A[i * p + j] * v[j];
      out[i] = s;
    }
    return out;
  }

  gradAt(theta: Float64Array): Float64Array {
    return this.times(theta.map((t, i) => t - this.thetaStar[i]));
  }

  lossAt(theta: Float64Array): number {
    const g = this.gradAt(theta);
    let s = 0;
    for (let i = 0; i < this.size; i++) s += (theta[i] - this.thetaStar[i]) * g[i];
    return s / 2;
  }

  /** The exact gradient-flow solution at time t from θ₀. */
  flowAt(theta0: Float64Array, t: number): Float64Array {
    const p = this.size;
    const { q, eigenvalues } = this;
    if (!q || !eigenvalues) throw new Error('flowAt needs a quadratic built by withSpectrum');
    const out = Float64Array.from(this.thetaStar);
    for (let k = 0; k < p; k++) {
      let c = 0;
      for (let i = 0; i < p; i++) c += q[i * p + k] * (theta0[i] - this.thetaStar[i]);
      c *= Math.exp(-eigenvalues[k] * t);
      for (let i = 0; i < p; i++) out[i] += c * q[i * p + k];
    }
    return out;
  }

  async loss(theta: Float64Array): Promise<number> {
    this.calls++;
    return this.lossAt(theta);
  }

  async grad(theta: Float64Array): Promise<{ loss: number; grad: Float64Array }> {
    this.calls++;
    return { loss: this.lossAt(theta), grad: this.gradAt(theta) };
  }

  async hvp(_theta: Float64Array, v: Float64Array): Promise<Float64Array> {
    this.calls++;
    return this.times(v);
  }
}

/** L(θ) = ⟨c, θ⟩: a constant gradient c, so a step's update −ηₜ·c reveals ηₜ. Hessian 0. */
export class LinearOracle implements Oracle {
  readonly size: number;
  constructor(readonly c: Float64Array) {
    this.size = c.length;
  }
  private lossAt(theta: Float64Array): number {
    let s = 0;
    for (let i = 0; i < this.size; i++) s += this.c[i] * theta[i];
    return s;
  }
  async loss(theta: Float64Array) {
    return this.lossAt(theta);
  }
  async grad(theta: Float64Array) {
    return { loss: this.lossAt(theta), grad: Float64Array.from(this.c) };
  }
  async hvp(): Promise<Float64Array> {
    return new Float64Array(this.size);
  }
}

/** m×p matrix (row-major) with orthonormal columns, by Gram–Schmidt (twice) on Gaussian columns. */
export function orthogonal(m: number, p: number, rng: Rng): Float64Array {
  const q = new Float64Array(m * p);
  for (let k = 0; k < p; k++) {
    const v = rng.normals(m);
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += v[i] * q[i * p + j];
        for (let i = 0; i < m; i++) v[i] -= dot * q[i * p + j];
      }
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < m; i++) q[i * p + k] = v[i] / norm;
  }
  return q;
}

/**
 * Runs `steps` steps of `opt` from θ₀ at step size η with one random stream seeded by `seed`: the iterate after
 * each step (`thetas`), the last one (`theta`, θ₀ when `steps` is 0) and the final state.
 */
export async function trajectory(
  opt: Optimizer<any>,
  oracle: Oracle,
  theta0: Float64Array,
  eta: number,
  steps: number,
  seed = 0,
) {
  const rng = new Rng(seed);
  let theta = theta0;
  let state = opt.init(theta);
  const thetas: Float64Array[] = [];
  for (let step = 0; step < steps; step++) {
    ({ theta, state } = await opt.step({ theta, state, eta, step, oracle, rng }));
    thetas.push(theta);
  }
  return { thetas, state, theta };
}

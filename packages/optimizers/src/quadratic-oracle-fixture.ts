import type { Oracle, Rng } from '@biaslab/core';

/**
 * Test fixture: the quadratic L(θ) = ½ (θ − θ*)ᵀ A (θ − θ*) with an explicit symmetric positive definite A,
 * so ∇L = A(θ − θ*) and ∇²L = A exactly. Counts oracle calls.
 */
export class QuadraticOracle implements Oracle {
  readonly size: number;
  calls = 0;

  constructor(
    readonly A: Float64Array,
    readonly thetaStar: Float64Array,
  ) {
    this.size = thetaStar.length;
  }

  /** A = Q diag(eigenvalues) Qᵀ with Q a random orthogonal matrix (Gram–Schmidt on Gaussian columns). */
  static withSpectrum(eigenvalues: readonly number[], rng: Rng): QuadraticOracle {
    const p = eigenvalues.length;
    const q = orthogonal(p, rng);
    const A = new Float64Array(p * p);
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += q[i * p + k] * eigenvalues[k] * q[j * p + k];
        A[i * p + j] = s;
      }
    }
    return new QuadraticOracle(A, rng.normals(p));
  }

  private residualTimesA(theta: Float64Array): Float64Array {
    const p = this.size;
    const out = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += this.A[i * p + j] * (theta[j] - this.thetaStar[j]);
      out[i] = s;
    }
    return out;
  }

  lossAt(theta: Float64Array): number {
    const g = this.residualTimesA(theta);
    let s = 0;
    for (let i = 0; i < this.size; i++) s += (theta[i] - this.thetaStar[i]) * g[i];
    return s / 2;
  }

  async loss(theta: Float64Array): Promise<number> {
    this.calls++;
    return this.lossAt(theta);
  }

  async grad(theta: Float64Array): Promise<{ loss: number; grad: Float64Array }> {
    this.calls++;
    return { loss: this.lossAt(theta), grad: this.residualTimesA(theta) };
  }

  async hvp(_theta: Float64Array, v: Float64Array): Promise<Float64Array> {
    this.calls++;
    const p = this.size;
    const out = new Float64Array(p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) out[i] += this.A[i * p + j] * v[j];
    return out;
  }
}

/** Columns of a p×p orthogonal matrix (row-major), by Gram–Schmidt on Gaussian vectors. */
function orthogonal(p: number, rng: Rng): Float64Array {
  const q = new Float64Array(p * p);
  for (let k = 0; k < p; k++) {
    const v = rng.normals(p);
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < k; j++) {
        let dot = 0;
        for (let i = 0; i < p; i++) dot += v[i] * q[i * p + j];
        for (let i = 0; i < p; i++) v[i] -= dot * q[i * p + j];
      }
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < p; i++) q[i * p + k] = v[i] / norm;
  }
  return q;
}

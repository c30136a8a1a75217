// Test oracles that are means of squared residuals, with minibatches and replaceable targets (what SGD and
// label-noise GD need). Not exported from the package.
import type { Oracle, OracleTargets, Rng } from '@biaslab/core';
import { orthogonal } from './fixtures';

/**
 * The shell shared by the residual oracles below: L(θ) = (1/n) Σᵢ ½rᵢ(θ)² over rows i (n = `rows.length`), with
 * minibatches and replaceable targets. Subclasses give their targets, `evaluate` (L and ∇L, against other
 * targets when given) and `product` (∇²L·v); this class counts every oracle call in `calls`.
 */
abstract class CountingResidualOracle implements Oracle {
  abstract readonly size: number;
  readonly samples: number;
  calls = 0;

  constructor(readonly rows: readonly number[]) {
    this.samples = rows.length;
  }

  /** The targets of the rows, in row order. */
  protected abstract targetValues(): Float64Array;

  protected abstract evaluate(
    theta: Float64Array,
    targets?: Float64Array,
  ): { loss: number; grad: Float64Array };

  get targets(): OracleTargets {
    return {
      loss: 'mse',
      values: this.targetValues(),
      grad: async (theta, targets) => {
        this.calls++;
        return this.evaluate(theta, targets);
      },
    };
  }

  protected abstract product(theta: Float64Array, v: Float64Array): Float64Array;

  /** L(θ) without counting a call (for test assertions). */
  lossAt(theta: Float64Array): number {
    return this.evaluate(theta).loss;
  }

  async loss(theta: Float64Array): Promise<number> {
    this.calls++;
    return this.evaluate(theta).loss;
  }

  async grad(theta: Float64Array) {
    this.calls++;
    return this.evaluate(theta);
  }

  async hvp(theta: Float64Array, v: Float64Array): Promise<Float64Array> {
    this.calls++;
    return this.product(theta, v);
  }
}

/**
 * Least squares L(θ) = (1/2n) Σᵢ (xᵢ·θ − yᵢ)² over n rows, with minibatches (the same loss over a subset of rows,
 * by the same code path, so the full set of rows gives bit-identical results) and replaceable targets
 * (∇ of the loss with other yᵢ). Hessian XᵀX/n.
 */
export class LeastSquaresOracle extends CountingResidualOracle {
  readonly size: number;

  constructor(
    readonly X: Float64Array,
    readonly y: Float64Array,
    rows: readonly number[] = Array.from({ length: y.length }, (_, i) => i),
  ) {
    super(rows);
    this.size = X.length / y.length;
  }

  /** X = U diag(√(nλ)) Vᵀ (U, V random orthonormal), so XᵀX/n has eigenvalues λ; y = Xθ* (consistent). */
  static withHessianSpectrum(n: number, eigenvalues: readonly number[], rng: Rng) {
    const p = eigenvalues.length;
    const u = orthogonal(n, p, rng);
    const v = orthogonal(p, p, rng);
    const X = new Float64Array(n * p);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += u[i * p + k] * Math.sqrt(n * eigenvalues[k]) * v[j * p + k];
        X[i * p + j] = s;
      }
    const thetaStar = rng.normals(p);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) y[i] += X[i * p + j] * thetaStar[j];
    return { oracle: new LeastSquaresOracle(X, y), thetaStar };
  }

  protected targetValues(): Float64Array {
    return Float64Array.from(this.rows, (i) => this.y[i]);
  }

  private residual(theta: Float64Array, i: number, targets?: Float64Array, k?: number): number {
    let r = -(targets ? targets[k!] : this.y[i]);
    for (let j = 0; j < this.size; j++) r += this.X[i * this.size + j] * theta[j];
    return r;
  }

  protected evaluate(theta: Float64Array, targets?: Float64Array) {
    const grad = new Float64Array(this.size);
    let loss = 0;
    this.rows.forEach((i, k) => {
      const r = this.residual(theta, i, targets, k);
      loss += r * r;
      for (let j = 0; j < this.size; j++) grad[j] += r * this.X[i * this.size + j];
    });
    const n = this.rows.length;
    for (let j = 0; j < this.size; j++) grad[j] /= n;
    return { loss: loss / (2 * n), grad };
  }

  protected product(_theta: Float64Array, v: Float64Array): Float64Array {
    const out = new Float64Array(this.size);
    for (const i of this.rows) {
      let xv = 0;
      for (let j = 0; j < this.size; j++) xv += this.X[i * this.size + j] * v[j];
      for (let j = 0; j < this.size; j++) out[j] += xv * this.X[i * this.size + j];
    }
    for (let j = 0; j < this.size; j++) out[j] /= this.rows.length;
    return out;
  }

  minibatch(indices: readonly number[]): LeastSquaresOracle {
    return new LeastSquaresOracle(
      this.X,
      this.y,
      indices.map((k) => this.rows[k]),
    );
  }
}

/**
 * The 2-d Rosenbrock function L(x, y) = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1), written as a mean of two
 * squared residuals L = (1/n) Σᵢ ½rᵢ² with r₁ = 2(1 − x), r₂ = 20(y − x²) over n = 2 "samples" (targets 0), so
 * it has minibatches and replaceable targets too. Hessian (1/n) Σᵢ (∇rᵢ∇rᵢᵀ + rᵢ∇²rᵢ).
 */
export class RosenbrockOracle extends CountingResidualOracle {
  readonly size = 2;

  constructor(rows: readonly number[] = [0, 1]) {
    super(rows);
  }

  protected targetValues(): Float64Array {
    return new Float64Array(this.rows.length);
  }

  private parts(theta: Float64Array, targets?: Float64Array) {
    const [x, y] = theta;
    return this.rows.map((i, k) => {
      const e = targets ? targets[k] : 0;
      return i === 0
        ? { r: 2 * (1 - x) - e, dr: [-2, 0], d2r: [0, 0, 0] }
        : { r: 20 * (y - x * x) - e, dr: [-40 * x, 20], d2r: [-40, 0, 0] };
    });
  }

  protected evaluate(theta: Float64Array, targets?: Float64Array) {
    const n = this.rows.length;
    let loss = 0;
    const grad = new Float64Array(2);
    for (const { r, dr } of this.parts(theta, targets)) {
      loss += (r * r) / 2;
      grad[0] += r * dr[0];
      grad[1] += r * dr[1];
    }
    grad[0] /= n;
    grad[1] /= n;
    return { loss: loss / n, grad };
  }

  protected product(theta: Float64Array, v: Float64Array): Float64Array {
    const out = new Float64Array(2);
    for (const { r, dr, d2r } of this.parts(theta)) {
      const dv = dr[0] * v[0] + dr[1] * v[1];
      // (∇r∇rᵀ + r∇²r) v, with ∇²r = [[d2r₀, d2r₁], [d2r₁, d2r₂]]
      out[0] += dr[0] * dv + r * (d2r[0] * v[0] + d2r[1] * v[1]);
      out[1] += dr[1] * dv + r * (d2r[1] * v[0] + d2r[2] * v[1]);
    }
    out[0] /= this.rows.length;
    out[1] /= this.rows.length;
    return out;
  }

  minibatch(indices: readonly number[]): RosenbrockOracle {
    return new RosenbrockOracle(indices.map((k) => this.rows[k]));
  }
}

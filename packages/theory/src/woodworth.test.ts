import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError } from '@biaslab/core';
import { minL2Interpolator, woodworthInterpolator, woodworthQ, woodworthRegulariser } from './woodworth';
import { minL1Interpolator } from './min-l1';

test('q(z) = 2 − √(4+z²) + z·asinh(z/2): q(0) = 0, q′ = asinh(z/2), q ≈ z²/4 near 0 and ≈ |z| log|z| far out', () => {
  assert.equal(woodworthQ(0), 0);
  for (const z of [-7, -1.3, -0.01, 0.4, 2, 15]) {
    const h = 1e-6;
    const fd = (woodworthQ(z + h) - woodworthQ(z - h)) / (2 * h);
    assert.ok(Math.abs(fd - Math.asinh(z / 2)) < 1e-8, `q′(${z}) ${fd}`);
    assert.equal(woodworthQ(z), woodworthQ(-z));
  }
  assert.ok(Math.abs(woodworthQ(1e-3) / (1e-6 / 4) - 1) < 1e-6);
  // the small-|z| series and the closed form agree where they meet
  const closed = (v: number) => 2 - Math.sqrt(4 + v * v) + v * Math.asinh(v / 2);
  assert.ok(Math.abs(woodworthQ(0.0099999) / closed(0.0099999) - 1) < 1e-9);
  const z = 1e6;
  assert.ok(Math.abs(woodworthQ(z) / (z * Math.log(z)) - 1) < 0.1);
  // Q_α(β) = α² Σ q(β_i/α²)
  assert.ok(
    Math.abs(woodworthRegulariser([0.5, -2], 0.3) - 0.09 * (woodworthQ(0.5 / 0.09) + woodworthQ(-2 / 0.09))) <
      1e-14,
  );
});

function problem(seed: number) {
  const rng = new Rng(seed);
  const X = Array.from({ length: 2 }, () => Array.from({ length: 5 }, () => rng.normal()));
  const y = [rng.normal(), rng.normal()];
  return { X, y };
}

test('the Q_α interpolator satisfies its KKT conditions and beats feasible perturbations', () => {
  const seed = 31;
  const { X, y } = problem(seed);
  const rng = new Rng(seed + 1);
  for (const alpha of [0.05, 0.5, 3]) {
    const r = woodworthInterpolator(X, y, alpha);
    assert.ok(r.residual < 1e-12, `α=${alpha} residual ${r.residual}`);
    const base = r.regulariser;
    // perturb inside the null space of X: β + t(δ − Xᵀ(XXᵀ)⁻¹Xδ)
    for (let k = 0; k < 20; k++) {
      const delta = Array.from({ length: 5 }, () => rng.normal() * 0.05);
      const proj = minL2Interpolator(
        X,
        X.map((row) => row.reduce((s, v, j) => s + v * delta[j], 0)),
      );
      const moved = Array.from(r.beta, (b, j) => b + delta[j] - proj[j]);
      assert.ok(
        woodworthRegulariser(moved, alpha) >= base - 1e-12,
        `α=${alpha} perturbation ${k} (seed ${seed})`,
      );
    }
  }
});

test('Q_α interpolator tends to min-ℓ1 as α → 0 and to min-ℓ2 as α → ∞', async () => {
  const seed = 31;
  const { X, y } = problem(seed);
  const l1 = await minL1Interpolator(X, y);
  const l2 = minL2Interpolator(X, y);
  const distance = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
  const toL1 = [1e-1, 1e-2, 1e-4, 1e-10, 1e-20].map((alpha) =>
    distance(woodworthInterpolator(X, y, alpha).beta, l1.beta),
  );
  for (let k = 1; k < toL1.length; k++)
    assert.ok(toL1[k] < toL1[k - 1], `distance to min-ℓ1 shrinks: ${toL1} (seed ${seed})`);
  assert.ok(toL1.at(-1)! < 1e-5, `α = 1e-20: ${toL1.at(-1)}`);
  const toL2 = [1, 10, 100].map((alpha) => distance(woodworthInterpolator(X, y, alpha).beta, l2));
  for (let k = 1; k < toL2.length; k++)
    assert.ok(toL2[k] < toL2[k - 1], `distance to min-ℓ2 shrinks: ${toL2}`);
  assert.ok(toL2.at(-1)! < 1e-7, `α = 100: ${toL2.at(-1)}`);
});

test('the Q_α interpolator equals the gradient-flow limit of β = u⊙u − v⊙v from u₀ = v₀ = α (RK4)', () => {
  const X = [
    [1, 0.4, -0.6],
    [0.2, -0.9, 0.5],
  ];
  const y = [0.7, -0.3];
  const n = 2;
  const d = 3;
  for (const alpha of [0.3, 0.8]) {
    // L(u, v) = (1/2n)‖X(u⊙u − v⊙v) − y‖²: ∇_u = 2u⊙g, ∇_v = −2v⊙g with g = (1/n)Xᵀr
    const field = (s: Float64Array, out: Float64Array) => {
      const r = [0, 0];
      for (let k = 0; k < n; k++) {
        r[k] = -y[k];
        for (let j = 0; j < d; j++) r[k] += X[k][j] * (s[j] * s[j] - s[d + j] * s[d + j]);
      }
      for (let j = 0; j < d; j++) {
        const g = (X[0][j] * r[0] + X[1][j] * r[1]) / n;
        out[j] = -2 * s[j] * g;
        out[d + j] = 2 * s[d + j] * g;
      }
      return (0.5 * (r[0] * r[0] + r[1] * r[1])) / n;
    };
    let s = new Float64Array(2 * d).fill(alpha);
    const k1 = new Float64Array(2 * d);
    const k2 = new Float64Array(2 * d);
    const k3 = new Float64Array(2 * d);
    const k4 = new Float64Array(2 * d);
    const tmp = new Float64Array(2 * d);
    const h = 0.01;
    let loss = Infinity;
    for (let step = 0; step < 400000 && loss > 1e-28; step++) {
      loss = field(s, k1);
      for (let i = 0; i < 2 * d; i++) tmp[i] = s[i] + 0.5 * h * k1[i];
      field(tmp, k2);
      for (let i = 0; i < 2 * d; i++) tmp[i] = s[i] + 0.5 * h * k2[i];
      field(tmp, k3);
      for (let i = 0; i < 2 * d; i++) tmp[i] = s[i] + h * k3[i];
      field(tmp, k4);
      s = s.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
    }
    assert.ok(loss <= 1e-28, `α=${alpha}: flow converged (loss ${loss})`);
    const flow = Array.from({ length: d }, (_, j) => s[j] * s[j] - s[d + j] * s[d + j]);
    const theory = woodworthInterpolator(X, y, alpha).beta;
    for (let j = 0; j < d; j++) {
      assert.ok(
        Math.abs(flow[j] - theory[j]) < 1e-8,
        `α=${alpha}: β[${j}] flow ${flow[j]} vs Q_α ${theory[j]}`,
      );
    }
  }
});

test('dependent rows are rejected with the fix', () => {
  assert.throws(
    () =>
      woodworthInterpolator(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
        0.5,
      ),
    (e) => isBiaslabError(e, 'INVALID_OPTIONS') && /full row rank/.test((e as Error).message),
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import { minSharpnessInterpolator } from './min-sharpness';
import { interpolatorSharpness } from './parametrisation';
import type { Parametrisation } from './parametrisation';
import { minL2Interpolator } from './woodworth';

const parametrisations: Parametrisation[] = ['shared', 'signed', 'unshared', { depth: 3 }];

/** An orthonormal basis of the null space of X (Gram–Schmidt against the row space). */
function nullSpace(X: number[][]): number[][] {
  const d = X[0].length;
  const basis: number[][] = [];
  const add = (v: number[]) => {
    const w = v.slice();
    for (const b of basis) {
      const dot = b.reduce((s, bi, i) => s + bi * w[i], 0);
      for (let i = 0; i < d; i++) w[i] -= dot * b[i];
    }
    const norm = Math.hypot(...w);
    if (norm > 1e-8) {
      basis.push(w.map((wi) => wi / norm));
      return true;
    }
    return false;
  };
  for (const row of X) add(row);
  const rowRank = basis.length;
  for (let j = 0; j < d; j++) add(Array.from({ length: d }, (_, i) => (i === j ? 1 : 0)));
  return basis.slice(rowRank);
}

/**
 * Brute force over the affine set β = β_ℓ2 + N t: the best of 2000 uniform samples in a box, then a random
 * search in a shrinking ball around the incumbent (robust at the kinks where pattern searches stall).
 */
function bruteForce(X: number[][], y: number[], p: Parametrisation, radius: number, rng: Rng): number {
  const base = Array.from(minL2Interpolator(X, y));
  const N = nullSpace(X);
  const k = N.length;
  const objective = (t: number[]) => {
    const beta = base.map((b, i) => b + N.reduce((s, v, j) => s + v[i] * t[j], 0));
    if (p === 'shared' && beta.some((v) => v < 0)) return Infinity;
    return interpolatorSharpness(X, beta, p);
  };
  let t = new Array(k).fill(0);
  let best = objective(t);
  for (let sample = 0; sample < 2000; sample++) {
    const c = t.map(() => rng.uniformIn(-radius, radius));
    const f = objective(c);
    if (f < best) {
      best = f;
      t = c;
    }
  }
  // shrinking-ball random search: uniform samples in a ball around the incumbent, radius cut when none improves
  let r = radius / 4;
  for (let round = 0; round < 300 && r > 1e-13 * radius; round++) {
    let moved = false;
    for (let sample = 0; sample < 80; sample++) {
      const g = t.map(() => rng.normal());
      const scale = (r * rng.uniform() ** (1 / k)) / Math.hypot(...g);
      const c = t.map((v, i) => v + scale * g[i]);
      const f = objective(c);
      if (f < best) {
        best = f;
        t = c;
        moved = true;
      }
    }
    if (!moved) r *= 0.7;
  }
  return best;
}

test('min-sharpness interpolator matches brute-force search for n = 1..3, d = 2..4, every parametrisation', async () => {
  const seed = 4;
  const rng = new Rng(seed);
  for (const [n, d] of [
    [1, 2],
    [1, 3],
    [1, 4],
    [2, 3],
    [2, 4],
    [3, 4],
  ]) {
    for (const p of parametrisations) {
      const X = Array.from({ length: n }, () =>
        Array.from({ length: d }, () => (p === 'shared' ? 1 : rng.sign()) * (0.3 + rng.uniform())),
      );
      // shared: y = Xβ₀ with β₀ > 0, so a nonnegative interpolator exists
      const beta0 = Array.from({ length: d }, () => 0.2 + rng.uniform());
      const y = X.map((row) =>
        p === 'shared' ? row.reduce((s, v, j) => s + v * beta0[j], 0) : rng.normal(),
      );
      const label = `n=${n} d=${d} ${JSON.stringify(p)} (seed ${seed})`;
      const result = await minSharpnessInterpolator(X, y, p);
      assert.ok(result.residual < 1e-8, `${label}: residual ${result.residual}`);
      if (p === 'shared')
        assert.ok(
          result.beta.every((v) => v >= 0),
          label,
        );
      assert.ok(
        Math.abs(interpolatorSharpness(X, result.beta, p) - result.sharpness) < 1e-12 * result.sharpness,
      );
      assert.ok(
        result.lowerBound <= result.sharpness &&
          result.sharpness - result.lowerBound < 1e-7 * result.sharpness,
      );
      const base = minL2Interpolator(X, y);
      const radius = 3 * Math.max(1, ...result.beta.map((b, i) => Math.abs(b - base[i])));
      const brute = bruteForce(X, y, p, radius, rng);
      assert.ok(
        result.sharpness <= brute * (1 + 2e-8),
        `${label}: solver ${result.sharpness} > search ${brute}`,
      );
      // random search lands close to, never below, the optimum; less close where the optimum is a corner
      // (p = 1: kinks of |β_i| and the faces of β ≥ 0) than for the smooth depth-3 objective
      const slack = typeof p === 'object' ? 1e-4 : 5e-3;
      assert.ok(
        brute - result.sharpness < slack * brute,
        `${label}: solver ${result.sharpness} vs search ${brute}`,
      );
    }
  }
});

test('one data point: closed forms (vertex at argmin |x_i| for p = 1, the KKT point for depth L)', async () => {
  const x = [1.5, -0.4, 0.9];
  const y = 2;
  const shared = await minSharpnessInterpolator([[1.5, 0.4, 0.9]], [y], 'shared');
  assert.ok(Math.abs(shared.sharpness - 4 * 0.4 * y) < 1e-10, `shared ${shared.sharpness}`);
  assert.ok(Math.abs(shared.beta[1] - y / 0.4) < 1e-9);
  const signed = await minSharpnessInterpolator([x], [y], 'signed');
  assert.ok(Math.abs(signed.sharpness - 4 * 0.4 * y) < 1e-10 && Math.abs(signed.beta[1] + y / 0.4) < 1e-9);
  const unshared = await minSharpnessInterpolator([x], [y], 'unshared');
  assert.ok(Math.abs(unshared.sharpness - 2 * 0.4 * y) < 1e-10);
  // depth L: p = 2 − 2/L; KKT gives β_i = sign(x_i)·κ|x_i|^{−1/(p−1)}, κ = |y| / Σ|x_i|^{1−1/(p−1)}
  for (const L of [3, 4]) {
    const p = 2 - 2 / L;
    const e = 1 / (p - 1);
    const kappa = Math.abs(y) / x.reduce((s, xi) => s + Math.abs(xi) ** (1 - e), 0);
    const beta = x.map((xi) => Math.sign(xi) * kappa * Math.abs(xi) ** -e);
    const expected = L * x.reduce((s, xi, i) => s + xi * xi * Math.abs(beta[i]) ** p, 0);
    const deep = await minSharpnessInterpolator([x], [y], { depth: L });
    assert.ok(
      Math.abs(deep.sharpness - expected) < 1e-7 * expected,
      `depth ${L}: ${deep.sharpness} vs ${expected}`,
    );
    for (let i = 0; i < 3; i++)
      assert.ok(Math.abs(deep.beta[i] - beta[i]) < 1e-3 * Math.abs(beta[i]), `depth ${L} β[${i}]`);
  }
});

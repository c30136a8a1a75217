import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError } from '@biaslab/core';
import { balancedParameters, interpolatorSharpness, sharpnessForm } from './parametrisation';
import type { Parametrisation } from './parametrisation';
import { symmetricEigen } from '@biaslab/linalg';

/** β(θ) for θ = the named vectors concatenated in key order. */
function predictor(p: Parametrisation, d: number): (theta: Float64Array) => Float64Array {
  if (p === 'shared') return (t) => Float64Array.from({ length: d }, (_, i) => t[i] * t[i]);
  if (p === 'signed')
    return (t) => Float64Array.from({ length: d }, (_, i) => t[i] * t[i] - t[d + i] * t[d + i]);
  const depth = p === 'unshared' ? 2 : p.depth;
  return (t) =>
    Float64Array.from({ length: d }, (_, i) => {
      let prod = 1;
      for (let l = 0; l < depth; l++) prod *= t[l * d + i];
      return prod;
    });
}

/** Top eigenvalue of the finite-difference Hessian of L(θ) = (1/2n)‖Xβ(θ) − y‖². */
function finiteDifferenceSharpness(
  X: number[][],
  y: number[],
  beta: (t: Float64Array) => Float64Array,
  theta: Float64Array,
) {
  const n = X.length;
  const P = theta.length;
  const loss = (t: Float64Array) => {
    const b = beta(t);
    let s = 0;
    for (let k = 0; k < n; k++) {
      const r = X[k].reduce((acc, xkj, j) => acc + xkj * b[j], 0) - y[k];
      s += r * r;
    }
    return s / (2 * n);
  };
  const h = 1e-4;
  const H = new Float64Array(P * P);
  for (let i = 0; i < P; i++) {
    for (let j = 0; j < P; j++) {
      const at = (si: number, sj: number) => {
        const t = Float64Array.from(theta);
        t[i] += si * h;
        t[j] += sj * h;
        return loss(t);
      };
      H[i * P + j] = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
    }
  }
  return symmetricEigen(H, P).values[P - 1];
}

const cases: Parametrisation[] = ['shared', 'signed', 'unshared', { depth: 3 }, { depth: 4 }];

test('interpolator sharpness λ_max((c/n) X diag(|β|^p) Xᵀ) equals the parameter-space Hessian at the balanced θ', () => {
  const seed = 9;
  const rng = new Rng(seed);
  for (const p of cases) {
    for (const [n, d] of [
      [1, 3],
      [2, 3],
      [3, 5],
    ]) {
      const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
      const beta = Array.from({ length: d }, () =>
        p === 'shared' ? 0.2 + rng.uniform() : rng.sign() * (0.2 + rng.uniform()),
      );
      const y = X.map((row) => row.reduce((s, v, j) => s + v * beta[j], 0));
      const params = balancedParameters(beta, p);
      const theta = Float64Array.from(Object.values(params).flatMap((v) => Array.from(v)));
      const map = predictor(p, d);
      map(theta).forEach((b, i) => assert.ok(Math.abs(b - beta[i]) < 1e-12, 'balanced θ realises β'));
      const fd = finiteDifferenceSharpness(X, y, map, theta);
      const closed = interpolatorSharpness(X, beta, p);
      const label = `${JSON.stringify(p)} n=${n} d=${d} (seed ${seed})`;
      assert.ok(
        Math.abs(fd - closed) < 1e-6 * Math.max(1, closed),
        `${label}: Hessian ${fd} vs closed form ${closed}`,
      );
    }
  }
});

test('unbalanced parameters realising the same β are sharper (the closed form is the minimum over θ)', () => {
  const rng = new Rng(12);
  const X = [
    [1, -0.5, 0.8],
    [0.3, 1.2, -0.7],
  ];
  const beta = [0.6, -0.4, 0.9];
  const y = X.map((row) => row.reduce((s, v, j) => s + v * beta[j], 0));
  const closed = (p: Parametrisation) => interpolatorSharpness(X, beta, p);
  const m = beta.map((b) => Math.abs(b));
  const signed = Float64Array.from([
    ...beta.map((b) => Math.sqrt(Math.max(b, 0) + 0.3)),
    ...beta.map((b) => Math.sqrt(Math.max(-b, 0) + 0.3)),
  ]);
  assert.ok(finiteDifferenceSharpness(X, y, predictor('signed', 3), signed) > closed('signed') * 1.05);
  for (let trial = 0; trial < 5; trial++) {
    const a = 0.3 + 2 * rng.uniform();
    const unshared = Float64Array.from([
      ...beta.map((b, i) => Math.sign(b) * Math.sqrt(m[i]) * a),
      ...m.map((v) => Math.sqrt(v) / a),
    ]);
    const fd = finiteDifferenceSharpness(X, y, predictor('unshared', 3), unshared);
    assert.ok(fd >= closed('unshared') * (1 - 1e-6), `scale ${a} (seed 12): ${fd} < ${closed('unshared')}`);
  }
  assert.deepEqual(sharpnessForm({ depth: 2 }), { ...sharpnessForm('unshared') });
  assert.throws(
    () => sharpnessForm({ depth: 1 }),
    (e) => isBiaslabError(e, 'INVALID_OPTIONS'),
  );
  assert.throws(
    () => interpolatorSharpness(X, beta, 'shared'),
    (e) => isBiaslabError(e, 'INVALID_OPTIONS'),
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError } from '@biaslab/core';
import { minL1Interpolator } from './min-l1';
import { choleskySolve } from '@biaslab/linalg';

/** Every subset of {0, …, d−1} of size k. */
function subsets(d: number, k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let first = 0; first <= d - k; first++) {
    for (const rest of subsets(d, k - 1))
      if (rest.length === 0 || rest[0] > first) out.push([first, ...rest]);
  }
  return out.filter((s) => new Set(s).size === k);
}

/** Brute force: an LP optimum sits at a basic solution, so try every support of size n. */
function bruteForceL1(X: number[][], y: number[], nonnegative: boolean): number {
  const n = X.length;
  const d = X[0].length;
  let best = Infinity;
  for (const support of subsets(d, n)) {
    // normal equations of the square system X_S β_S = y
    const A = new Float64Array(n * n);
    const b = new Float64Array(n);
    for (let a = 0; a < n; a++) {
      for (let c = 0; c < n; c++)
        for (let k = 0; k < n; k++) A[a * n + c] += X[k][support[a]] * X[k][support[c]];
      for (let k = 0; k < n; k++) b[a] += X[k][support[a]] * y[k];
    }
    const beta = choleskySolve(A, b, n);
    if (!beta) continue;
    if (nonnegative && beta.some((v) => v < -1e-12)) continue;
    best = Math.min(
      best,
      beta.reduce((s, v) => s + Math.abs(v), 0),
    );
  }
  return best;
}

test('basis pursuit (HiGHS) matches enumeration of basic solutions, signed and nonnegative', async () => {
  const seed = 17;
  const rng = new Rng(seed);
  for (let trial = 0; trial < 24; trial++) {
    const n = 1 + (trial % 3);
    const d = n + 1 + rng.int(4);
    const nonnegative = trial % 2 === 1;
    const X = Array.from({ length: n }, () =>
      Array.from({ length: d }, () => (nonnegative ? rng.uniform() + 0.1 : rng.normal())),
    );
    const y = Array.from({ length: n }, () => (nonnegative ? 1 + rng.uniform() : rng.normal()));
    const expected = bruteForceL1(X, y, nonnegative);
    const label = `trial ${trial} (n=${n}, d=${d}, nonnegative=${nonnegative}, seed ${seed})`;
    if (!Number.isFinite(expected)) {
      await assert.rejects(
        minL1Interpolator(X, y, { nonnegative }),
        (e) => isBiaslabError(e, 'INVALID_OPTIONS'),
        label,
      );
      continue;
    }
    const result = await minL1Interpolator(X, y, { nonnegative });
    assert.ok(
      Math.abs(result.l1 - expected) < 1e-9 * Math.max(1, expected),
      `${label}: LP ${result.l1} vs ${expected}`,
    );
    assert.ok(result.residual < 1e-9, `${label}: residual ${result.residual}`);
    if (nonnegative)
      assert.ok(
        result.beta.every((v) => v >= -1e-12),
        label,
      );
    // dual certificate: |νᵀy| = ‖β‖₁ and ‖Xᵀν‖∞ ≤ 1 (or Xᵀν ≤ 1 for β ≥ 0 up to sign convention)
    const nuY = result.dual.reduce((s, v, k) => s + v * y[k], 0);
    assert.ok(
      Math.abs(Math.abs(nuY) - result.l1) < 1e-8 * Math.max(1, result.l1),
      `${label}: duality ${nuY}`,
    );
    if (!nonnegative) {
      for (let j = 0; j < d; j++) {
        const xtnu = X.reduce((s, row, k) => s + row[j] * result.dual[k], 0);
        assert.ok(Math.abs(xtnu) <= 1 + 1e-8, `${label}: |Xᵀν|_${j} = ${xtnu}`);
      }
    }
  }
});

test('one data point: min-ℓ1 puts all mass on the largest |x_i|', async () => {
  const result = await minL1Interpolator([[1, 0.2, -3]], [1.5]);
  assert.deepEqual(
    Array.from(result.beta, (v) => Math.round(v * 1e12) / 1e12),
    [0, 0, -0.5],
  );
  const nonneg = await minL1Interpolator([[1, 0.2, -3]], [1.5], { nonnegative: true });
  assert.ok(Math.abs(nonneg.beta[0] - 1.5) < 1e-12 && nonneg.l1 - 1.5 < 1e-12);
  await assert.rejects(minL1Interpolator([[1, 0.2]], [1, 2]), (e) => isBiaslabError(e, 'SHAPE'));
});

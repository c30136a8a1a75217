import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import { symmetricEigen, largestMagnitudeEigenvalue } from './symmetric-eigen';

// The checks that once held theory's Jacobi solver, now on the one dense solver: small random matrices
// reconstructed to 1e-12, and the sign of the largest-magnitude eigenvalue.

test('the eigen-decomposition reconstructs random symmetric matrices: A v = λ v, VᵀV = I', () => {
  const seed = 11;
  const rng = new Rng(seed);
  for (const n of [1, 2, 3, 5, 12]) {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const g = rng.normal();
        a[i * n + j] = g;
        a[j * n + i] = g;
      }
    }
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      if (k > 0) assert.ok(values[k] >= values[k - 1], `ascending order (seed ${seed}, n ${n})`);
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[k * n + j];
        assert.ok(
          Math.abs(av - values[k] * vectors[k * n + i]) < 1e-12,
          `residual (seed ${seed}, n ${n}, k ${k})`,
        );
      }
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors[k * n + i] * vectors[l * n + i];
        assert.ok(Math.abs(dot - (k === l ? 1 : 0)) < 1e-12, `orthonormal (seed ${seed}, n ${n})`);
      }
    }
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i];
    assert.ok(Math.abs(values.reduce((s, x) => s + x, 0) - trace) < 1e-12);
  }
});

test('largest-magnitude eigenvalue keeps its sign', () => {
  assert.equal(largestMagnitudeEigenvalue([-3, 0, 0, 2], 2), -3);
  assert.equal(largestMagnitudeEigenvalue([1, 0, 0, 2], 2), 2);
  // [[2, 1], [1, 2]] has eigenvalues 1 and 3
  assert.ok(Math.abs(largestMagnitudeEigenvalue([2, 1, 1, 2], 2) - 3) < 1e-15);
});

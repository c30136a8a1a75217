import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import type { Oracle } from '@biaslab/core';
import { denseHessian } from './dense-hessian';
import { quadraticOracle } from './quadratic-oracle';

test('denseHessian reproduces an explicit symmetric Hessian with P HVPs', async () => {
  const seed = 2024;
  const rng = new Rng(seed);
  const p = 7;
  const b = rng.normals(p * p);
  const a = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) a[i * p + j] = b[i * p + j] + b[j * p + i];
  const oracle = quadraticOracle(a);
  const h = await denseHessian(oracle, rng.normals(p));
  assert.equal(h.size, p);
  assert.equal(oracle.hvps(), p, `seed ${seed}: HVPs`);
  assert.deepEqual([...h.matrix], [...a], `seed ${seed}: H`);
  assert.equal(h.asymmetry, 0);
  assert.equal(h.relativeAsymmetry, 0);
});

test('denseHessian symmetrises and reports the asymmetry of the products', async () => {
  // A deliberately non-symmetric "Hessian" M: the result must be (M + Mᵀ)/2 and the asymmetry max |M − Mᵀ|.
  const m = Float64Array.from([1, 2, 0, 5, 3, -1, 0, -1.5, 4]);
  const oracle = quadraticOracle(m);
  const h = await denseHessian(oracle, new Float64Array(3));
  assert.deepEqual([...h.matrix], [1, 3.5, 0, 3.5, 3, -1.25, 0, -1.25, 4]);
  assert.equal(h.asymmetry, 3);
  assert.equal(h.relativeAsymmetry, 3 / 5);
});

test('denseHessian restricted to indices returns the principal submatrix with |I| HVPs', async () => {
  const a = Float64Array.from([2, 1, 0, 1, 5, 7, 0, 7, 9]);
  const oracle = quadraticOracle(a);
  const h = await denseHessian(oracle, new Float64Array(3), { indices: [0, 2] });
  assert.equal(oracle.hvps(), 2);
  assert.deepEqual([...h.matrix], [2, 0, 0, 9]);
});

test('denseHessian passes θ through and does not let the oracle see a reused unit vector', async () => {
  const theta = Float64Array.from([0.5, -2]);
  const seen: Float64Array[] = [];
  const oracle: Oracle = {
    size: 2,
    loss: async () => 0,
    grad: async () => ({ loss: 0, grad: new Float64Array(2) }),
    // H(θ) = diag(θ₀, θ₁) · 2 — the products depend on θ.
    hvp: async (t, v) => {
      seen.push(v);
      return Float64Array.from([2 * t[0] * v[0], 2 * t[1] * v[1]]);
    },
  };
  const h = await denseHessian(oracle, theta);
  assert.deepEqual([...h.matrix], [1, 0, 0, -4]);
  assert.deepEqual(
    seen.map((v) => [...v]),
    [
      [1, 0],
      [0, 1],
    ],
  );
});

test('denseHessian rejects a θ of the wrong length and bad indices', async () => {
  const oracle = quadraticOracle(new Float64Array(4));
  await assert.rejects(denseHessian(oracle, new Float64Array(3)), { name: 'BiaslabError', code: 'SHAPE' });
  await assert.rejects(denseHessian(oracle, new Float64Array(2), { indices: [2] }), { code: 'SHAPE' });
});

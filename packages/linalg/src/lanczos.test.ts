import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import { lanczos } from './lanczos';
import type { LinearOperator } from './linear-operator';
import { matVec } from './dense-matrix';
import { symmetricFromSpectrum } from './random-matrices';
import { symmetricEigen } from './symmetric-eigen';

/** A counting operator for the dense symmetric matrix `a`. */
function operator(a: Float64Array): { hvp: LinearOperator; calls: () => number } {
  let calls = 0;
  return {
    hvp: async (v) => {
      calls++;
      return matVec(a, v);
    },
    calls: () => calls,
  };
}

/** A random symmetric matrix (B + Bᵀ)/2 with Gaussian B. */
function randomSymmetric(n: number, rng: Rng): Float64Array {
  const b = rng.normals(n * n);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = 0.5 * (b[i * n + j] + b[j * n + i]);
  return a;
}

function largestMagnitude(values: Float64Array): number {
  const lo = values[0];
  const hi = values[values.length - 1];
  return Math.abs(hi) >= Math.abs(lo) ? hi : lo;
}

for (const n of [1, 2, 5, 50, 200]) {
  for (const negate of [false, true]) {
    test(`lanczos matches symmetricEigen on a random symmetric matrix, n = ${n}${negate ? ', negated' : ''}`, async () => {
      const seed = 31 * n + (negate ? 1 : 0);
      const rng = new Rng(seed);
      const a = randomSymmetric(n, rng);
      if (negate) for (let i = 0; i < a.length; i++) a[i] = -a[i];
      const expected = largestMagnitude(symmetricEigen(a, n).values);
      const op = operator(a);
      const result = await lanczos(op.hvp, n, { rng: rng.fork('start'), maxIter: n, tol: 1e-10 });
      const rel = Math.abs(result.value - expected) / Math.abs(expected);
      assert.ok(rel <= 1e-8, `seed ${seed}: λ = ${result.value}, expected ${expected} (rel ${rel})`);
      assert.equal(Math.sign(result.value), Math.sign(expected), `seed ${seed}: sign`);
      assert.ok(result.residual <= 1e-6 * Math.abs(expected), `seed ${seed}: residual ${result.residual}`);
      assert.ok(result.hvps <= n + 1, `seed ${seed}: ${result.hvps} HVPs for n = ${n}`);
      assert.equal(result.hvps, op.calls(), `seed ${seed}: reported HVPs vs calls`);
      assert.equal(result.hvps, result.iterations + 1, `seed ${seed}: one extra HVP for the residual`);
      assert.ok(result.converged, `seed ${seed}: stop = ${result.stop}`);
      // The reported residual is the true one.
      const av = matVec(a, result.vector);
      let ssq = 0;
      for (let i = 0; i < n; i++) ssq += (av[i] - result.value * result.vector[i]) ** 2;
      assert.ok(
        Math.abs(Math.sqrt(ssq) - result.residual) <= 1e-12 * Math.abs(expected),
        `seed ${seed}: residual`,
      );
    });
  }
}

test('lanczos finds a negative dominant eigenvalue with its sign and a well-separated spectrum quickly', async () => {
  const seed = 4242;
  const rng = new Rng(seed);
  const n = 150;
  const spectrum = [-20, ...Array.from({ length: n - 1 }, (_, i) => 10 * (i / (n - 1)))];
  const { matrix, q } = symmetricFromSpectrum(spectrum, rng);
  const result = await lanczos(operator(matrix).hvp, n, { rng: rng.fork('start'), tol: 1e-10 });
  assert.ok(Math.abs(result.value + 20) <= 1e-9 * 20, `seed ${seed}: λ = ${result.value}`);
  assert.equal(result.stop, 'tolerance', `seed ${seed}`);
  assert.ok(result.hvps < 60, `seed ${seed}: ${result.hvps} HVPs`);
  let d = 0;
  for (let i = 0; i < n; i++) d += result.vector[i] * q[i * n];
  assert.ok(Math.abs(Math.abs(d) - 1) <= 1e-9, `seed ${seed}: |⟨x, q₀⟩| = ${Math.abs(d)}`);
  assert.ok(
    result.lowest < 0 && result.highest > 9,
    `seed ${seed}: both ends ${result.lowest}, ${result.highest}`,
  );
});

test('lanczos warm-started from the true top eigenvector converges in very few HVPs', async () => {
  const seed = 99;
  const rng = new Rng(seed);
  const n = 200;
  const a = randomSymmetric(n, rng);
  const eig = symmetricEigen(a, n);
  const top = Math.abs(eig.values[n - 1]) >= Math.abs(eig.values[0]) ? n - 1 : 0;
  const start = eig.vectors.slice(top * n, (top + 1) * n);
  const op = operator(a);
  const result = await lanczos(op.hvp, n, { start, tol: 1e-10 });
  assert.ok(result.hvps <= 3, `seed ${seed}: ${result.hvps} HVPs (stop ${result.stop})`);
  assert.ok(Math.abs(result.value - eig.values[top]) <= 1e-10 * Math.abs(eig.values[top]), `seed ${seed}`);
  // A slightly perturbed warm start still needs far fewer HVPs than a random start.
  const perturbed = Float64Array.from(start, (x) => x + 1e-4 * rng.normal());
  const warm = await lanczos(operator(a).hvp, n, { start: perturbed, tol: 1e-10 });
  const cold = await lanczos(operator(a).hvp, n, { rng: rng.fork('cold'), tol: 1e-10 });
  assert.ok(
    Math.abs(warm.value - eig.values[top]) <= 1e-8 * Math.abs(eig.values[top]),
    `seed ${seed}: warm λ`,
  );
  assert.ok(warm.hvps < cold.hvps, `seed ${seed}: warm ${warm.hvps} vs cold ${cold.hvps} HVPs`);
});

test('without the true-residual product the same Ritz pair comes one HVP cheaper, with the estimate as residual', async () => {
  const seed = 4243;
  const rng = new Rng(seed);
  const n = 120;
  const spectrum = Array.from({ length: n }, (_, i) => (i === 0 ? 12 : 8 * (i / n)));
  const { matrix } = symmetricFromSpectrum(spectrum, rng);
  const exact = operator(matrix);
  const withCheck = await lanczos(exact.hvp, n, { rng: new Rng(seed).fork('start'), tol: 1e-6 });
  const cheap = operator(matrix);
  const without = await lanczos(cheap.hvp, n, {
    rng: new Rng(seed).fork('start'),
    tol: 1e-6,
    trueResidual: false,
  });
  assert.equal(without.value, withCheck.value, `seed ${seed}`);
  assert.equal(without.hvps, withCheck.hvps - 1, `seed ${seed}`);
  assert.equal(cheap.calls(), exact.calls() - 1, `seed ${seed}: products actually made`);
  assert.equal(without.residual, without.residualEstimate);
  // the estimate tracks the true residual ‖Hx − θx‖ (independently computed by the checking run)
  assert.ok(
    Math.abs(without.residual - withCheck.residual) <= 1e-3 * withCheck.residual + 1e-12,
    `seed ${seed}: estimate ${without.residual} vs true ${withCheck.residual}`,
  );
  assert.ok(without.residual <= 1e-6 * 12, `seed ${seed}: converged to tol`);
});

test('lanczos stops exactly at breakdown when the start vector spans an invariant subspace', async () => {
  const seed = 7;
  const rng = new Rng(seed);
  const n = 30;
  const spectrum = Array.from({ length: n }, (_, i) => i + 1);
  const { matrix, q } = symmetricFromSpectrum(spectrum, rng);
  // Start in span{q₂₉, q₂₈, q₂₇}: the Krylov subspace has dimension 3.
  const start = new Float64Array(n);
  for (let i = 0; i < n; i++) start[i] = q[i * n + 29] + 2 * q[i * n + 28] + 3 * q[i * n + 27];
  const result = await lanczos(operator(matrix).hvp, n, { start, tol: 0 });
  assert.equal(result.stop, 'breakdown', `seed ${seed}: stop ${result.stop} after ${result.iterations}`);
  assert.equal(result.iterations, 3, `seed ${seed}`);
  assert.ok(result.converged);
  assert.ok(Math.abs(result.value - 30) <= 1e-12 * 30, `seed ${seed}: λ = ${result.value}`);
});

test('lanczos returns top-k Ritz pairs by decreasing |θ|', async () => {
  const seed = 12;
  const rng = new Rng(seed);
  const n = 80;
  const spectrum = [9, -8, 7, ...Array.from({ length: n - 3 }, () => rng.uniformIn(-2, 2))];
  const { matrix } = symmetricFromSpectrum(spectrum, rng);
  const result = await lanczos(operator(matrix).hvp, n, { rng: rng.fork('start'), k: 3, tol: 1e-10 });
  assert.deepEqual(
    result.pairs.map((p) => Number(p.value.toFixed(8))),
    [9, -8, 7],
    `seed ${seed}`,
  );
  // Run to the full Krylov dimension: without full reorthogonalisation, converged Ritz values reappear as
  // spurious copies ("ghosts") and the top three would not be three distinct eigenvalues.
  const full = await lanczos(operator(matrix).hvp, n, { rng: rng.fork('full'), k: 3, tol: 0, maxIter: n });
  assert.equal(full.stop, 'krylov-dimension', `seed ${seed}`);
  assert.deepEqual(
    full.pairs.map((p) => Number(p.value.toFixed(8))),
    [9, -8, 7],
    `seed ${seed}: full Krylov dimension`,
  );
  for (const pair of [...result.pairs, ...full.pairs]) {
    const r = matVec(matrix, pair.vector);
    let ssq = 0;
    for (let i = 0; i < n; i++) ssq += (r[i] - pair.value * pair.vector[i]) ** 2;
    assert.ok(Math.sqrt(ssq) < 1e-7, `seed ${seed}: residual of θ = ${pair.value}: ${Math.sqrt(ssq)}`);
  }
});

test('lanczos reports non-convergence at maxIter and rejects bad input', async () => {
  const seed = 3;
  const rng = new Rng(seed);
  const n = 100;
  const a = randomSymmetric(n, rng);
  const result = await lanczos(operator(a).hvp, n, { rng, maxIter: 5, tol: 1e-14 });
  assert.equal(result.stop, 'max-iter');
  assert.equal(result.converged, false);
  assert.equal(result.hvps, 6);
  await assert.rejects(lanczos(operator(a).hvp, n, {}), { name: 'BiaslabError', code: 'INVALID_OPTIONS' });
  await assert.rejects(lanczos(operator(a).hvp, n, { start: new Float64Array(3) }), { code: 'SHAPE' });
  await assert.rejects(lanczos(operator(a).hvp, 0, { rng }), { code: 'INVALID_OPTIONS' });
  await assert.rejects(
    lanczos(async (v) => v.map(() => Number.NaN), n, { rng }),
    { name: 'BiaslabError', code: 'RUNTIME' },
  );
});

test('lanczos on the zero operator returns 0 after breakdown', async () => {
  const result = await lanczos(async (v) => new Float64Array(v.length), 10, { rng: new Rng(1) });
  assert.equal(result.value, 0);
  assert.equal(result.residual, 0);
  assert.ok(result.converged);
  assert.ok(result.hvps <= 2, `${result.hvps} HVPs`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import { matVec } from './dense-matrix';
import type { LinearOperator } from './linear-operator';
import { powerIteration, signedPowerIteration } from './power-iteration';
import { symmetricFromSpectrum } from './random-matrices';
import { symmetricEigen } from './symmetric-eigen';

/** A counting operator for A, and A's exact spectrum from the dense eigensolver. */
async function fixture(spectrum: number[], seed: number) {
  const { matrix, q } = symmetricFromSpectrum(spectrum, new Rng(seed));
  const n = spectrum.length;
  const exact = symmetricEigen(matrix, n).values;
  let calls = 0;
  const op: LinearOperator = async (v) => {
    calls++;
    return matVec(matrix, v);
  };
  return { op, n, q, exact, calls: () => calls };
}

/** Distance from x to the nearest exact eigenvalue. */
function nearest(exact: Float64Array, x: number): number {
  return Math.min(...Array.from(exact, (l) => Math.abs(l - x)));
}

for (const sign of [1, -1]) {
  test(`power iteration finds a ${sign > 0 ? 'positive' : 'negative'} dominant eigenvalue to its tolerance`, async () => {
    const seed = sign > 0 ? 11 : 12;
    const spectrum = [sign * 10, ...Array.from({ length: 39 }, (_, i) => 6 * Math.cos(i))];
    const f = await fixture(spectrum, seed);
    const top = f.exact[sign > 0 ? f.n - 1 : 0];
    const tol = 1e-8;
    const r = await powerIteration(f.op, f.n, { rng: new Rng(seed), tol });
    assert.ok(r.converged, `seed ${seed}: not converged after ${r.hvps}`);
    assert.ok(r.residual <= tol * Math.abs(r.value), `seed ${seed}: residual ${r.residual}`);
    // Krylov–Weinstein: an eigenvalue lies within the residual; with the gap, the Rayleigh quotient error is ≤ r²/gap.
    assert.ok(Math.abs(r.value - top) <= r.residual, `seed ${seed}: ρ = ${r.value}, λ = ${top}`);
    assert.ok(
      Math.abs(r.value - top) <= (r.residual ** 2 / 4) * 1.01 + 1e-13,
      `seed ${seed}: Rayleigh error`,
    );
    assert.equal(r.hvps, f.calls(), `seed ${seed}: reported vs counted products`);
    // The true residual of the returned vector.
    const hv = matVec(symmetricFromSpectrum(spectrum, new Rng(seed)).matrix, r.vector);
    let ssq = 0;
    for (let i = 0; i < f.n; i++) ssq += (hv[i] - r.value * r.vector[i]) ** 2;
    assert.ok(Math.abs(Math.sqrt(ssq) - r.residual) <= 1e-12, `seed ${seed}: residual is the true one`);
  });
}

test('signed power iteration reports both ends of the spectrum with their residuals', async () => {
  const seed = 21;
  const spectrum = [-3, 8, ...Array.from({ length: 28 }, (_, i) => -2 + (i / 27) * 9)];
  const f = await fixture(spectrum, seed);
  const r = await signedPowerIteration(f.op, f.n, { rng: new Rng(seed), tol: 1e-9 });
  assert.equal(r.runs, 2);
  assert.ok(r.converged, `seed ${seed}`);
  assert.ok(
    nearest(f.exact, r.value) <= r.residual && Math.abs(r.value - 8) < 1e-6,
    `seed ${seed}: λ = ${r.value}`,
  );
  assert.ok(Math.abs(r.highest - f.exact[f.n - 1]) < 1e-6, `seed ${seed}: highest ${r.highest}`);
  assert.ok(Math.abs(r.lowest - f.exact[0]) < 1e-6, `seed ${seed}: lowest ${r.lowest}`);
  assert.equal(r.hvps, f.calls(), `seed ${seed}: products`);
});

test('signed power iteration resolves ±λ ties (the plain iteration oscillates) with a third, shifted run', async () => {
  const seed = 31;
  const spectrum = [5, -5, ...Array.from({ length: 18 }, (_, i) => Math.sin(i))];
  const f = await fixture(spectrum, seed);
  const plain = await powerIteration(f.op, f.n, { rng: new Rng(seed), maxIter: 300 });
  assert.equal(plain.converged, false, `seed ${seed}: the plain iteration should not converge on ±5`);
  const r = await signedPowerIteration(f.op, f.n, { rng: new Rng(seed), maxIter: 2000, tol: 1e-8 });
  assert.equal(r.runs, 3);
  assert.ok(r.converged, `seed ${seed}`);
  assert.ok(Math.abs(Math.abs(r.value) - 5) < 1e-8, `seed ${seed}: |λ| = ${Math.abs(r.value)}`);
  assert.ok(
    Math.abs(r.lowest + 5) < 1e-8 && Math.abs(r.highest - 5) < 1e-8,
    `seed ${seed}: ends ${r.lowest}, ${r.highest}`,
  );
});

test('the shifted run catches a dominant eigenvalue of the other sign that a warm start misses', async () => {
  const seed = 41;
  const spectrum = [4, -6, 1, 0.5, -0.25, 2];
  const f = await fixture(spectrum, seed);
  // Start exactly on the eigenvector of 4: the unshifted iteration is converged at once, on the wrong eigenvalue.
  const start = Float64Array.from({ length: f.n }, (_, i) => f.q[i * f.n]);
  const one = await signedPowerIteration(f.op, f.n, { rng: new Rng(seed), start, bothEnds: false });
  assert.ok(Math.abs(one.value - 4) < 1e-12, `seed ${seed}: ${one.value}`);
  const both = await signedPowerIteration(f.op, f.n, { rng: new Rng(seed), start, tol: 1e-10 });
  assert.ok(Math.abs(both.value + 6) < 1e-9, `seed ${seed}: ${both.value}`);
});

test('power iteration rejects bad options and operators with BiaslabError', async () => {
  const op: LinearOperator = async (v) => v;
  await assert.rejects(powerIteration(op, 3, {}), { code: 'INVALID_OPTIONS' });
  await assert.rejects(powerIteration(op, 3, { rng: new Rng(1), maxIter: 0 }), { code: 'INVALID_OPTIONS' });
  await assert.rejects(powerIteration(op, 3, { start: new Float64Array(2) }), { code: 'SHAPE' });
  await assert.rejects(
    powerIteration(async () => Float64Array.of(1, Number.NaN, 0), 3, { rng: new Rng(1) }),
    {
      code: 'RUNTIME',
    },
  );
});

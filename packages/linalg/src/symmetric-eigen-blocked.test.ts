import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import { matVec } from './dense-matrix';
import { tridiagonalise, UNBLOCKED_ORDER } from './householder-tridiagonal';
import { symmetricFromSpectrum } from './random-matrices';
import { largestMagnitudeEigenvalue, symmetricEigen, symmetricEigenvalues } from './symmetric-eigen';

// Orders above UNBLOCKED_ORDER take the blocked reduction (panels of 32 reflectors, then an unblocked last
// block). Backward stability bounds, scaled by n·ε·‖A‖: |λ̂_k − λ_k| (Weyl), ‖Av̂ − λ̂v̂‖ and ‖V̂ᵀV̂ − I‖ (ε·n).
const EPS = Number.EPSILON;
const C = 10;

function check(matrix: Float64Array, lambda: readonly number[], seed: number, label: string): void {
  const n = lambda.length;
  const norm = Math.max(...lambda.map(Math.abs));
  const { values, vectors } = symmetricEigen(matrix, n);
  const expected = [...lambda].sort((a, b) => a - b);
  let worstValue = 0;
  for (let k = 0; k < n; k++) worstValue = Math.max(worstValue, Math.abs(values[k] - expected[k]));
  assert.ok(worstValue <= C * n * EPS * norm, `${label} (seed ${seed}): max |λ̂ − λ| = ${worstValue}`);
  let residual = 0;
  let orthogonality = 0;
  for (let k = 0; k < n; k++) {
    const v = vectors.subarray(k * n, (k + 1) * n);
    const av = matVec(matrix, v);
    let ssq = 0;
    for (let i = 0; i < n; i++) ssq += (av[i] - values[k] * v[i]) ** 2;
    residual = Math.max(residual, Math.sqrt(ssq));
    for (let j = k; j < n; j++) {
      let d = 0;
      const w = vectors.subarray(j * n, (j + 1) * n);
      for (let i = 0; i < n; i++) d += w[i] * v[i];
      orthogonality = Math.max(orthogonality, Math.abs(d - (j === k ? 1 : 0)));
    }
  }
  assert.ok(residual <= C * n * EPS * norm, `${label} (seed ${seed}): max ‖Av − λv‖ = ${residual}`);
  assert.ok(orthogonality <= C * n * EPS, `${label} (seed ${seed}): ‖VᵀV − I‖_max = ${orthogonality}`);
  const only = symmetricEigenvalues(matrix, n);
  for (let k = 0; k < n; k++) {
    assert.equal(only[k], values[k], `${label} (seed ${seed}): values with and without vectors, k = ${k}`);
  }
}

const cases: { label: string; n: number; spectrum: (rng: Rng, n: number) => number[] }[] = [
  {
    label: 'random, just above the crossover',
    n: UNBLOCKED_ORDER + 1,
    spectrum: (rng, n) => Array.from(rng.normals(n), (x) => 10 * x),
  },
  {
    label: 'random, several panels',
    n: 230,
    spectrum: (rng, n) => Array.from({ length: n }, () => rng.uniformIn(-5, 3)),
  },
  {
    label: 'random, four compact-WY blocks and four levels of divide and conquer',
    n: 420,
    spectrum: (rng, n) => Array.from(rng.normals(n)),
  },
  {
    label: 'three clusters of repeated values',
    n: 200,
    spectrum: (_rng, n) => Array.from({ length: n }, (_, i) => [4, -1, 0.25][i % 3]),
  },
  {
    label: 'clustered within 1e-9',
    n: 180,
    spectrum: (rng, n) => Array.from({ length: n }, (_, i) => (i < 90 ? 2 : -3) + 1e-9 * rng.normal()),
  },
  {
    label: 'rank 5 with a negative dominant eigenvalue',
    n: 170,
    spectrum: (_rng, n) => Array.from({ length: n }, (_, i) => [-40, 7, 3, 1, 0.5][i] ?? 0),
  },
  {
    label: 'wide dynamic range',
    n: 150,
    spectrum: (rng, n) => Array.from({ length: n }, (_, i) => 10 ** (8 * (i / n) - 4) * rng.sign()),
  },
];

for (const [index, c] of cases.entries()) {
  test(`blocked symmetricEigen recovers Q diag(λ) Qᵀ within n·ε·‖A‖: ${c.label}, n = ${c.n}`, () => {
    const seed = 2000 + index;
    const rng = new Rng(seed);
    const lambda = c.spectrum(rng, c.n);
    const { matrix } = symmetricFromSpectrum(lambda, rng);
    check(matrix, lambda, seed, c.label);
  });
}

test('blocked path: the zero matrix and a diagonal matrix are returned exactly', () => {
  const n = 160;
  const zero = symmetricEigen(new Float64Array(n * n), n);
  assert.ok(zero.values.every((v) => v === 0));
  const d = Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * (i + 1));
  const diagonal = new Float64Array(n * n);
  d.forEach((x, i) => (diagonal[i * n + i] = x));
  assert.deepEqual(
    [...symmetricEigenvalues(diagonal, n)],
    [...d].sort((a, b) => a - b),
  );
});

test('n = 1 and n = 2 in closed form; the largest |λ| keeps its sign', () => {
  assert.deepEqual([...symmetricEigenvalues(Float64Array.of(-2.5), 1)], [-2.5]);
  // [[a, b], [b, c]]: λ = (a + c)/2 ± √(((a − c)/2)² + b²)
  const [a, b, c] = [1, 2, -3];
  const root = Math.hypot((a - c) / 2, b);
  const values = symmetricEigenvalues(Float64Array.of(a, b, b, c), 2);
  assert.ok(Math.abs(values[0] - ((a + c) / 2 - root)) < 4 * EPS * root, `${values}`);
  assert.ok(Math.abs(values[1] - ((a + c) / 2 + root)) < 4 * EPS * root, `${values}`);
  assert.equal(largestMagnitudeEigenvalue(Float64Array.of(a, b, b, c), 2), values[0]);
});

test('symmetricEigenvalues rejects a wrong size and non-finite entries with BiaslabError', () => {
  assert.throws(() => symmetricEigenvalues(new Float64Array(7), 3), { name: 'BiaslabError', code: 'SHAPE' });
  const a = new Float64Array(200 * 200);
  a[12345] = Number.POSITIVE_INFINITY;
  assert.throws(() => symmetricEigenvalues(a, 200), { name: 'BiaslabError', code: 'RUNTIME' });
});

test('blocked tridiagonalise: Qᵀ is orthogonal and Qᵀ A Q is the returned T (seed 2100)', () => {
  const seed = 2100;
  const n = 230;
  const rng = new Rng(seed);
  const lambda = Array.from({ length: n }, () => rng.normal());
  const { matrix } = symmetricFromSpectrum(lambda, rng);
  const norm = Math.max(...lambda.map(Math.abs));
  const { diag, off, qt } = tridiagonalise(Float64Array.from(matrix), n, true);
  const q = qt as Float64Array;
  let worstT = 0;
  let worstQ = 0;
  for (let i = 0; i < n; i++) {
    // (Qᵀ A Q)_ij = q_iᵀ A q_j with q_i = row i of Qᵀ
    const aqi = matVec(matrix, q.subarray(i * n, (i + 1) * n));
    for (let j = 0; j < n; j++) {
      let t = 0;
      let g = 0;
      for (let r = 0; r < n; r++) {
        t += q[j * n + r] * aqi[r];
        g += q[j * n + r] * q[i * n + r];
      }
      const expected = i === j ? diag[i] : Math.abs(i - j) === 1 ? off[Math.min(i, j)] : 0;
      worstT = Math.max(worstT, Math.abs(t - expected));
      worstQ = Math.max(worstQ, Math.abs(g - (i === j ? 1 : 0)));
    }
  }
  assert.ok(worstT <= C * n * EPS * norm, `seed ${seed}: max |QᵀAQ − T| = ${worstT}`);
  assert.ok(worstQ <= C * n * EPS, `seed ${seed}: max |QᵀQ − I| = ${worstQ}`);
});

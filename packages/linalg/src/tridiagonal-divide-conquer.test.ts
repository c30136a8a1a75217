import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import { rankOneUpdateEigen } from './secular-equation';
import { symmetricEigen } from './symmetric-eigen';
import { tridiagonalDivideConquer } from './tridiagonal-divide-conquer';
import { symmetricTridiagonalEigen } from './tridiagonal-eigen';

// Divide and conquer against implicit QL on tridiagonal matrices that stress deflation (repeated values, tiny
// couplings, clusters, a block of numerically zero eigenvalues), the secular equation (graded entries,
// Wilkinson's matrix, extreme scales) and the splitting signs; bounds scaled by n·ε·‖T‖ as for the dense solver.
const EPS = Number.EPSILON;
const C = 10;

type Case = {
  label: string;
  alpha: (i: number, n: number, rng: Rng) => number;
  beta: (i: number, n: number, rng: Rng) => number;
};

const cases: Case[] = [
  { label: 'random', alpha: (_i, _n, rng) => rng.normal(), beta: (_i, _n, rng) => rng.normal() },
  {
    label: 'negative couplings',
    alpha: (_i, _n, rng) => rng.normal(),
    beta: (_i, _n, rng) => -Math.abs(rng.normal()),
  },
  {
    label: "Wilkinson's W⁺ (pairs of close eigenvalues)",
    alpha: (i, n) => Math.abs((n - 1) / 2 - i),
    beta: () => 1,
  },
  { label: 'tridiag(−1, 2, −1)', alpha: () => 2, beta: () => -1 },
  { label: 'zero', alpha: () => 0, beta: () => 0 },
  { label: 'diagonal with three repeated values', alpha: (i) => [4, -1, 0.25][i % 3], beta: () => 0 },
  {
    label: 'graded over 14 decades',
    alpha: (i, n) => 10 ** ((-14 * i) / n),
    beta: (i, n) => 10 ** ((-14 * i) / n - 0.5),
  },
  {
    label: 'couplings of 1e-17',
    alpha: (_i, _n, rng) => rng.normal(),
    beta: (_i, _n, rng) => 1e-17 * rng.normal(),
  },
  {
    label: 'two clusters within 1e-9',
    alpha: (i, n, rng) => (i < n / 2 ? 2 : -3) + 1e-9 * rng.normal(),
    beta: (_i, _n, rng) => 1e-10 * rng.normal(),
  },
  {
    label: 'a block of numerically zero eigenvalues',
    alpha: (i, _n, rng) => (i < 60 ? 3e-15 * rng.normal() : 0.05 * rng.normal()),
    beta: (i, _n, rng) => (i < 60 ? 1e-16 * Math.abs(rng.normal()) : 0.01 * rng.uniform()),
  },
  {
    label: 'scale 1e150',
    alpha: (_i, _n, rng) => 1e150 * rng.normal(),
    beta: (_i, _n, rng) => 1e150 * rng.normal(),
  },
  {
    label: 'scale 1e-150',
    alpha: (_i, _n, rng) => 1e-150 * rng.normal(),
    beta: (_i, _n, rng) => 1e-150 * rng.normal(),
  },
];

for (const [index, c] of cases.entries()) {
  for (const n of [1, 2, 33, 181]) {
    test(`divide and conquer matches implicit QL within n·ε·‖T‖: ${c.label}, n = ${n}`, () => {
      const seed = 500 + 10 * index + n;
      const rng = new Rng(seed);
      const alpha = Float64Array.from({ length: n }, (_, i) => c.alpha(i, n, rng));
      const beta = Float64Array.from({ length: Math.max(n - 1, 0) }, (_, i) => c.beta(i, n, rng));
      const { values, vectors } = tridiagonalDivideConquer(alpha, beta);
      const reference = symmetricTridiagonalEigen(alpha, beta).values;
      let norm = 0;
      for (let i = 0; i < n; i++)
        norm = Math.max(norm, Math.abs(alpha[i]) + Math.abs(beta[i] ?? 0) + Math.abs(beta[i - 1] ?? 0));
      const bound = C * n * EPS * norm;
      for (let i = 0; i < n; i++) {
        assert.ok(
          Math.abs(values[i] - reference[i]) <= bound,
          `seed ${seed}: λ_${i} ${values[i]} vs ${reference[i]}`,
        );
      }
      for (let k = 0; k < n; k++) {
        const v = vectors.subarray(k * n, (k + 1) * n);
        // ‖Tv − λv‖ on the scaled vector, so that its squares neither underflow nor overflow
        let ssq = 0;
        for (let i = 0; i < n; i++) {
          const tv =
            alpha[i] * v[i] + (i > 0 ? beta[i - 1] * v[i - 1] : 0) + (i + 1 < n ? beta[i] * v[i + 1] : 0);
          ssq += ((tv - values[k] * v[i]) / (norm || 1)) ** 2;
        }
        assert.ok(Math.sqrt(ssq) * (norm || 1) <= bound, `seed ${seed}: ‖Tv − λv‖ for k = ${k}`);
        for (let j = k; j < n; j++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += vectors[j * n + i] * v[i];
          assert.ok(Math.abs(dot - (j === k ? 1 : 0)) <= C * n * EPS, `seed ${seed}: v_${j}ᵀv_${k} = ${dot}`);
        }
      }
    });
  }
}

test('the secular equation: D + ρzzᵀ with poles 1e-12 apart and a weight of 1e-7, against the dense solver', () => {
  const seed = 77;
  const rng = new Rng(seed);
  const k = 40;
  const d = Float64Array.from({ length: k }, (_, i) => (i < 20 ? i : 20 + 1e-12 * (i - 20)));
  const z = Float64Array.from({ length: k }, (_, i) => (i % 7 === 3 ? 1e-7 : 1) * (0.5 + rng.uniform()));
  const rho = 0.75;
  const { values, vectors } = rankOneUpdateEigen(d, z, rho);
  const dense = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) dense[i * k + j] = (i === j ? d[i] : 0) + rho * z[i] * z[j];
  const reference = symmetricEigen(dense, k).values;
  let norm = 0;
  for (const x of reference) norm = Math.max(norm, Math.abs(x));
  for (let i = 0; i < k; i++) {
    assert.ok(Math.abs(values[i] - reference[i]) <= C * k * EPS * norm, `seed ${seed}: λ_${i}`);
    // d_i < λ_i < d_{i+1} exactly; λ_i = d_origin + τ may round onto a pole
    if (i + 1 < k) assert.ok(d[i] <= values[i] && values[i] <= d[i + 1], `seed ${seed}: λ_${i} interlaces`);
  }
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let dot = 0;
      for (let j = 0; j < k; j++) dot += vectors[a * k + j] * vectors[b * k + j];
      assert.ok(Math.abs(dot - (a === b ? 1 : 0)) <= C * k * EPS, `seed ${seed}: u_${a}ᵀu_${b} = ${dot}`);
    }
  }
});

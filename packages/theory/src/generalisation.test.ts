import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError } from '@biaslab/core';
import { gaussianGeneralisationError } from './generalisation';

test('Gaussian generalisation error (β − β*)ᵀΣ(β − β*) matches a seeded Monte Carlo estimate', () => {
  const seed = 2024;
  const rng = new Rng(seed);
  const beta = [0.9, 0.05, -0.3];
  const betaStar = [0.7, 1.5, 0];
  // Σ = LLᵀ with a fixed lower-triangular L; x′ = L g, g ~ N(0, I)
  const L = [
    [1, 0, 0],
    [0.5, 0.8, 0],
    [-0.2, 0.3, 0.6],
  ];
  const sigma = L.map((ri) => L.map((rj) => ri.reduce((s, v, k) => s + v * rj[k], 0)));
  const cases: [number[][] | number[] | undefined, (g: number[]) => number[]][] = [
    [undefined, (g) => g],
    [[4, 0.25, 1], (g) => [2 * g[0], 0.5 * g[1], g[2]]],
    [sigma, (g) => L.map((row) => row.reduce((s, v, k) => s + v * g[k], 0))],
  ];
  for (const [cov, draw] of cases) {
    const exact = gaussianGeneralisationError(beta, betaStar, cov);
    const samples = 200000;
    let sum = 0;
    let sumSq = 0;
    for (let s = 0; s < samples; s++) {
      const x = draw([rng.normal(), rng.normal(), rng.normal()]);
      const e = x.reduce((acc, xi, i) => acc + xi * (beta[i] - betaStar[i]), 0) ** 2;
      sum += e;
      sumSq += e * e;
    }
    const mean = sum / samples;
    const se = Math.sqrt((sumSq / samples - mean * mean) / samples);
    assert.ok(Math.abs(mean - exact) < 4 * se, `Monte Carlo ${mean} ± ${se} vs ${exact} (seed ${seed})`);
  }
  assert.ok(Math.abs(gaussianGeneralisationError(beta, betaStar) - (0.04 + 1.45 ** 2 + 0.09)) < 1e-12);
  assert.throws(
    () =>
      gaussianGeneralisationError(beta, betaStar, [
        [1, 0],
        [0, 1],
      ]),
    (e) => isBiaslabError(e, 'SHAPE'),
  );
});

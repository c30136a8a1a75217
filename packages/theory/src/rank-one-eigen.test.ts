import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import { rankOneUpdateExtremes } from './rank-one-eigen';
import { symmetricEigen } from '@biaslab/linalg';

function dense(d: number[], u: number[], rho: number): Float64Array {
  const n = d.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) a[i * n + j] = rho * u[i] * u[j] + (i === j ? d[i] : 0);
  return a;
}

test('secular-equation extremes of diag(d) + ρuuᵀ match the dense eigensolver, including deflated cases', () => {
  const seed = 5;
  const rng = new Rng(seed);
  const cases: [number[], number[], number][] = [
    [[1, 2, 3], [0, 0, 0], 4],
    [[1, 1, 1], [1, 2, 3], 4],
    [[-2, 0.5, 0.5, 3], [0.3, 0, 1, 0], 2],
    [[5, -1], [0, 0.1], 4],
    [[0, 0], [1, 1], 0],
  ];
  for (let k = 0; k < 40; k++) {
    const n = 1 + rng.int(7);
    const d = Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 1 : rng.normal()));
    const u = Array.from({ length: n }, () => (rng.uniform() < 0.2 ? 0 : rng.normal()));
    cases.push([d, u, 4 * rng.uniform()]);
  }
  for (const [d, u, rho] of cases) {
    const { values } = symmetricEigen(dense(d, u, rho), d.length);
    const { min, max } = rankOneUpdateExtremes(d, u, rho);
    const scale = Math.max(1, Math.abs(values[0]), Math.abs(values[d.length - 1]));
    const msg = `d=${d} u=${u} ρ=${rho} (seed ${seed})`;
    assert.ok(Math.abs(min - values[0]) < 1e-12 * scale, `min ${min} vs ${values[0]}, ${msg}`);
    assert.ok(
      Math.abs(max - values[d.length - 1]) < 1e-12 * scale,
      `max ${max} vs ${values[d.length - 1]}, ${msg}`,
    );
  }
});

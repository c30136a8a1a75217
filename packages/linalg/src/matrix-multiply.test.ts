import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import { multiply } from './matrix-multiply';

// C ← βC + αAB against the three-loop product, on strided views with padding that must stay untouched, for
// shapes that are and are not multiples of the 3 × 4 micro-kernel and of the packed block sizes.

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [5, 7, 3],
  [3, 4, 256],
  [97, 101, 300],
  [200, 1030, 70],
  [10, 3, 0],
];

for (const [m, n, k] of shapes) {
  test(`multiply matches the three-loop product: ${m} × ${k} by ${k} × ${n}, every transpose, α = ±1, β ∈ {0, 1}`, () => {
    const seed = 31 + m + n + k;
    const rng = new Rng(seed);
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const lda = (ta ? m : k) + 3;
        const ldb = (tb ? k : n) + 2;
        const aData = Float64Array.from({ length: (ta ? k : m) * lda + 2 }, () => rng.normal());
        const bData = Float64Array.from({ length: (tb ? n : k) * ldb + 1 }, () => rng.normal());
        const aAt = (i: number, p: number) => (ta ? aData[2 + p * lda + i] : aData[2 + i * lda + p]);
        const bAt = (p: number, j: number) => (tb ? bData[1 + j * ldb + p] : bData[1 + p * ldb + j]);
        for (const beta of [0, 1] as const) {
          for (const alpha of [1, -1]) {
            const ldc = n + 1;
            const c = new Float64Array(m * ldc + 3).fill(7);
            multiply(
              m,
              n,
              k,
              alpha,
              { data: aData, offset: 2, stride: lda, transposed: ta },
              { data: bData, offset: 1, stride: ldb, transposed: tb },
              beta,
              { data: c, offset: 3, stride: ldc },
            );
            let worst = 0;
            for (let i = 0; i < m; i++) {
              for (let j = 0; j < n; j++) {
                let s = 0;
                for (let p = 0; p < k; p++) s += aAt(i, p) * bAt(p, j);
                worst = Math.max(worst, Math.abs(c[3 + i * ldc + j] - (beta * 7 + alpha * s)));
              }
            }
            const label = `seed ${seed}, transposed A ${ta}, B ${tb}, α ${alpha}, β ${beta}`;
            assert.ok(worst <= 1e-13 * Math.max(k, 1), `${label}: max error ${worst}`);
            for (let i = 0; i < 3; i++) assert.equal(c[i], 7, `${label}: wrote before C`);
            for (let i = 0; i + 1 < m; i++)
              assert.equal(c[3 + i * ldc + n], 7, `${label}: wrote the padding`);
          }
        }
      }
    }
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, createMetricMemory } from '@biaslab/core';
import { matVec, symmetricFromSpectrum } from '@biaslab/linalg';
import type { LinearOperator } from '@biaslab/linalg';
import { denseHessian } from './dense-hessian';
import { flatContext, runMetric, unsharedDiagonalOracle } from './metric-fixtures';
import { quadraticOracle } from './quadratic-oracle';
import { traceMetric } from './trace';
import { hutchinson, hutchPlusPlus } from './trace-estimators';

/** The exact trace and the exact Hutchinson standard deviation per probe, √(2(‖A‖_F² − Σ A_ii²)), from the dense Hessian. */
async function exact(a: Float64Array, n: number) {
  const h = (await denseHessian(quadraticOracle(a), new Float64Array(n))).matrix;
  let trace = 0;
  let offDiagonal = 0;
  for (let i = 0; i < n; i++) {
    trace += h[i * n + i];
    for (let j = 0; j < n; j++) if (i !== j) offDiagonal += h[i * n + j] ** 2;
  }
  return { trace, sdPerProbe: Math.sqrt(2 * offDiagonal) };
}

function operator(a: Float64Array): LinearOperator {
  return async (v) => matVec(a, v);
}

test('Hutchinson is within 4 standard errors of the exact trace across seeds, and its stderr is the true one', async () => {
  const n = 40;
  const probes = 60;
  const spectrum = Array.from({ length: n }, (_, i) => 3 * Math.sin(i) + 1);
  const { matrix } = symmetricFromSpectrum(spectrum, new Rng(2001));
  const { trace, sdPerProbe } = await exact(matrix, n);
  const trueStderr = sdPerProbe / Math.sqrt(probes);
  const estimates: number[] = [];
  const stderrs: number[] = [];
  for (let seed = 1; seed <= 40; seed++) {
    const e = await hutchinson(operator(matrix), n, { probes, rng: new Rng(seed) });
    assert.equal(e.hvps, probes);
    assert.equal(e.probes, probes);
    assert.ok(
      Math.abs(e.trace - trace) <= 4 * e.stderr,
      `seed ${seed}: ${e.trace} vs ${trace} ± ${e.stderr}`,
    );
    estimates.push(e.trace);
    stderrs.push(e.stderr);
  }
  const meanStderr = stderrs.reduce((a, b) => a + b) / stderrs.length;
  assert.ok(
    Math.abs(meanStderr / trueStderr - 1) < 0.15,
    `mean reported stderr ${meanStderr} vs exact ${trueStderr}`,
  );
  // The spread of the estimates across seeds is the standard error.
  const mean = estimates.reduce((a, b) => a + b) / estimates.length;
  const spread = Math.sqrt(estimates.reduce((s, x) => s + (x - mean) ** 2, 0) / (estimates.length - 1));
  assert.ok(
    spread / trueStderr > 0.65 && spread / trueStderr < 1.4,
    `spread ${spread} vs stderr ${trueStderr}`,
  );
  assert.ok(
    Math.abs(mean - trace) <= 4 * (trueStderr / Math.sqrt(estimates.length)),
    `mean ${mean} vs ${trace}`,
  );
});

test('Hutch++ is within 4 standard errors and far more accurate than Hutchinson on a low-rank-dominated matrix', async () => {
  const n = 60;
  const probes = 45;
  // Ten large eigenvalues carry the trace; the other fifty are small and of both signs.
  const spectrum = [
    ...Array.from({ length: 10 }, (_, i) => 100 / (i + 1)),
    ...Array.from({ length: n - 10 }, (_, i) => 0.05 * Math.cos(i)),
  ];
  const { matrix } = symmetricFromSpectrum(spectrum, new Rng(2101));
  const { trace } = await exact(matrix, n);
  let plusError = 0;
  let plainError = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const plus = await hutchPlusPlus(operator(matrix), n, { probes, rng: new Rng(seed) });
    const plain = await hutchinson(operator(matrix), n, { probes, rng: new Rng(seed) });
    assert.equal(plus.hvps, probes, `seed ${seed}: ${plus.hvps} products`);
    assert.equal(plus.probes, probes - 2 * 15);
    assert.ok(
      Math.abs(plus.trace - trace) <= 4 * plus.stderr,
      `seed ${seed}: ${plus.trace} vs ${trace} ± ${plus.stderr}`,
    );
    plusError += Math.abs(plus.trace - trace);
    plainError += Math.abs(plain.trace - trace);
  }
  assert.ok(
    plusError < 0.01 * plainError,
    `mean |error| Hutch++ ${plusError / 20} vs Hutchinson ${plainError / 20}`,
  );
});

test('Hutch++ on a matrix of rank below the sketch is exact; a rank-deficient sketch uses fewer products', async () => {
  const n = 30;
  const spectrum = [7, -3, 2, ...Array.from({ length: n - 3 }, () => 0)];
  const { matrix } = symmetricFromSpectrum(spectrum, new Rng(2201));
  const e = await hutchPlusPlus(operator(matrix), n, { probes: 18, rng: new Rng(5) });
  assert.ok(Math.abs(e.trace - 6) < 1e-10, `trace ${e.trace}`);
  assert.ok(e.stderr < 1e-10, `stderr ${e.stderr}`);
  assert.equal(e.hvps, 6 + 3 + 6, 'six sketch products, three for the rank-3 basis, six probes');
});

test('the trace metric over the trained parameters: seeded, keyed, validated', async () => {
  const seed = 2301;
  const rng = new Rng(seed);
  const oracle = unsharedDiagonalOracle(rng.normals(15), 1);
  const theta = rng.normals(30);
  const h = (await denseHessian(oracle, theta)).matrix;
  let trace = 0;
  for (let i = 0; i < 30; i++) trace += h[i * 30 + i];
  for (const method of ['hutchinson', 'hutch++'] as const) {
    const ctx = flatContext(theta, oracle, { rng: new Rng(seed) });
    const out = await runMetric(traceMetric, ctx, { method, probes: 30 });
    assert.deepEqual(Object.keys(out).sort(), ['trace', 'trace.hvps', 'trace.probes', 'trace.stderr']);
    assert.ok(
      Math.abs(out.trace - trace) <= 4 * out['trace.stderr'] + 1e-9,
      `seed ${seed} ${method}: ${out.trace} vs ${trace} ± ${out['trace.stderr']}`,
    );
    assert.deepEqual(
      await runMetric(traceMetric, { ...ctx, memory: createMetricMemory() }, { method, probes: 30 }),
      out,
      'same seed, same numbers',
    );
  }
  await assert.rejects(runMetric(traceMetric, flatContext(theta, oracle), { probes: 2 }), {
    code: 'INVALID_OPTIONS',
  });
  await assert.rejects(runMetric(traceMetric, flatContext(theta, oracle), { method: 'exact' }), {
    code: 'INVALID_OPTIONS',
  });
});

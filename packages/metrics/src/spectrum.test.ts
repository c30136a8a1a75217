import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import { matVec, symmetricEigen, symmetricFromSpectrum } from '@biaslab/linalg';
import type { LinearOperator } from '@biaslab/linalg';
import { denseHessian } from './dense-hessian';
import { flatContext, runMetric } from './metric-fixtures';
import { normalCdf } from './normal-cdf';
import { quadraticOracle } from './quadratic-oracle';
import { densityHistogram, spectralDensity } from './spectral-density';
import { spectrumMetric } from './spectrum';

/** A quadratic whose Hessian has a bulk near 0 and a few outliers, like a trained network’s. */
async function problem(seed: number, n = 80) {
  const rng = new Rng(seed);
  const spectrum = [25, 12, -4, ...Array.from({ length: n - 3 }, () => rng.uniformIn(-1, 2))];
  const { matrix } = symmetricFromSpectrum(spectrum, rng);
  const oracle = quadraticOracle(matrix);
  const h = (await denseHessian(oracle, new Float64Array(n))).matrix;
  const values = symmetricEigen(h, n).values;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += h[i * n + i];
  const op: LinearOperator = async (v) => matVec(matrix, v);
  return { n, h, matrix, oracle, op, values, trace };
}

test('normalCdf matches known values to 1e-14', () => {
  const known: [number, number][] = [
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1.96, 0.024997895148220435],
    [3, 0.9986501019683699],
    [-5, 2.866515718791939e-7],
    [8, 0.9999999999999993],
  ];
  for (const [x, p] of known)
    assert.ok(Math.abs(normalCdf(x) - p) < 1e-14, `Φ(${x}) = ${normalCdf(x)}, expected ${p}`);
  assert.ok(Math.abs(normalCdf(-10) / 7.619853024160527e-24 - 1) < 1e-12, `Φ(−10) = ${normalCdf(-10)}`);
});

test('SLQ: unit mass, mean = tr(H)/P within its error, support covering [λ_min, λ_max]', async () => {
  const seed = 3001;
  const { n, h, op, values, trace } = await problem(seed);
  const probes = 12;
  const density = await spectralDensity(op, n, { probes, steps: 30, rng: new Rng(seed) });
  assert.equal(density.hvps, probes * 30);
  const mass = density.weights.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(mass - 1) < 1e-12, `seed ${seed}: mass ${mass}`);
  assert.ok(density.weights.every((w) => w >= 0));
  // Mean = Hutchinson on the same probes: unbiased for tr/P with std √(2 Σ_{i≠j} H_ij²)/(P √probes).
  let off = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) off += h[i * n + j] ** 2;
  const sd = Math.sqrt(2 * off) / n / Math.sqrt(probes);
  assert.ok(
    Math.abs(density.mean - trace / n) <= 4 * sd,
    `seed ${seed}: mean ${density.mean} vs ${trace / n} ± ${sd}`,
  );
  // Extreme Ritz values lie inside the spectrum and converge to its ends.
  const lo = values[0];
  const hi = values[n - 1];
  assert.ok(density.min >= lo - 1e-9 && density.max <= hi + 1e-9, `seed ${seed}: nodes inside the spectrum`);
  assert.ok(
    Math.abs(density.min - lo) < 1e-6 * hi && Math.abs(density.max - hi) < 1e-6 * hi,
    `seed ${seed}: [${density.min}, ${density.max}] vs [${lo}, ${hi}]`,
  );
  // Quadrature with a full Krylov space (steps = P) is exact for each probe: weight on the outlier 25 ≈ 1/P.
  const full = await spectralDensity(op, n, { probes: 24, steps: n, rng: new Rng(seed + 1) });
  let outlierMass = 0;
  for (let k = 0; k < full.nodes.length; k++) if (full.nodes[k] > 20) outlierMass += full.weights[k];
  assert.ok(
    Math.abs(outlierMass - 1 / n) < (4 * Math.sqrt(2 / 24)) / n,
    `seed ${seed}: mass at 25 = ${outlierMass}, expected ≈ ${1 / n}`,
  );
});

test('SLQ is Gauss quadrature: Σ τ_k θ_k^j = zᵀH^j z / P for j < 2·steps, on the probe it drew', async () => {
  const seed = 3051;
  const { n, op, matrix } = await problem(seed, 40);
  const steps = 6;
  const density = await spectralDensity(op, n, { probes: 1, steps, rng: new Rng(seed) });
  // The same seeded Rademacher probe, redrawn.
  const rng = new Rng(seed);
  let hz: Float64Array = Float64Array.from({ length: n }, () => rng.sign());
  const z = Float64Array.from(hz);
  for (let j = 1; j < 2 * steps; j++) {
    hz = matVec(matrix, hz);
    let moment = 0;
    for (let i = 0; i < n; i++) moment += z[i] * hz[i];
    moment /= n;
    let quadrature = 0;
    for (let k = 0; k < density.nodes.length; k++) quadrature += density.weights[k] * density.nodes[k] ** j;
    assert.ok(
      Math.abs(quadrature - moment) <= 1e-9 * Math.abs(moment) + 1e-9,
      `seed ${seed}: moment ${j}: ${quadrature} vs ${moment}`,
    );
  }
});

test('the histogram conserves mass with and without smoothing and puts it where the nodes are', () => {
  const measure = { nodes: Float64Array.of(-1, 0, 0.5, 3), weights: Float64Array.of(0.1, 0.4, 0.2, 0.3) };
  for (const sigma of [0, 0.01, 0.2]) {
    const hist = densityHistogram(measure, 20, sigma);
    const total = hist.density.reduce((s, d) => s + d * hist.width, 0);
    assert.ok(Math.abs(total - 1) < 1e-12, `σ = ${sigma}: mass ${total}`);
    assert.ok(hist.centers[0] - hist.width / 2 <= -1 && hist.centers[19] + hist.width / 2 >= 3);
    assert.ok(Math.abs(hist.sigma - sigma * 4) < 1e-15);
  }
  const plain = densityHistogram(measure, 4, 0);
  // Bins of width 1 over [−1, 3]: −1 → bin 0, 0 and 0.5 → bin 1, 3 → bin 3 (the closed right end).
  assert.deepEqual(Array.from(plain.density), [0.1, 0.6000000000000001, 0, 0.3]);
  assert.throws(() => densityHistogram(measure, 0, 0), { code: 'INVALID_OPTIONS' });
});

test('the spectrum metric: histogram keys integrate to 1, min/max cover the spectrum, seeded', async () => {
  const seed = 3101;
  const { n, oracle, values } = await problem(seed, 50);
  const ctx = flatContext(new Float64Array(n), oracle, { rng: new Rng(seed) });
  const out = await runMetric(spectrumMetric, ctx, { probes: 3, steps: 25, bins: 30 });
  const centers = Array.from({ length: 30 }, (_, i) => out[`spectrum.bin.${i + 1}.center`]);
  const width = centers[1] - centers[0];
  let mass = 0;
  for (let i = 1; i <= 30; i++) mass += out[`spectrum.bin.${i}.density`] * width;
  assert.ok(Math.abs(mass - 1) < 1e-9, `seed ${seed}: mass ${mass}`);
  assert.ok(
    Math.abs(out['spectrum.min'] - values[0]) < 1e-6 * values[n - 1],
    `seed ${seed}: min ${out['spectrum.min']} vs ${values[0]}`,
  );
  assert.ok(Math.abs(out['spectrum.max'] - values[n - 1]) < 1e-6 * values[n - 1], `seed ${seed}: max`);
  assert.ok(centers[0] <= values[0] && centers[29] >= values[n - 1] - width);
  assert.equal(out['spectrum.hvps'], 75);
  assert.deepEqual(await runMetric(spectrumMetric, ctx, { probes: 3, steps: 25, bins: 30 }), out);
  await assert.rejects(runMetric(spectrumMetric, ctx, { bins: 0 }), { code: 'INVALID_OPTIONS' });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import type { Oracle } from '@biaslab/core';
import { matVec, symmetricEigen, symmetricFromSpectrum } from '@biaslab/linalg';
import { adaptiveSharpnessMetric } from './adaptive-sharpness';
import { denseHessian } from './dense-hessian';
import { effectiveSharpnessMetric } from './effective-sharpness';
import { ggnSharpnessMetric } from './ggn-sharpness';
import { flatContext, runMetric, unsharedDiagonalOracle } from './metric-fixtures';
import { quadraticOracle } from './quadratic-oracle';
import { SHARPNESS_MEMORY_KEY, sharpnessMetric } from './sharpness';

/** Eigenvalues of a dense symmetric matrix by decreasing magnitude. */
function byMagnitude(matrix: Float64Array, n: number): number[] {
  return Array.from(symmetricEigen(matrix, n).values).sort((a, b) => Math.abs(b) - Math.abs(a));
}

/** The exact dense Hessian of an oracle at θ (P HVPs), the oracle every estimator is checked against. */
async function exactHessian(oracle: Oracle, theta: Float64Array): Promise<Float64Array> {
  return (await denseHessian(oracle, theta)).matrix;
}

/** A quadratic with a random spectrum with a clear top-k: n = 120 (Lanczos territory), mixed signs. */
function topKProblem(seed: number) {
  const rng = new Rng(seed);
  const n = 120;
  const spectrum = [30, -25, 20, 15, -12, ...Array.from({ length: n - 5 }, () => rng.uniformIn(-6, 8))];
  return { n, oracle: quadraticOracle(symmetricFromSpectrum(spectrum, rng).matrix) };
}

test('sharpness top-k by Lanczos and dense equals the dense Hessian’s k largest |λ| to 1e-8, warm-started along a run', async () => {
  const seed = 1201;
  const { n, oracle } = topKProblem(seed);
  const theta = new Float64Array(n);
  const expected = byMagnitude(await exactHessian(oracle, theta), n).slice(0, 4);
  const ctx = flatContext(theta, oracle, { eta: 0.05 });
  const first = await runMetric(sharpnessMetric, ctx, { method: 'lanczos', k: 4 });
  for (let i = 0; i < 4; i++) {
    const got = first[`sharpness.lambda.${i + 1}`];
    assert.ok(
      Math.abs(got - expected[i]) <= 1e-8 * Math.abs(expected[0]),
      `seed ${seed}: λ${i + 1} = ${got}, expected ${expected[i]}`,
    );
  }
  assert.ok(
    Math.abs(first.sharpness - Math.abs(expected[0])) <= 1e-8 * 30,
    `seed ${seed}: S = ${first.sharpness}`,
  );
  assert.ok(Math.abs(first['sharpness.stability'] - (30 * 0.05) / 2) < 1e-9);
  const saved = ctx.memory.get(SHARPNESS_MEMORY_KEY)!;
  assert.equal(saved.length, 4, 'k eigenvectors kept for the warm start');
  // Next evaluation at a nearby operator (same matrix): the warm start from the sum of 4 eigenvectors is cheaper.
  const second = await runMetric(sharpnessMetric, { ...ctx, step: 1 }, { method: 'lanczos', k: 4 });
  for (let i = 0; i < 4; i++) {
    assert.ok(
      Math.abs(second[`sharpness.lambda.${i + 1}`] - expected[i]) <= 1e-8 * 30,
      `seed ${seed}: warm λ${i + 1}`,
    );
  }
  assert.ok(
    second['sharpness.hvps'] < first['sharpness.hvps'],
    `seed ${seed}: warm ${second['sharpness.hvps']} vs cold ${first['sharpness.hvps']}`,
  );
  const dense = await runMetric(sharpnessMetric, flatContext(theta, oracle), { method: 'dense', k: 4 });
  for (let i = 0; i < 4; i++)
    assert.ok(Math.abs(dense[`sharpness.lambda.${i + 1}`] - expected[i]) <= 1e-10 * 30);
  assert.equal(dense['sharpness.hvps'], n + 1);
});

test('sharpness by power iteration is within its residual of the exact top eigenvalue, with the HVP count', async () => {
  const seed = 1301;
  const { n, oracle } = topKProblem(seed);
  const theta = new Float64Array(n);
  const exact = byMagnitude(await exactHessian(oracle, theta), n)[0];
  const before = oracle.hvps();
  const out = await runMetric(sharpnessMetric, flatContext(theta, oracle), {
    method: 'power',
    tol: 1e-9,
    maxIter: 3000,
  });
  assert.equal(out['sharpness.converged'], 1, `seed ${seed}`);
  assert.ok(
    Math.abs(out['sharpness.lambda'] - exact) <= out['sharpness.residual'],
    `seed ${seed}: ${out['sharpness.lambda']} vs ${exact}`,
  );
  assert.ok(out['sharpness.residual'] <= 1e-9 * 30);
  assert.equal(out['sharpness.hvps'], oracle.hvps() - before);
  await assert.rejects(runMetric(sharpnessMetric, flatContext(theta, oracle), { method: 'power', k: 2 }), {
    code: 'INVALID_OPTIONS',
  });
});

test('sharpness of the unshared diagonal network (a non-quadratic loss) matches its dense Hessian', async () => {
  const seed = 1401;
  const rng = new Rng(seed);
  const x = rng.normals(10);
  const oracle = unsharedDiagonalOracle(x, 0.7);
  const theta = rng.normals(20);
  const expected = byMagnitude(await exactHessian(oracle, theta), 20);
  for (const method of ['lanczos', 'dense'] as const) {
    const out = await runMetric(sharpnessMetric, flatContext(theta, oracle), { method, k: 3 });
    for (let i = 0; i < 3; i++) {
      assert.ok(
        Math.abs(out[`sharpness.lambda.${i + 1}`] - expected[i]) <= 1e-8 * Math.abs(expected[0]),
        `seed ${seed} ${method}: λ${i + 1}`,
      );
    }
  }
});

test('effective sharpness equals the top |λ| of the dense P^{-1/2} H P^{-1/2} and is an eigenvalue of P⁻¹H', async () => {
  const seed = 1501;
  const rng = new Rng(seed);
  const { oracle } = topKProblem(seed);
  const theta = new Float64Array(120);
  const hessian = await exactHessian(oracle, theta);
  const d = Float64Array.from({ length: 120 }, () => Math.exp(rng.uniformIn(-3, 1)));
  // Dense D^{1/2} H D^{1/2}, built independently of the metric.
  const m = new Float64Array(120 * 120);
  for (let i = 0; i < 120; i++)
    for (let j = 0; j < 120; j++) m[i * 120 + j] = Math.sqrt(d[i]) * hessian[i * 120 + j] * Math.sqrt(d[j]);
  const expected = byMagnitude(m, 120);
  for (const method of ['lanczos', 'dense', 'power'] as const) {
    const out = await runMetric(effectiveSharpnessMetric, flatContext(theta, oracle, { preconditioner: d }), {
      method,
      k: method === 'power' ? 1 : 2,
      tol: method === 'power' ? 1e-10 : undefined,
      maxIter: method === 'power' ? 5000 : undefined,
    });
    const tolerance = method === 'power' ? out['effective-sharpness.residual'] : 1e-8 * Math.abs(expected[0]);
    assert.ok(
      Math.abs(out['effective-sharpness.lambda'] - expected[0]) <= tolerance,
      `seed ${seed} ${method}: ${out['effective-sharpness.lambda']} vs ${expected[0]}`,
    );
    if (method !== 'power')
      assert.ok(Math.abs(out['effective-sharpness.lambda.2'] - expected[1]) <= 1e-8 * Math.abs(expected[0]));
  }
  // λ is an eigenvalue of P⁻¹H itself: det-free check with the eigenvector of the symmetric form, x = D^{1/2}u.
  const eig = symmetricEigen(m, 120);
  const top = Math.abs(eig.values[119]) >= Math.abs(eig.values[0]) ? 119 : 0;
  const x = Float64Array.from({ length: 120 }, (_, i) => Math.sqrt(d[i]) * eig.vectors[top * 120 + i]);
  const px = matVec(hessian, x).map((h, i) => d[i] * h);
  for (let i = 0; i < 120; i++)
    assert.ok(
      Math.abs(px[i] - eig.values[top] * x[i]) < 1e-9 * Math.abs(eig.values[top]),
      `P⁻¹H x = λx at ${i}`,
    );
  await assert.rejects(
    runMetric(effectiveSharpnessMetric, flatContext(theta, oracle)),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, 'INVALID_CONFIG');
      assert.match(error.message, /preconditioner/);
      return true;
    },
  );
  await assert.rejects(
    runMetric(effectiveSharpnessMetric, flatContext(theta, oracle, { preconditioner: new Float64Array(3) })),
    { code: 'SHAPE' },
  );
  await assert.rejects(
    runMetric(
      effectiveSharpnessMetric,
      flatContext(theta, oracle, { preconditioner: new Float64Array(120).fill(-1) }),
    ),
    { code: 'INVALID_CONFIG' },
  );
});

test('ggn sharpness equals the top eigenvalue of the dense Gauss–Newton matrix (PSD), which differs from H away from interpolation', async () => {
  const seed = 1601;
  const rng = new Rng(seed);
  const x = rng.normals(12);
  const oracle = unsharedDiagonalOracle(x, 3);
  const theta = rng.normals(24);
  // Dense GGN g gᵀ, independently: g = (x⊙v, x⊙u).
  const g = Float64Array.from({ length: 24 }, (_, i) =>
    i < 12 ? x[i] * theta[12 + i] : x[i - 12] * theta[i - 12],
  );
  const ggn = new Float64Array(24 * 24);
  for (let i = 0; i < 24; i++) for (let j = 0; j < 24; j++) ggn[i * 24 + j] = g[i] * g[j];
  const eig = symmetricEigen(ggn, 24).values;
  const expected = eig[23];
  assert.ok(eig[0] > -1e-10 * expected, 'the GGN is PSD');
  for (const method of ['lanczos', 'dense'] as const) {
    const out = await runMetric(ggnSharpnessMetric, flatContext(theta, oracle, { ggnvp: oracle.ggnvp }), {
      method,
    });
    assert.ok(
      Math.abs(out['ggn-sharpness'] - expected) <= 1e-8 * expected,
      `seed ${seed} ${method}: ${out['ggn-sharpness']} vs ${expected}`,
    );
    assert.ok(out['ggn-sharpness.lambda'] > 0);
  }
  const hessianTop = byMagnitude(await exactHessian(oracle, theta), 24)[0];
  assert.ok(
    Math.abs(Math.abs(hessianTop) - expected) > 1e-3,
    `seed ${seed}: H and G should differ off the zero-loss set`,
  );
  await assert.rejects(
    runMetric(ggnSharpnessMetric, flatContext(theta, oracle)),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, 'INVALID_CONFIG');
      assert.match(error.message, /ggnvp/);
      return true;
    },
  );
});

test('adaptive sharpness equals the dense diag(|θ|) H diag(|θ|) and is invariant under loss-preserving rescaling', async () => {
  const seed = 1701;
  const rng = new Rng(seed);
  const d = 8;
  const x = rng.normals(d);
  const oracle = unsharedDiagonalOracle(x, 0.4);
  const theta = rng.normals(2 * d);
  const h = await exactHessian(oracle, theta);
  const t = theta.map(Math.abs);
  const m = new Float64Array(4 * d * d);
  for (let i = 0; i < 2 * d; i++)
    for (let j = 0; j < 2 * d; j++) m[i * 2 * d + j] = t[i] * h[i * 2 * d + j] * t[j];
  const expected = byMagnitude(m, 2 * d)[0];
  const out = await runMetric(adaptiveSharpnessMetric, flatContext(theta, oracle), { method: 'lanczos' });
  assert.ok(
    Math.abs(out['adaptive-sharpness.lambda'] - expected) <= 1e-8 * Math.abs(expected),
    `seed ${seed}: ${out['adaptive-sharpness.lambda']} vs ${expected}`,
  );
  assert.equal(out['adaptive-sharpness.stability'], undefined, 'no stability ratio for THT');
  // (u, v) ↦ (c⊙u, v/c) keeps the loss; plain sharpness changes, adaptive sharpness does not.
  const c = Float64Array.from({ length: d }, () => Math.exp(rng.uniformIn(-1, 1)));
  const scaled = Float64Array.from(theta, (th, i) => (i < d ? th * c[i] : th / c[i - d]));
  assert.ok(Math.abs((await oracle.loss(scaled)) - (await oracle.loss(theta))) < 1e-12);
  const plainA = (await runMetric(sharpnessMetric, flatContext(theta, oracle))).sharpness;
  const plainB = (await runMetric(sharpnessMetric, flatContext(scaled, oracle))).sharpness;
  assert.ok(Math.abs(plainA - plainB) > 1e-3 * plainA, `seed ${seed}: the plain sharpness should change`);
  const adaptiveB = (await runMetric(adaptiveSharpnessMetric, flatContext(scaled, oracle)))[
    'adaptive-sharpness'
  ];
  assert.ok(
    Math.abs(adaptiveB - Math.abs(expected)) <= 1e-9 * Math.abs(expected),
    `seed ${seed}: ${adaptiveB} vs ${expected}`,
  );
  // ξ > 0 breaks exact invariance but is accepted.
  const xi = await runMetric(adaptiveSharpnessMetric, flatContext(theta, oracle), { xi: 0.1 });
  assert.ok(xi['adaptive-sharpness'] > 0);
});

test('spectral metrics give NaN without products at a diverged θ and validate k', async () => {
  const oracle = quadraticOracle(new Float64Array(16).fill(1));
  const bad = Float64Array.of(1, Number.NaN, 0, 0);
  const out = await runMetric(sharpnessMetric, flatContext(bad, oracle), { k: 2 });
  assert.ok(Number.isNaN(out.sharpness) && Number.isNaN(out['sharpness.lambda.2']));
  assert.equal(oracle.hvps(), 0);
  await assert.rejects(runMetric(sharpnessMetric, flatContext(new Float64Array(4), oracle), { k: 5 }), {
    code: 'INVALID_OPTIONS',
  });
});

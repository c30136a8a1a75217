import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError, parseOptions } from '@biaslab/core';
import { gdOptimizer, gdOptions } from './gd';
import { QuadraticOracle, trajectory } from './fixtures';

const WHERE = 'optimizer/gd';

function distance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** The iterate after `steps` steps. */
const run = async (...args: Parameters<typeof trajectory>) => (await trajectory(...args)).theta;

const DEFAULTS = { weightDecay: 0, schedule: { kind: 'constant' } };
const gd = () => gdOptimizer.create(parseOptions(gdOptions, {}, WHERE));

test('gd options: only the common ones, strict', () => {
  assert.deepEqual(parseOptions(gdOptions, {}, WHERE), DEFAULTS);
  assert.deepEqual(parseOptions(gdOptions, undefined, WHERE), DEFAULTS);
  for (const raw of [{ lr: 0.1 }, { momentum: 0.9 }, { schedule: { kind: 'exponential' } }, 'fast', 3]) {
    assert.throws(
      () => parseOptions(gdOptions, raw, WHERE),
      (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS'),
      `options ${JSON.stringify(raw)} should be rejected`,
    );
  }
});

test('gd: one step is θ − η A(θ − θ*), reports L and ‖∇L‖ at the start, and mutates nothing', async () => {
  const seed = 8;
  const rng = new Rng(seed);
  const oracle = QuadraticOracle.withSpectrum([0.3, 1, 2.5, 4], rng.fork('quadratic'));
  const opt = gd();
  const theta = rng.normals(4);
  const thetaCopy = Float64Array.from(theta);
  const state = opt.init(theta);
  assert.deepEqual(state, {});
  const eta = 0.2;
  const result = await opt.step({ theta, state, eta, step: 0, oracle, rng });
  assert.deepEqual(theta, thetaCopy, 'θ was mutated');
  assert.notEqual(result.theta, theta, 'the step must return a new array');
  assert.deepEqual(state, {});
  assert.deepEqual(result.state, {});
  // Independent dense computation of the gradient A(θ − θ*).
  const g = new Float64Array(4);
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) g[i] += oracle.A[i * 4 + j] * (theta[j] - oracle.thetaStar[j]);
  for (let i = 0; i < 4; i++) {
    assert.ok(Math.abs(result.theta[i] - (theta[i] - eta * g[i])) < 1e-15, `θ⁺[${i}] (seed ${seed})`);
  }
  assert.ok(Math.abs(result.loss! - oracle.lossAt(theta)) < 1e-15);
  assert.ok(Math.abs(result.gradNorm! - Math.hypot(...g)) < 1e-14);
  assert.equal(oracle.calls, 1, 'gd needs exactly one gradient evaluation per step');
});

test('gd stability threshold: on curvature λ it converges for η < 2/λ and diverges for η > 2/λ', async () => {
  const seed = 29;
  const rng = new Rng(seed);
  const lambdaMax = 4;
  const oracle = QuadraticOracle.withSpectrum([0.5, 2, lambdaMax], rng.fork('quadratic'));
  const theta0 = rng.normals(3);
  const start = distance(theta0, oracle.thetaStar);
  const steps = 300;
  for (const [factor, converges] of [
    [0.95, true],
    [0.99, true],
    [1.01, false],
    [1.05, false],
  ] as const) {
    const eta = (factor * 2) / lambdaMax;
    const theta = await run(gd(), oracle, theta0, eta, steps, seed);
    const ratio = distance(theta, oracle.thetaStar) / start;
    // Along the top eigenvector the error is multiplied by |1 − ηλ_max| = |1 − 2·factor| each step.
    const rate = Math.abs(1 - 2 * factor) ** steps;
    if (converges)
      assert.ok(ratio < 1e-2, `η = ${factor}·2/λ: error ratio ${ratio} should shrink (seed ${seed})`);
    else
      assert.ok(
        ratio > 1e2 && ratio > 0.01 * rate,
        `η = ${factor}·2/λ: error ratio ${ratio}, expected ≈ ${rate} (seed ${seed})`,
      );
  }
});

test('gd on one coordinate follows θ_t − θ* = (1 − ηλ)^t (θ₀ − θ*) exactly', async () => {
  const lambda = 3;
  const oracle = new QuadraticOracle(Float64Array.of(lambda), Float64Array.of(0.5));
  for (const eta of [0.1, 0.6, 0.7]) {
    const theta = await run(gd(), oracle, Float64Array.of(1.5), eta, 40, 0);
    const expected = 0.5 + (1 - eta * lambda) ** 40;
    assert.ok(
      Math.abs(theta[0] - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
      `η = ${eta}: ${theta[0]} vs ${expected}`,
    );
  }
});

test('gd refuses a non-positive learning rate and a gradient of the wrong size', async () => {
  const oracle = new QuadraticOracle(Float64Array.of(1), Float64Array.of(0));
  const opt = gd();
  for (const eta of [0, -0.1, Number.NaN]) {
    await assert.rejects(
      opt.step({ theta: Float64Array.of(1), state: {}, eta, step: 0, oracle, rng: new Rng(0) }),
      (e: unknown) => isBiaslabError(e, 'INVALID_CONFIG'),
    );
  }
  await assert.rejects(
    opt.step({ theta: Float64Array.of(1, 2), state: {}, eta: 0.1, step: 0, oracle, rng: new Rng(0) }),
    (e: unknown) => isBiaslabError(e, 'SHAPE'),
  );
});

// Exact checks of individual optimizers against hand computations on the fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError, parseOptions } from '@biaslab/core';
import type { Optimizer, OptimizerComponent, Oracle } from '@biaslab/core';
import {
  adamOptimizer,
  adamwOptimizer,
  asamOptimizer,
  gdOptimizer,
  labelNoiseGdOptimizer,
  momentumOptimizer,
  nesterovOptimizer,
  optimizersPlugin,
  rmspropOptimizer,
  samOptimizer,
} from './index';
import { QuadraticOracle, trajectory } from './fixtures';
import { LeastSquaresOracle, RosenbrockOracle } from './residual-oracle-fixtures';

function make(component: OptimizerComponent, raw: Record<string, unknown> = {}): Optimizer<any> {
  return component.create(parseOptions(component.options, raw, `optimizer/${component.name}`));
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string) {
  assert.equal(a.length, b.length, `${what}: lengths`);
  for (let i = 0; i < a.length; i++) {
    assert.ok(
      Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])),
      `${what}[${i}]: ${a[i]} vs ${b[i]}`,
    );
  }
}

test('every option of every optimizer has a description, and unknown options are refused', () => {
  for (const c of optimizersPlugin.components as OptimizerComponent[]) {
    const shape = (c.options as unknown as { shape: Record<string, { description?: string }> }).shape;
    for (const [key, field] of Object.entries(shape))
      assert.ok(field.description, `${c.name}.${key} has no .describe()`);
    assert.throws(
      () => parseOptions(c.options, { learningRate: 0.1 }, c.name),
      (e: unknown) => isBiaslabError(e, 'INVALID_OPTIONS'),
      `${c.name} accepted an unknown option`,
    );
  }
});

test('momentum with β = 0 equals gd bit for bit over 100 steps (quadratic and Rosenbrock)', async () => {
  const seed = 3;
  const { oracle } = LeastSquaresOracle.withHessianSpectrum(30, [0.2, 1, 5], new Rng(seed));
  for (const [o, theta0, eta] of [
    [oracle, new Rng(seed + 1).normals(3), 0.3],
    [new RosenbrockOracle(), Float64Array.of(-1.2, 1), 0.0015],
  ] as const) {
    const a = await trajectory(make(gdOptimizer), o, theta0, eta, 100);
    const b = await trajectory(make(momentumOptimizer, { momentum: 0 }), o, theta0, eta, 100);
    a.thetas.forEach((t, k) => assert.deepEqual(b.thetas[k], t, `step ${k} differs (seed ${seed})`));
  }
});

test('momentum follows θ⁺ = θ − η∇L(θ) + β(θ − θ⁻) (Polyak) on the quadratic', async () => {
  const rng = new Rng(11);
  const oracle = QuadraticOracle.withSpectrum([0.5, 2, 4], rng.fork('q'));
  const theta0 = rng.normals(3);
  const [eta, beta] = [0.2, 0.8];
  const { thetas } = await trajectory(make(momentumOptimizer, { momentum: beta }), oracle, theta0, eta, 20);
  let prev = theta0;
  let cur = theta0;
  for (let k = 0; k < 20; k++) {
    const g = oracle.gradAt(cur);
    const next = cur.map((t, i) => t - eta * g[i] + beta * (t - prev[i]));
    close(thetas[k], next, 1e-12, `step ${k}`);
    [prev, cur] = [cur, thetas[k]];
  }
});

test('nesterov is Sutskever et al.: v⁺ = μv − η∇L(θ + μv), θ⁺ = θ + v⁺', async () => {
  const rng = new Rng(12);
  const oracle = QuadraticOracle.withSpectrum([0.5, 2, 4], rng.fork('q'));
  const theta0 = rng.normals(3);
  const [eta, mu] = [0.15, 0.9];
  const { thetas } = await trajectory(make(nesterovOptimizer, { momentum: mu }), oracle, theta0, eta, 15);
  let theta = theta0;
  let v = new Float64Array(3);
  for (let k = 0; k < 15; k++) {
    const g = oracle.gradAt(theta.map((t, i) => t + mu * v[i]));
    v = v.map((vi, i) => mu * vi - eta * g[i]);
    theta = theta.map((t, i) => t + v[i]);
    close(thetas[k], theta, 1e-12, `step ${k}`);
  }
});

test("adam's first step is −η·sign(g) (bias correction), adamw adds −ηλθ, and the preconditioner reproduces the step", async () => {
  const rng = new Rng(13);
  const oracle = QuadraticOracle.withSpectrum([0.01, 1, 100], rng.fork('q'));
  const theta = rng.normals(3);
  const g = oracle.gradAt(theta);
  const eta = 0.03;
  const adam = make(adamOptimizer);
  const r = await adam.step({ theta, state: adam.init(theta), eta, step: 0, oracle, rng });
  close(
    r.theta,
    theta.map((t, i) => t - eta * Math.sign(g[i])),
    1e-9,
    'adam step 1',
  );
  const lambda = 0.1;
  const adamw = make(adamwOptimizer, { decoupledWeightDecay: lambda });
  const w = await adamw.step({ theta, state: adamw.init(theta), eta, step: 0, oracle, rng });
  close(
    w.theta,
    theta.map((t, i) => t - eta * (Math.sign(g[i]) + lambda * t)),
    1e-9,
    'adamw step 1',
  );
  assert.equal(adam.preconditioner!(adam.init(theta)), undefined, 'no preconditioner before the first step');
  // After any step t: θ_{t+1} − θ_t = −η P⁻¹(state_{t+1}) m_{t+1}.
  let [th, st] = [r.theta, r.state];
  for (let step = 1; step < 6; step++) {
    const next = await adam.step({ theta: th, state: st, eta, step, oracle, rng });
    const p = adam.preconditioner!(next.state)!;
    close(
      next.theta.map((t, i) => t - th[i]),
      next.state.mu.map((m: number, i: number) => -eta * p[i] * m),
      1e-12,
      `step ${step}`,
    );
    [th, st] = [next.theta, next.state];
  }
});

test('rmsprop matches a hand computation and its preconditioner reproduces the step', async () => {
  const oracle = new QuadraticOracle(Float64Array.of(2), Float64Array.of(0.5));
  const opt = make(rmspropOptimizer, { decay: 0.9, eps: 1e-8 });
  const eta = 0.01;
  let theta: Float64Array = Float64Array.of(2);
  let state = opt.init(theta);
  let v = 0;
  for (let step = 0; step < 5; step++) {
    const g = 2 * (theta[0] - 0.5);
    v = 0.9 * v + 0.1 * g * g;
    const expected = theta[0] - (eta * g) / (Math.sqrt(v) + 1e-8);
    const r = await opt.step({ theta, state, eta, step, oracle, rng: new Rng(0) });
    assert.ok(Math.abs(r.theta[0] - expected) < 1e-14, `step ${step}: ${r.theta[0]} vs ${expected}`);
    const p = opt.preconditioner!(r.state)![0];
    assert.ok(Math.abs(r.theta[0] - theta[0] + eta * p * g) < 1e-14, `preconditioner at step ${step}`);
    ({ theta, state } = r);
  }
});

test("SAM's and ASAM's steps equal the hand computation", async () => {
  const seed = 14;
  const rng = new Rng(seed);
  const oracle = QuadraticOracle.withSpectrum([0.3, 1, 6], rng.fork('q'));
  const theta = rng.normals(3);
  const [eta, rho, xi] = [0.1, 0.2, 0.01];
  const g = oracle.gradAt(theta);
  const norm = Math.hypot(...g);
  const gSam = oracle.gradAt(theta.map((t, i) => t + (rho * g[i]) / norm));
  const sam = make(samOptimizer, { rho });
  const r = await sam.step({ theta, state: sam.init(theta), eta, step: 0, oracle, rng });
  close(
    r.theta,
    theta.map((t, i) => t - eta * gSam[i]),
    1e-14,
    `SAM (seed ${seed})`,
  );
  assert.ok(Math.abs(r.loss! - oracle.lossAt(theta)) < 1e-15 && Math.abs(r.gradNorm! - norm) < 1e-14);

  const T = theta.map((t) => Math.abs(t) + xi);
  const tNorm = Math.hypot(...g.map((gi, i) => T[i] * gi));
  const gAsam = oracle.gradAt(theta.map((t, i) => t + (rho * T[i] * T[i] * g[i]) / tNorm));
  const asam = make(asamOptimizer, { rho, offset: xi });
  const a = await asam.step({ theta, state: asam.init(theta), eta, step: 0, oracle, rng });
  close(
    a.theta,
    theta.map((t, i) => t - eta * gAsam[i]),
    1e-14,
    `ASAM (seed ${seed})`,
  );
});

test('weight decay adds λθ to the gradient; clipping bounds the update norm by η·c', async () => {
  const rng = new Rng(15);
  const oracle = QuadraticOracle.withSpectrum([1, 3, 9], rng.fork('q'));
  const theta = rng.normals(3).map((x) => 10 * x);
  const g = oracle.gradAt(theta);
  const [eta, lambda, c] = [0.05, 0.3, 0.5];
  const wd = make(gdOptimizer, { weightDecay: lambda });
  const r = await wd.step({ theta, state: {}, eta, step: 0, oracle, rng });
  close(
    r.theta,
    theta.map((t, i) => t - eta * (g[i] + lambda * t)),
    1e-14,
    'gd + weight decay',
  );

  const norm = Math.hypot(...g);
  assert.ok(norm > c, 'the test needs a gradient larger than the clip');
  for (const component of [gdOptimizer, momentumOptimizer, samOptimizer]) {
    const opt = make(component, { clipNorm: c });
    const s = await opt.step({ theta, state: opt.init(theta), eta, step: 0, oracle, rng });
    const update = Math.hypot(...s.theta.map((t, i) => t - theta[i]));
    assert.ok(update <= eta * c * (1 + 1e-12), `${component.name}: ‖Δθ‖ = ${update} > η·c = ${eta * c}`);
  }
  const clipped = make(gdOptimizer, { clipNorm: c });
  const s = await clipped.step({ theta, state: {}, eta, step: 0, oracle, rng });
  close(
    s.theta,
    theta.map((t, i) => t - (eta * c * g[i]) / norm),
    1e-14,
    'gd clipped',
  );
  // Below the clip the update is unchanged.
  const loose = make(gdOptimizer, { clipNorm: 10 * norm });
  const u = await loose.step({ theta, state: {}, eta, step: 0, oracle, rng });
  assert.deepEqual(
    u.theta,
    (await make(gdOptimizer).step({ theta, state: {}, eta, step: 0, oracle, rng })).theta,
  );
});

test('label-noise-gd: σ = 0 is gd bit for bit; one step is θ − η(∇L − (1/n)Xᵀξ) with the seeded ξ; needs MSE targets', async () => {
  const seed = 16;
  const { oracle } = LeastSquaresOracle.withHessianSpectrum(12, [0.5, 1, 2], new Rng(seed));
  const theta0 = new Rng(seed + 1).normals(3);
  const a = await trajectory(make(gdOptimizer), oracle, theta0, 0.2, 50);
  const b = await trajectory(make(labelNoiseGdOptimizer, { sigma: 0 }), oracle, theta0, 0.2, 50);
  a.thetas.forEach((t, k) => assert.deepEqual(b.thetas[k], t, `σ = 0, step ${k}`));

  const [eta, sigma] = [0.2, 0.3];
  const opt = make(labelNoiseGdOptimizer, { sigma });
  const r = await opt.step({ theta: theta0, state: {}, eta, step: 0, oracle, rng: new Rng(seed) });
  const noiseRng = new Rng(seed);
  const xi = Array.from({ length: 12 }, () => sigma * noiseRng.normal());
  const g = (await oracle.grad(theta0)).grad;
  const expected = theta0.map((t, j) => {
    let xtXi = 0;
    for (let i = 0; i < 12; i++) xtXi += oracle.X[i * 3 + j] * xi[i];
    return t - eta * (g[j] - xtXi / 12);
  });
  close(r.theta, expected, 1e-13, `label-noise step (seed ${seed})`);
  assert.equal(r.loss, undefined, 'the noisy loss is not L(θ) and must not be reported');

  await assert.rejects(
    opt.step({
      theta: Float64Array.of(1),
      state: {},
      eta,
      step: 0,
      oracle: new QuadraticOracle(Float64Array.of(1), Float64Array.of(0)),
      rng: new Rng(0),
    }),
    (e: unknown) => isBiaslabError(e, 'INVALID_CONFIG') && /`oracle\.targets`/.test((e as Error).message),
  );
  const crossEntropy: Oracle = {
    size: oracle.size,
    loss: (t) => oracle.loss(t),
    grad: (t) => oracle.grad(t),
    hvp: (t, v) => oracle.hvp(t, v),
    targets: { ...oracle.targets, loss: 'cross-entropy' },
  };
  await assert.rejects(
    opt.step({ theta: theta0, state: {}, eta, step: 0, oracle: crossEntropy, rng: new Rng(0) }),
    (e: unknown) => isBiaslabError(e, 'INVALID_CONFIG') && /Use `loss: mse`/.test((e as Error).message),
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, parseOptions } from '@biaslab/core';
import { flowOptimizer } from './index';
import { QuadraticOracle } from './fixtures';
import { RosenbrockOracle } from './residual-oracle-fixtures';

const flowWith = (raw: Record<string, unknown>) =>
  flowOptimizer.create(parseOptions(flowOptimizer.options, raw, 'flow'));

test('flow follows the exact gradient flow θ(t) = θ* + Q e^{−Λt} Qᵀ(θ₀ − θ*) and reports its time', async () => {
  const seed = 41;
  const rng = new Rng(seed);
  const oracle = QuadraticOracle.withSpectrum([0.2, 1, 5], rng.fork('q'));
  const theta0 = rng.normals(3);
  for (const [c, tol] of [
    [0.5, 2e-5],
    [0.1, 1e-8],
  ] as const) {
    const opt = flowWith({ c });
    let theta = theta0;
    let state = opt.init(theta);
    for (let step = 0; step < 200; step++) {
      const r = await opt.step({ theta, state, eta: 1, step, oracle, rng });
      ({ theta, state } = r);
      // h = min(c/S, η), S ≈ λ_max = 5 by power iteration.
      assert.ok(Math.abs(state.sharpness - 5) < 1e-3 * 5, `S = ${state.sharpness} at step ${step}`);
      assert.ok(Math.abs(state.h - Math.min(c / state.sharpness, 1)) < 1e-15);
    }
    const exact = oracle.flowAt(theta0, state.time);
    const err = Math.hypot(...theta.map((t, i) => t - exact[i]));
    assert.ok(err < tol, `c = ${c}: ‖θ − θ_GF(${state.time})‖ = ${err} > ${tol} (seed ${seed})`);
  }
});

test('flow caps the step at η (h_max) where the curvature is low', async () => {
  const oracle = QuadraticOracle.withSpectrum([0.01, 0.02], new Rng(42));
  const opt = flowWith({});
  const theta = Float64Array.of(1, 1);
  const r = await opt.step({ theta, state: opt.init(theta), eta: 0.3, step: 0, oracle, rng: new Rng(0) });
  assert.equal(r.state.h, 0.3);
  assert.equal(r.state.time, 0.3);
});

test('flow on Rosenbrock matches a fine-step reference integration', async () => {
  const oracle = new RosenbrockOracle();
  const theta0 = Float64Array.of(-1.2, 1);
  const coarse = flowWith({});
  let theta: Float64Array = theta0;
  let state = coarse.init(theta);
  for (let step = 0; step < 300; step++)
    ({ theta, state } = await coarse.step({ theta, state, eta: 1, step, oracle, rng: new Rng(1) }));
  const T = state.time;
  // Reference: classical RK4 with a fixed step h = 5·10⁻⁵, 10× smaller than the flow's c/S ≈ 0.5/1000.
  const h = 5e-5;
  let ref = Float64Array.from(theta0);
  const f = async (x: Float64Array) => (await oracle.grad(x)).grad.map((g) => -g);
  for (let t = 0; t < T - 1e-15;) {
    const dt = Math.min(h, T - t);
    const k1 = await f(ref);
    const k2 = await f(ref.map((x, i) => x + (dt / 2) * k1[i]));
    const k3 = await f(ref.map((x, i) => x + (dt / 2) * k2[i]));
    const k4 = await f(ref.map((x, i) => x + dt * k3[i]));
    ref = ref.map((x, i) => x + (dt / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
    t += dt;
  }
  const err = Math.hypot(theta[0] - ref[0], theta[1] - ref[1]);
  assert.ok(
    err < 1e-5,
    `flow at t = ${T}: ${Array.from(theta)} vs reference ${Array.from(ref)} (err ${err})`,
  );
});

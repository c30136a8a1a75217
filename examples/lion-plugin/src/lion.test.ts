import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_VERSION, Registry, Rng, parseOptions } from '@biaslab/core';
import type { Oracle } from '@biaslab/core';
import plugin, { lionOptimizer } from './index';
import type { LionState } from './lion';

/** L(θ) = ½ Σ aᵢ θᵢ², an oracle with exact gradient and Hessian. */
function quadratic(a: readonly number[]): Oracle {
  const loss = (t: Float64Array) => 0.5 * t.reduce((s, x, i) => s + a[i] * x * x, 0);
  return {
    size: a.length,
    loss: async (t) => loss(t),
    grad: async (t) => ({ loss: loss(t), grad: t.map((x, i) => a[i] * x) }),
    hvp: async (_t, v) => v.map((x, i) => a[i] * x),
  };
}

const create = (raw: unknown) =>
  lionOptimizer.create(parseOptions(lionOptimizer.options, raw, 'optimizer/lion'));

test('the plugin is a valid biaslab plugin: the host registers optimizer/lion', () => {
  assert.equal(plugin.apiVersion, API_VERSION);
  const registry = new Registry().use(plugin);
  assert.equal(registry.get('optimizer', 'lion'), lionOptimizer);
  assert.deepEqual(parseOptions(lionOptimizer.options, {}, 'optimizer/lion'), {
    beta1: 0.9,
    beta2: 0.99,
    weightDecay: 0,
  });
  assert.throws(() => parseOptions(lionOptimizer.options, { beta1: 2 }, 'optimizer/lion'), /`beta1`/);
});

test('first step by hand: θ₀ = (1, −2, 0), A = diag(2, ½, 3), η = 0.01, λ = 0.1', async () => {
  // g = Aθ₀ = (2, −1, 0); m₀ = 0 so u = sign(0.1·g) = (1, −1, 0);
  // θ₁ = θ₀ − η(u + λθ₀) = (1 − 0.011, −2 + 0.012, 0) = (0.989, −1.988, 0); m₁ = 0.01·g = (0.02, −0.01, 0).
  const lion = create({ weightDecay: 0.1 });
  const theta = Float64Array.of(1, -2, 0);
  const state = lion.init(theta);
  const r = await lion.step({
    theta,
    state,
    eta: 0.01,
    step: 0,
    oracle: quadratic([2, 0.5, 3]),
    rng: new Rng(0),
  });
  assert.deepEqual(
    [...r.theta].map((x) => +x.toFixed(12)),
    [0.989, -1.988, 0],
  );
  assert.deepEqual(
    [...r.state.m].map((x) => +x.toFixed(12)),
    [0.02, -0.01, 0],
  );
  assert.equal(r.loss, 0.5 * (2 * 1 + 0.5 * 4));
  assert.equal(r.gradNorm, Math.sqrt(5));
  assert.deepEqual([...theta], [1, -2, 0], 'θ is not mutated');
  assert.deepEqual([...state.m], [0, 0, 0], 'the state is not mutated');
});

test('β₁ weighs the momentum: m = −3 overrides g = 1, so θ moves against the gradient', async () => {
  // β₁m + (1−β₁)g = 0.9·(−3) + 0.1·1 = −2.6 → u = −1 → θ₁ = 1 − 0.1·(−1) = 1.1; m₁ = 0.99·(−3) + 0.01·1 = −2.96.
  const lion = create({});
  const state: LionState = { m: Float64Array.of(-3) };
  const r = await lion.step({
    theta: Float64Array.of(1),
    state,
    eta: 0.1,
    step: 0,
    oracle: quadratic([1]),
    rng: new Rng(0),
  });
  assert.ok(Math.abs(r.theta[0] - 1.1) < 1e-15, `θ₁ = ${r.theta[0]}`);
  assert.ok(Math.abs(r.state.m[0] + 2.96) < 1e-15, `m₁ = ${r.state.m[0]}`);
});

test('converges on an ill-conditioned quadratic to within O(η) of the minimum', async () => {
  const a = [1, 10, 100];
  const oracle = quadratic(a);
  const lion = create({});
  let theta: Float64Array = Float64Array.of(1, -1, 0.5);
  let state = lion.init(theta);
  const eta = 1e-3;
  const initial = await oracle.loss(theta);
  for (let step = 0; step < 3000; step++) {
    ({ theta, state } = await lion.step({ theta, state, eta, step, oracle, rng: new Rng(0) }));
  }
  const final = await oracle.loss(theta);
  // Sign steps move each coordinate by η, so the iterate ends in a band of width O(η) around 0.
  for (const [i, x] of theta.entries()) assert.ok(Math.abs(x) < 5 * eta, `θ[${i}] = ${x} (η = ${eta})`);
  assert.ok(final < initial * 1e-3, `L: ${initial} → ${final}`);
});

test('decoupled weight decay shrinks θ where the gradient is zero', async () => {
  // L ≡ 0: g = 0, m stays 0, u = sign(0) = 0, so θ⁺ = (1 − ηλ)θ exactly.
  const flat: Oracle = {
    size: 2,
    loss: async () => 0,
    grad: async (t) => ({ loss: 0, grad: new Float64Array(t.length) }),
    hvp: async (_t, v) => v.map(() => 0),
  };
  const lion = create({ weightDecay: 0.5 });
  let theta: Float64Array = Float64Array.of(2, -4);
  let state = lion.init(theta);
  for (let step = 0; step < 10; step++)
    ({ theta, state } = await lion.step({ theta, state, eta: 0.1, step, oracle: flat, rng: new Rng(0) }));
  const factor = 0.95 ** 10;
  assert.ok(
    Math.abs(theta[0] - 2 * factor) < 1e-14 && Math.abs(theta[1] + 4 * factor) < 1e-14,
    `θ = ${[...theta]}`,
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradientFlow } from './gradient-flow';
import {
  onePointFlowLimit,
  onePointOracle,
  onePointSharpness,
  quadraticOracle,
} from './fixtures/one-point-network';

const x = [1, 0.2];
const y = 1;
const alpha = 0.1;

test('gradient flow reaches the closed-form limit β_GF,i = α² e^{c x_i} of the one-point shared network', async () => {
  const oracle = onePointOracle(x, y);
  const result = await gradientFlow({
    oracle,
    theta0: Float64Array.from(x, () => alpha),
    sharpness: onePointSharpness(oracle),
    settings: { epsilon: 1e-24 },
  });
  assert.equal(result.status, 'converged', result.reason);
  const beta = Array.from(result.theta, (w) => w * w);
  const expected = onePointFlowLimit(x, y, alpha);
  for (let i = 0; i < x.length; i++) {
    const rel = Math.abs(beta[i] - expected[i]) / expected[i];
    assert.ok(rel < 1e-6, `β[${i}] = ${beta[i]} vs closed form ${expected[i]} (relative error ${rel})`);
  }
  // At the interpolator the Hessian is rank one: S = 4 Σ x_i² β_i.
  const sEnd = 4 * x.reduce((s, xi, i) => s + xi * xi * expected[i], 0);
  assert.ok(Math.abs(result.sGF - sEnd) / sEnd < 1e-4, `s_GF ${result.sGF} vs S at the limit ${sEnd}`);
  assert.equal(result.etaC, 2 / result.sGF);
  // the final S is S at the limit too (this flow sharpens to the end), and never above the maximum
  assert.ok(Math.abs(result.sFinal - sEnd) / sEnd < 1e-6, `S at the end ${result.sFinal} vs ${sEnd}`);
  assert.ok(result.sFinal <= result.sGF);
  assert.equal(result.sFinal, result.series.at(-1)!.sharpness);
  assert.ok(result.tEps !== null && result.tEps > 0);
});

test('s_GF equals the sharpness maximum along an independent fine-step integration', async () => {
  const oracle = onePointOracle(x, y);
  const sharpness = onePointSharpness(oracle);
  const epsilon = 1e-8;
  const result = await gradientFlow({
    oracle,
    theta0: Float64Array.from(x, () => alpha),
    sharpness,
    settings: { epsilon },
  });
  assert.equal(result.status, 'converged');

  // Independent reference: explicit Euler with a tiny fixed step, S evaluated at every point.
  let w = Float64Array.from(x, () => alpha);
  let sMax = await sharpness(w);
  const h = 1e-4;
  for (let k = 0; k < 1e7; k++) {
    const { loss, grad } = await oracle.grad(w);
    if (loss < epsilon) break;
    w = Float64Array.from(w, (wi, i) => wi - h * grad[i]);
    sMax = Math.max(sMax, await sharpness(w));
  }
  const rel = Math.abs(result.sGF - sMax) / sMax;
  assert.ok(rel < 1e-3, `s_GF ${result.sGF} vs fine-step maximum ${sMax} (relative ${rel})`);
});

test('gradient flow on a quadratic follows θ(t) = e^{−λt} θ₀ and labels a step cap', async () => {
  const lambda = [3, 0.5];
  const oracle = quadraticOracle(lambda);
  const theta0 = Float64Array.from([1, -2]);
  const result = await gradientFlow({
    oracle,
    theta0,
    sharpness: async () => 3,
    settings: { epsilon: 1e-10, hMax: 0.01 },
  });
  assert.equal(result.status, 'converged');
  for (let i = 0; i < 2; i++) {
    const exact = Math.exp(-lambda[i] * result.series.at(-1)!.t) * theta0[i];
    assert.ok(Math.abs(result.theta[i] - exact) < 1e-9, `θ[${i}] = ${result.theta[i]} vs ${exact}`);
  }
  assert.equal(result.sGF, 3);
  const capped = await gradientFlow({ oracle, theta0, sharpness: async () => 3, settings: { maxSteps: 5 } });
  assert.equal(capped.status, 'capped');
  assert.equal(capped.tEps, null);
  assert.equal(capped.steps, 5);
});

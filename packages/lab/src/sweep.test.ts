import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweep } from './sweep';
import { gradientFlow } from './gradient-flow';
import { fakeGd, onePointOracle, onePointSharpness } from './fixtures/one-point-network';

const x = [1, 0.2];
const y = 1;

test('one-point network: flow-aligned below η_c, Edge of Stability above, divergence labelled and passed', async () => {
  const oracle = onePointOracle(x, y);
  const sharpness = onePointSharpness(oracle);
  const theta0 = Float64Array.from([0.1, 0.1]);
  const flow = await gradientFlow({ oracle, theta0, sharpness });
  // s_GF ≈ 4 Σ x_i² β_GF,i ≈ 3.98, η_c ≈ 0.502 (docs/science.md).
  assert.ok(Math.abs(flow.etaC - 0.502) < 0.01, `η_c = ${flow.etaC}`);
  const etas = [0.1, 0.2, 0.4, 2.6, 0.6, 0.7, 0.8];
  const ended: number[] = [];
  const result = await sweep({
    oracle,
    createOptimizer: () => fakeGd,
    theta0,
    etas,
    stop: { epsilon: 1e-8, patience: 300, maxSteps: 20_000 },
    every: 0,
    seed: 0,
    createMetrics: () => ({ evaluate: async (theta) => ({ sharpness: await sharpness(theta) }) }),
    summaryKeys: { sharpness: 'sharpness' },
    predictor: (w) => Float64Array.from(w, (v) => v * v),
    onRunEnd: (row) => ended.push(row.index),
  });
  assert.deepEqual(ended, [0, 1, 2, 3, 4, 5, 6], 'every η ran, in order, despite the diverged one');
  assert.deepEqual(Array.from(theta0), [0.1, 0.1], 'θ₀ shared and untouched');
  const byEta = new Map(result.rows.map((r) => [r.eta, r]));
  assert.equal(byEta.get(2.6)!.status, 'diverged');
  for (const eta of [0.1, 0.2, 0.4]) {
    const r = byEta.get(eta)!;
    assert.equal(r.status, 'converged');
    assert.ok(
      Math.abs(r.sharpness! - flow.sGF) / flow.sGF < 0.01,
      `η=${eta}: S=${r.sharpness} vs s_GF=${flow.sGF}`,
    );
  }
  let previous = 0;
  for (const eta of [0.6, 0.7, 0.8]) {
    const r = byEta.get(eta)!;
    assert.equal(r.status, 'converged', r.reason);
    assert.ok(
      r.sharpnessEtaOver2! > 0.9 && r.sharpnessEtaOver2! <= 1,
      `η=${eta}: S·η/2 = ${r.sharpnessEtaOver2}`,
    );
    assert.ok(r.betaL1! > previous, `‖β‖₁ rises with η above η_c (η=${eta}: ${r.betaL1})`);
    previous = r.betaL1!;
  }
  assert.equal(result.divergence, 1e6);
});

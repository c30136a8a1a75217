import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, isBiaslabError } from '@biaslab/core';
import {
  onePointEdgeOfStabilityInterpolator,
  onePointInterpolatorSharpness,
  onePointMinL1Interpolator,
  onePointMinSharpnessInterpolator,
  onePointPredictedLimit,
  onePointStabilityEdge,
  onePointStableSegment,
  onePointTradeOff,
} from './one-point-interpolators';
import { l1Norm } from '@biaslab/linalg';
import { onePointFlowLimit, onePointSharpness } from './one-point-flow';
import { onePointFlowSharpness } from './one-point-critical-rate';

/** Random points of the simplex {β ≥ 0 : ⟨x, β⟩ = y}. */
function randomInterpolator(rng: Rng, x: number[], y: number): Float64Array {
  const e = x.map(() => -Math.log(1 - rng.uniform()));
  const s = e.reduce((acc, ei, i) => acc + ei * x[i], 0);
  return Float64Array.from(e, (ei) => (ei * y) / s);
}

test('at an interpolator the dense Hessian sharpness is 4Σx_i²β_i (rank one)', () => {
  const rng = new Rng(3);
  const x = [0.7, 1.3, 0.2, 2];
  for (let k = 0; k < 20; k++) {
    const beta = randomInterpolator(rng, x, 1.5);
    const w = Float64Array.from(beta, Math.sqrt);
    const s = onePointSharpness(x, 1.5, w);
    assert.ok(Math.abs(s - onePointInterpolatorSharpness(x, beta)) < 1e-12 * s, `seed 3, sample ${k}`);
  }
});

test('min-ℓ1 and min-sharpness interpolators beat random search over the simplex, at opposite vertices', () => {
  const seed = 8;
  const rng = new Rng(seed);
  for (const [x, y] of [
    [[1, 0.2], 1],
    [[0.7, 1.3, 0.2, 2], 1.5],
    [[1, -0.5, 0.3], 0.6],
    [[1, -0.5, -2], -1],
  ] as [number[], number][]) {
    const l1 = onePointMinL1Interpolator(x, y);
    const sharp = onePointMinSharpnessInterpolator(x, y);
    const same = x.map((xi) => (xi * y > 0 ? Math.abs(xi) : NaN)).filter((v) => !Number.isNaN(v));
    assert.equal(Math.abs(x[l1.index]), Math.max(...same));
    assert.equal(Math.abs(x[sharp.index]), Math.min(...same));
    const xs = x.map((xi, i) => (xi * y > 0 ? xi : 0));
    let bestL1 = Infinity;
    let bestS = Infinity;
    for (let k = 0; k < 4000; k++) {
      // random points of {β ≥ 0 : ⟨x,β⟩ = y} with wrong-sign coordinates pushed up by the others
      const beta = randomInterpolator(
        rng,
        xs.map((v) => (v === 0 ? 1 : v)),
        y,
      );
      const extra = x.map((xi, i) => (xs[i] === 0 ? rng.uniform() * 0.3 : 0));
      const shift = extra.reduce((acc, e, i) => acc + e * x[i], 0);
      const scale = (y - shift) / xs.reduce((acc, v, i) => acc + v * beta[i], 0);
      if (!(scale > 0)) continue;
      const b = Float64Array.from(beta, (v, i) => (xs[i] === 0 ? extra[i] : v * scale));
      const fit = b.reduce((acc, v, i) => acc + v * x[i], 0);
      assert.ok(Math.abs(fit - y) < 1e-12);
      bestL1 = Math.min(bestL1, l1Norm(b));
      bestS = Math.min(bestS, onePointInterpolatorSharpness(x, b));
    }
    assert.ok(l1.l1 <= bestL1 + 1e-12, `x=${x} seed ${seed}: min-ℓ1 ${l1.l1} vs search ${bestL1}`);
    assert.ok(
      sharp.sharpness <= bestS + 1e-12,
      `x=${x} seed ${seed}: min-S ${sharp.sharpness} vs search ${bestS}`,
    );
    assert.ok(Math.abs(onePointInterpolatorSharpness(x, sharp.beta) - sharp.sharpness) < 1e-12);
  }
});

test('d = 2 trade-off line S = 4[y(x₁+x₂) − x₁x₂‖β‖₁] along the zero-loss segment', () => {
  const rng = new Rng(21);
  const x = [1, 0.2];
  for (let k = 0; k < 50; k++) {
    const beta = randomInterpolator(rng, x, 1);
    const line = onePointTradeOff(x, 1, l1Norm(beta));
    assert.ok(
      Math.abs(line.sharpness - onePointInterpolatorSharpness(x, beta)) < 1e-12,
      `seed 21, sample ${k}`,
    );
    assert.ok(Math.abs(line.beta[0] - beta[0]) < 1e-12 && Math.abs(line.beta[1] - beta[1]) < 1e-12);
  }
  assert.throws(
    () => onePointTradeOff(x, 1, 0.5),
    (e) => isBiaslabError(e, 'INVALID_OPTIONS'),
  );
});

test('stability edge, stable segment and the S = 2/η interpolator', () => {
  const x = [1, 0.2];
  assert.equal(onePointStabilityEdge(x, 1), 2.5);
  for (const eta of [0.5, 0.6, 1, 2, 2.5]) {
    const beta = onePointEdgeOfStabilityInterpolator(x, 1, eta);
    assert.ok(Math.abs(onePointInterpolatorSharpness(x, beta) - 2 / eta) < 1e-12, `η=${eta}`);
    assert.ok(Math.abs(beta[0] + 0.2 * beta[1] - 1) < 1e-12 && beta[0] >= 0 && beta[1] >= 0);
    const seg = onePointStableSegment(x, 1, eta)!;
    assert.ok(Math.abs(seg.l1[0] - l1Norm(beta)) < 1e-12 && seg.l1[1] === 5);
    // every point beyond the start is stable, every point before it is not
    for (const f of [0.25, 0.75]) {
      const inside = onePointTradeOff(x, 1, seg.l1[0] + f * (seg.l1[1] - seg.l1[0]));
      assert.ok(inside.sharpness <= 2 / eta + 1e-12);
      if (seg.l1[0] > 1) {
        const outside = onePointTradeOff(x, 1, 1 + f * (seg.l1[0] - 1));
        assert.ok(outside.sharpness > 2 / eta);
      }
    }
  }
  assert.deepEqual(
    onePointStableSegment(x, 1, 0.3)!.l1,
    [1, 5],
    'below 2/S_max every interpolator is stable',
  );
  assert.equal(onePointStableSegment(x, 1, 2.6), null);
  assert.throws(
    () => onePointEdgeOfStabilityInterpolator(x, 1, 0.1),
    (e) => isBiaslabError(e, 'INVALID_OPTIONS'),
  );
});

test('predicted GD limit: flow-aligned below η_c, S = 2/η above, none beyond η_max', () => {
  const p = { x: [1, 0.2], y: 1, alpha: 0.1 };
  const { etaC } = onePointFlowSharpness(p);
  const gf = onePointFlowLimit(p);
  const below = onePointPredictedLimit(p, 0.9 * etaC);
  assert.equal(below.regime, 'flow-aligned');
  assert.deepEqual(below.beta, gf.beta);
  const at = onePointPredictedLimit(p, etaC * (1 + 1e-12));
  assert.equal(at.regime, 'edge-of-stability');
  assert.ok(Math.abs(l1Norm(at.beta!) - gf.l1) < 1e-8, 'continuous at η_c');
  const above = onePointPredictedLimit(p, 0.8);
  assert.ok(Math.abs(above.sharpness! - 2 / 0.8) < 1e-12);
  assert.ok(l1Norm(above.beta!) > gf.l1);
  assert.equal(onePointPredictedLimit(p, 3).regime, 'unstable');
  assert.throws(
    () => onePointPredictedLimit({ x: [1, 0.2, 0.5], y: 1, alpha: 0.1 }, 1),
    (e) => isBiaslabError(e, 'SHAPE'),
  );
});

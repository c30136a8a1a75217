import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { experimentSchema } from '@biaslab/lab';
import type { ExperimentManifest } from '@biaslab/results';
import {
  DEFAULT_BREAK_POINT_RULE,
  breakPointFinder,
  breakPointRuleOf,
  observedBreakPoint,
} from './break-point';

type Run = { eta: number; status: string; sharpness: number | null };

/** A manifest recording `breakPoint` as the lab's experiment schema resolves it (defaults filled in). */
function recorded(breakPoint: unknown): ExperimentManifest {
  const rule = experimentSchema.shape.breakPoint.parse(breakPoint);
  return {
    biaslab: 'experiment',
    mode: 'sweep',
    config: {
      model: { name: 'dln', options: {} },
      dataset: { name: 'one-point', options: {} },
      optimizer: { name: 'gd', options: {} },
      loss: 'mse',
      dtype: 'float64',
      seed: 0,
      stop: { epsilon: 1e-8, patience: 5, maxSteps: 100 },
      breakPoint: rule,
    },
    learningRates: [0.1],
    points: [{ index: 0, label: '', grid: {}, seed: 0, flow: 'flow' }],
    seeds: [0],
    seed: 0,
    dtype: 'float64',
    loss: 'mse',
    lossNormalisation: 'L(θ) = (1/n) Σᵢ ½‖f(xᵢ) − yᵢ‖²',
    breakPointRule: 'test',
    machine: { node: 'v20', platform: 'linux', release: '6', arch: 'x64', cpu: 'test', cpus: 2, memoryGiB: 8 },
    workers: 1,
    versions: {},
    status: 'finished',
    startedAt: '2026-01-01T00:00:00.000Z',
  };
}

/** Synthetic sweep: S = s_GF = 4 below η_c = 0.5, S = k·2/η above; η = 3 diverged. */
function sweep(k: number): Run[] {
  const sGF = 4;
  return [0.1, 0.2, 0.3, 0.38, 0.55, 0.7, 0.9, 3].map((eta) => ({
    eta,
    status: eta > 1 ? 'diverged' : 'converged',
    sharpness: eta > 1 ? 1e9 : eta > 0.5 ? (k * 2) / eta : sGF * (1 + 0.001 * eta),
  }));
}

describe('observedBreakPoint', () => {
  it('smallest converged η with S·η/2 > 0.8 and S < 0.95·s_GF', () => {
    assert.deepEqual(observedBreakPoint(sweep(0.97), 4), { breakEta: 0.55, lastAligned: 0.38 });
    // With S·η/2 = 0.7 above η_c the sharpness dropped but never reached 2/η: no break.
    assert.deepEqual(observedBreakPoint(sweep(0.7), 4, { stability: 0.8, drop: 0.05 }), {
      breakEta: null,
      lastAligned: 0.9,
    });
    // Just below η_c a flow-aligned run has S·η/2 ≈ 0.9 without any drop: not a break.
    const nearEtaC: Run[] = [
      { ...sweep(0.97)[0], eta: 0.45, sharpness: 4 },
      { ...sweep(0.97)[0], eta: 0.55, sharpness: 3.5 },
    ];
    assert.deepEqual(observedBreakPoint(nearEtaC, 4), { breakEta: 0.55, lastAligned: 0.45 });
    assert.deepEqual(observedBreakPoint(sweep(0.7), null), { breakEta: null, lastAligned: 0.9 });
  });

  it('against the flow’s final S: a run flatter than the peak but at the final S is aligned', () => {
    // η = 0.4 ends at S = 4 (the flow's final S) with S·η/2 = 0.8 + 0.004: flatter than 0.95·s_GF = 5.7 but
    // not than 0.95·4 = 3.8, so it breaks only against the peak; η = 0.6 at S = 3 breaks against both.
    const runs: Run[] = [
      { eta: 0.2, status: 'converged', sharpness: 4 },
      { eta: 0.402, status: 'converged', sharpness: 4 },
      { eta: 0.6, status: 'converged', sharpness: 3 },
    ];
    assert.deepEqual(observedBreakPoint(runs, 6), { breakEta: 0.402, lastAligned: 0.2 });
    assert.deepEqual(observedBreakPoint(runs, 4), { breakEta: 0.6, lastAligned: 0.402 });
  });
});

describe('the recorded rule', () => {
  it('defaults are the experiment schema’s: S·η/2 > 0.8 and a 5% drop', () => {
    assert.deepEqual(DEFAULT_BREAK_POINT_RULE, { stability: 0.8, drop: 0.05 });
  });

  it('reads a manifest’s `config.breakPoint`, with what the configuration left out filled in', () => {
    assert.deepEqual(breakPointRuleOf(recorded({ stability: 0.9 })), {
      stability: 0.9,
      drop: 0.05,
    });
    assert.deepEqual(breakPointRuleOf(recorded(undefined)), DEFAULT_BREAK_POINT_RULE);
  });

  it('the report’s finder applies the recorded thresholds and says them', () => {
    // With stability 0.99 the run at η = 0.55 (S·η/2 = 0.97) no longer counts; nothing else reaches 0.99.
    const manifest = recorded({ stability: 0.99, drop: 0.05 });
    assert.deepEqual(breakPointFinder.find(sweep(0.97), 4, manifest), {
      breakEta: null,
      lastAligned: 0.9,
    });
    assert.match(breakPointFinder.describe(manifest), /S·η\/2 > 0\.99 and S < \(1 − 0\.05\)·S_flow/);
  });
});

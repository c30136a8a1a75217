import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { widthSpreads } from './width-mup';

/** Runs of one width: flow-aligned S = `plateau` below η_c = 2/plateau, pinned at 1.02·2/η above it. */
function widthRuns(plateau: number, etas: readonly number[]) {
  return etas.map((eta) => ({
    eta,
    status: eta > 1 ? 'diverged' : 'converged',
    sharpness: eta < 2 / plateau ? plateau : (1.02 * 2) / eta,
  }));
}

describe('widthSpreads', () => {
  const etas = [0.01, 0.02, 0.05, 0.2, 0.5, 2];

  it('max/min S over widths per η, aligned only where every width is below the EoS band', () => {
    // Plateaus 10, 20, 40 (η_c = 0.2, 0.1, 0.05): standard-like width dependence.
    const spreads = widthSpreads([widthRuns(10, etas), widthRuns(20, etas), widthRuns(40, etas)]);
    // η = 2 diverged for every width: left out. Spreads computed by hand from the plateaus and 2.04/η.
    const expected = [
      { eta: 0.01, spread: 4, aligned: true }, // 40/10; S·η/2 ≤ 0.2
      { eta: 0.02, spread: 4, aligned: true }, // 40/10; S·η/2 ≤ 0.4
      { eta: 0.05, spread: 40.8 / 10, aligned: false }, // width 40 pinned at 2.04/0.05 = 40.8 (S·η/2 = 1.02)
      { eta: 0.2, spread: 1, aligned: false }, // η = η_c of width 10: every width pinned at 10.2
      { eta: 0.5, spread: 1, aligned: false }, // all pinned at 4.08
    ];
    assert.equal(spreads.length, expected.length, JSON.stringify(spreads));
    spreads.forEach((s, i) => {
      assert.equal(s.eta, expected[i].eta);
      assert.equal(s.aligned, expected[i].aligned, `η = ${s.eta}`);
      assert.ok(Math.abs(s.spread - expected[i].spread) < 1e-12, `η = ${s.eta}: ${s.spread}`);
    });
  });

  it('an η where one width did not converge is left out (no spread over a subset of widths)', () => {
    const capped = widthRuns(20, etas).map((r) => (r.eta === 0.01 ? { ...r, status: 'capped' } : r));
    const spreads = widthSpreads([widthRuns(10, etas), capped]);
    assert.deepEqual(
      spreads.map((s) => s.eta),
      [0.02, 0.05, 0.2, 0.5],
    );
  });
});

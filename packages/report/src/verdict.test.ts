import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { verdict } from './verdict';
import { observedBreakPoint, regimeVerdicts } from './regimes';
import type { SweepPoint } from './sweep-point';

describe('verdict', () => {
  const band = (r: { s: number }) => r.s >= 0.8 && r.s <= 1.1;
  it('passes when every row satisfies the predicate', () => {
    const v = verdict(
      'final S·η/2 within [0.8, 1.1] for all η > η_c',
      [0.9, 1, 1.05].map((s) => ({ s })),
      band,
    );
    assert.deepEqual([v.pass, v.count, v.total], [true, 3, 3]);
    assert.equal(v.text, 'final S·η/2 within [0.8, 1.1] for all η > η_c: yes, 3/3');
  });
  it('fails and names the failing rows otherwise', () => {
    const v = verdict(
      'in band',
      [0.9, 1.3, 0.5].map((s) => ({ s })),
      band,
      (r) => `s = ${r.s}`,
    );
    assert.deepEqual([v.pass, v.count, v.total, v.text], [false, 1, 3, 'in band: no, 1/3']);
    assert.equal(v.detail, 'fails at s = 1.3, s = 0.5');
  });
  it('does not pass on no rows', () => {
    const v = verdict('in band', [], band);
    assert.deepEqual([v.pass, v.total, v.text], [false, 0, 'in band: not tested, no rows']);
  });
});

/** Synthetic sweep: S = s_GF below η_c, S = k·2/η above; ‖θ‖₁ flat then rising. */
function sweep(k: number, l1Slope: number): SweepPoint[] {
  const sGF = 4;
  return [0.1, 0.2, 0.3, 0.38, 0.55, 0.7, 0.9, 3].map((eta) => {
    const eos = eta > 0.5;
    return {
      eta,
      status: eta > 1 ? 'diverged' : 'converged',
      sharpness: eta > 1 ? 1e9 : eos ? (k * 2) / eta : sGF * (1 + 0.001 * eta),
      thetaL1: eos ? 1.2 + l1Slope * eta : 1.2,
      betaL1: eos ? 1 + l1Slope * eta : 1,
    };
  });
}

describe('regime verdicts', () => {
  it('observed break point: smallest converged η with S·η/2 > 0.8 and S < 0.95·s_GF', () => {
    assert.deepEqual(observedBreakPoint(sweep(0.97, 1), 4), { breakEta: 0.55, lastAligned: 0.38 });
    // With S·η/2 = 0.7 above η_c the sharpness dropped but never reached 2/η: no break.
    assert.deepEqual(observedBreakPoint(sweep(0.7, 1), 4, { stability: 0.8, drop: 0.05 }), {
      breakEta: null,
      lastAligned: 0.9,
    });
    // Just below η_c a flow-aligned run has S·η/2 ≈ 0.9 without any drop: not a break.
    const nearEtaC: SweepPoint[] = [
      { ...sweep(0.97, 1)[0], eta: 0.45, sharpness: 4 },
      { ...sweep(0.97, 1)[0], eta: 0.55, sharpness: 3.5 },
    ];
    assert.deepEqual(observedBreakPoint(nearEtaC, 4), { breakEta: 0.55, lastAligned: 0.45 });
    assert.deepEqual(observedBreakPoint(sweep(0.7, 1), null), { breakEta: null, lastAligned: 0.9 });
  });

  it('all claims hold on a sweep with the paper’s shape', () => {
    const vs = regimeVerdicts(sweep(0.97, 1), { etaC: 0.5, sGF: 4, flowThetaL1: 1.2, breakEta: 0.55 });
    assert.deepEqual(
      vs.map((v) => [v.pass, v.count, v.total]),
      [
        [true, 4, 4],
        [true, 4, 4],
        [true, 3, 3],
        [true, 2, 2],
        [true, 2, 2],
        [true, 1, 1],
      ],
      vs.map((v) => v.text).join('\n'),
    );
    assert.equal(vs[2].text, 'final S·η/2 within [0.8, 1.1] for converged η > η_c: yes, 3/3');
  });

  it('each claim fails when its data break it', () => {
    const vs = regimeVerdicts(sweep(1.2, -1), { etaC: 0.5, sGF: 4.5, flowThetaL1: 1.0, breakEta: 0.7 });
    assert.deepEqual(
      vs.map((v) => v.pass),
      [false, false, false, false, false, false],
      vs.map((v) => v.text).join('\n'),
    );
    assert.equal(vs[0].count, 0, 'S = 4 is 11% below s_GF = 4.5');
    assert.match(vs[5].detail!, /1\.4 × η_c/);
  });

  it('claims without a flow reference are not tested', () => {
    const vs = regimeVerdicts(sweep(0.97, 1), { etaC: null, sGF: null, breakEta: null });
    assert.ok(
      vs.every((v) => !v.pass && v.total === 0),
      vs.map((v) => v.text).join('\n'),
    );
  });
});

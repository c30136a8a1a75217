import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { verdict } from './verdict';
import { flowFinalSharpness, regimeVerdicts } from './regimes';
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

  // A cross-entropy-like flow: S rises to a peak s_GF = 6 mid-path, then falls to 4 at t_ε (logits grow).
  // Flow-aligned runs end at ≈ 4, so they are compared with the flow's final S, not with the peak.
  const peaked = [
    { type: 'flow', t: 0, sharpness: 1 },
    { type: 'flow', t: 1, sharpness: 6 },
    { type: 'flow', t: 2 },
    { type: 'flow', t: 3, sharpness: -4 },
    { type: 'flow', t: 4, loss: 0.01 },
  ];

  it('flowFinalSharpness: |S| of the last path row that has one (rows without S skipped), null without any', () => {
    assert.equal(flowFinalSharpness(peaked), 4);
    assert.equal(flowFinalSharpness([{ t: 0 }, { t: 1, sharpness: Number.NaN }]), null);
    assert.equal(flowFinalSharpness([]), null);
  });

  it('flow-aligned runs are compared with the flow’s final S when it is given, and the label says so', () => {
    // S = 4·(1 + 0.001η) below η_c = 2/6: within 0.1% of the final S 4, 33% below the peak s_GF = 6.
    const runs = sweep(0.97, 1).filter((p) => p.eta < 0.5 || p.eta > 1);
    const ref = { etaC: 2 / 6, sGF: 6, breakEta: null };
    const byPeak = regimeVerdicts(runs, ref)[0];
    const byFinal = regimeVerdicts(runs, { ...ref, flowFinalS: flowFinalSharpness(peaked) })[0];
    assert.deepEqual([byPeak.pass, byPeak.count, byPeak.total], [false, 0, 3], byPeak.text);
    assert.deepEqual([byFinal.pass, byFinal.count, byFinal.total], [true, 3, 3], byFinal.text);
    assert.match(byFinal.label, /the flow's final S\(θ_GF\(t_ε\)\) = 4 \(s_GF = 6 sets η_c\)/);
    assert.match(byPeak.label, /of s_GF = 6 for/);
    // A run 10% below the final S fails against it (independent check of the 3% band).
    const off = regimeVerdicts([{ eta: 0.1, status: 'converged', sharpness: 3.6 }], {
      ...ref,
      flowFinalS: 4,
    })[0];
    assert.deepEqual([off.pass, off.count, off.total], [false, 0, 1], off.text);
  });
});

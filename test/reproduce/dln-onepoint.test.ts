// The one-point diagonal-network reproduction, run from @biaslab/reproductions at its small default, then
// checked from its experiment directory against the paper's claims and the closed forms of @biaslab/theory.
// Every expectation is computed here from the data; the reproduction's own verdicts are checked to agree. The
// last test reruns it through `biaslab reproduce` and `biaslab report`: the CLI wires the same package.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readExperimentDir } from '@biaslab/report';
import type { ExperimentData, ExperimentRun } from '@biaslab/report';
import {
  onePointFlowSharpness,
  onePointMinL1Interpolator,
  onePointMinSharpnessInterpolator,
  onePointPathBeta,
  onePointPathCoordinateAtLoss,
  onePointSharpness,
} from '@biaslab/theory';
import { ONE_POINT, runReproduction } from '@biaslab/reproductions';
import { cli, tempDir } from '../cli/harness';
import { builtInRegistry } from './plugins';

const problem = { x: ONE_POINT.x, y: ONE_POINT.y, alpha: ONE_POINT.alpha };
const square = (w: readonly number[]) => w.map((v) => v * v);
const error = (beta: ArrayLike<number>) => ONE_POINT.betaStar.reduce((s, b, i) => s + (beta[i] - b) ** 2, 0);
const theta = (run: ExperimentRun) => run.final.theta as number[];

describe('reproduce dln-onepoint (small default, float64)', () => {
  let dir: string;
  let data: ExperimentData;
  let lines: readonly string[];
  let converged: ExperimentRun[];
  let sGF: number;
  let etaC: number;

  before(async () => {
    dir = tempDir();
    const result = await runReproduction('dln-onepoint', { registry: builtInRegistry(), out: dir });
    lines = result.lines;
    data = readExperimentDir(join(dir, 'dln-onepoint', 'sweep'));
    const point = data.points[0];
    converged = point.runs.filter((r) => r.status === 'converged').sort((a, b) => a.eta - b.eta);
    sGF = point.flow!.sGF!;
    etaC = point.flow!.etaC!;
  });

  test('flow-aligned regime: final S and ‖θ‖₁ below η_c within 3% of the gradient-flow values', () => {
    const below = converged.filter((r) => r.eta < etaC);
    assert.ok(below.length >= 5, `expected ≥ 5 converged runs below η_c = ${etaC}, found ${below.length}`);
    const flowL1 = data.points[0].flow!.final.thetaL1 as number;
    for (const r of below) {
      assert.ok(
        Math.abs(r.sharpness! - sGF) <= 0.03 * sGF,
        `η = ${r.eta}: S = ${r.sharpness}, s_GF = ${sGF}`,
      );
      assert.ok(
        Math.abs(r.thetaL1! - flowL1) <= 0.03 * flowL1,
        `η = ${r.eta}: ‖θ‖₁ = ${r.thetaL1}, flow ${flowL1}`,
      );
    }
  });

  test('EoS regime: S·η/2 ∈ [0.8, 1.1] above η_c, and ‖θ‖₁ and ‖β‖₁ increasing in η', () => {
    const above = converged.filter((r) => r.eta > etaC);
    assert.ok(above.length >= 3, `expected ≥ 3 converged runs above η_c = ${etaC}, found ${above.length}`);
    for (const r of above) {
      const stability = (r.sharpness! * r.eta) / 2;
      assert.ok(stability >= 0.8 && stability <= 1.1, `η = ${r.eta}: S·η/2 = ${stability}`);
    }
    for (let i = 1; i < above.length; i++) {
      assert.ok(above[i].thetaL1! > above[i - 1].thetaL1!, `‖θ‖₁ not increasing at η = ${above[i].eta}`);
      assert.ok(above[i].betaL1! > above[i - 1].betaL1!, `‖β‖₁ not increasing at η = ${above[i].eta}`);
    }
  });

  test('predicted η_c = 2/s_GF within 15% of the observed break point', () => {
    // Observed break: the first converged η whose final S left the flow's value by more than 5%.
    const brk = converged.find((r) => Math.abs(r.sharpness! - sGF) > 0.05 * sGF);
    assert.ok(brk, 'no converged run left the flow-aligned regime');
    assert.ok(Math.abs(brk.eta / etaC - 1) <= 0.15, `break ${brk.eta} vs η_c ${etaC}`);
  });

  test('theory and float64 computation agree to 1e-6 where the theory is exact', () => {
    const flow = data.points[0].flow!;
    const loss = flow.final.loss as number;
    // RK4 flow (lab) vs the closed-form path β_i = α² e^{c xᵢ} at the same loss.
    const closed = onePointPathBeta(problem, onePointPathCoordinateAtLoss(problem, loss));
    const beta = square(flow.final.theta as number[]);
    const gap = Math.hypot(...beta.map((b, i) => b - closed[i])) / Math.hypot(...closed);
    assert.ok(gap < 1e-6, `flow β vs closed form: relative gap ${gap}`);
    const theory = onePointFlowSharpness(problem, { epsilon: loss });
    assert.ok(Math.abs(sGF / theory.sGF - 1) < 1e-6, `s_GF lab ${sGF} vs closed form ${theory.sGF}`);
    // Measured sharpness at every GD limit vs the exact spectrum of 4(x⊙w)(x⊙w)ᵀ + 2r·diag(x).
    for (const r of converged) {
      const exact = Math.abs(onePointSharpness(problem.x, problem.y, theta(r)));
      assert.ok(
        Math.abs(r.sharpness! / exact - 1) < 1e-6,
        `η = ${r.eta}: S = ${r.sharpness}, exact ${exact}`,
      );
    }
  });

  test('error ‖β − β*‖² is U-shaped in η with its minimum at neither end, and beats both extreme interpolators', () => {
    const errors = converged.map((r) => error(square(theta(r))));
    const best = errors.indexOf(Math.min(...errors));
    assert.ok(
      best > 0 && best < errors.length - 1,
      `minimum at position ${best} of ${errors.length}: ${errors}`,
    );
    const minL1 = error(onePointMinL1Interpolator(problem.x, problem.y).beta);
    const minS = error(onePointMinSharpnessInterpolator(problem.x, problem.y).beta);
    assert.ok(
      errors[best] < minL1 && errors[best] < minS,
      `best ${errors[best]}, min-ℓ1 ${minL1}, min-S ${minS}`,
    );
  });

  test('the report exists with figures, and every verdict the reproduction computed holds', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.ok(html.includes('<svg'), 'report has no inline SVG');
    for (const f of ['dln-onepoint-sharpness', 'dln-onepoint-l1', 'dln-onepoint-error']) {
      assert.ok(existsSync(join(dir, 'figures', `${f}.png`)), `missing figure ${f}.png`);
    }
    const verdictLines = lines.filter((l) => /^\s+[✓✗] /.test(l));
    assert.ok(verdictLines.length >= 10, `expected ≥ 10 verdicts, got:\n${lines.join('\n')}`);
    assert.deepEqual(
      verdictLines.filter((l) => l.includes('✗')),
      [],
    );
  });

  test('`biaslab reproduce` reruns it (resumes, trains nothing) and `biaslab report` rewrites the report', async () => {
    const rerun = await cli(['reproduce', 'dln-onepoint', '--out', dir, '--workers', '1']);
    assert.equal(rerun.code, 0, rerun.stderr);
    const ends = rerun.stderr.split('\n').filter((l) => /^\[\d+\/\d+\] η = /.test(l));
    assert.ok(ends.length >= 20, `expected every run listed, stderr:\n${rerun.stderr}`);
    assert.deepEqual(
      ends.filter((l) => !l.includes('(from a previous run)')),
      [],
      'a rerun retrained runs',
    );
    const report = await cli(['report', dir]);
    assert.equal(report.code, 0, report.stderr);
    assert.match(report.stdout, /\d+\/\d+ verdicts hold/);
    const experiment = await cli(['report', join(dir, 'dln-onepoint', 'sweep')]);
    assert.equal(experiment.code, 0, experiment.stderr);
    assert.ok(existsSync(join(dir, 'dln-onepoint', 'sweep', 'report.html')));
    const bad = await cli(['report', tempDir()]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /neither an experiment directory/);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBiaslabError } from '@biaslab/core';
import { readExperimentDir } from './experiment-dir';
import { reportFromExperimentDir } from './report-from-experiment';
import type { BreakPointFinder } from './report-from-experiment';

const lines = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/**
 * A two-point grid in the lab's layout and format (every row as `@biaslab/results` checks it). Point 0 has the paper's shape (S = s_GF below η_c = 0.5,
 * S·η/2 = 0.97 above); point 1 ends above the EoS band (S·η/2 = 1.3). One run file is torn (no final row).
 */
function writeGridExperiment(): string {
  const dir = mkdtempSync(join(tmpdir(), 'biaslab-exp-'));
  mkdirSync(join(dir, 'runs'));
  mkdirSync(join(dir, 'flows'));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      biaslab: 'experiment',
      mode: 'sweep',
      config: {
        model: { name: 'dln', options: {} },
        dataset: { name: 'one-point', options: { betaStar: [1, 2] } },
        optimizer: { name: 'gd', options: {} },
        loss: 'mse',
        dtype: 'float64',
        seed: 0,
        stop: { epsilon: 1e-8, patience: 5, maxSteps: 100 },
        breakPoint: { stability: 0.8, drop: 0.05 },
      },
      learningRates: [0.1, 0.3, 0.6, 0.8, 3],
      points: [
        { index: 0, label: 'alpha=0.1', grid: { alpha: 0.1 }, seed: 0, flow: 'flows/f00' },
        { index: 1, label: 'alpha=0.2', grid: { alpha: 0.2 }, seed: 0, flow: 'flows/f01' },
      ],
      seeds: [0],
      seed: 0,
      dtype: 'float64',
      loss: 'mse',
      lossNormalisation: 'L = mean of ½ squared error',
      breakPointRule: 'observed break point = the smallest converged η with S·η/2 > 0.8 and S < 0.95·S_flow',
      machine: {
        node: 'v20',
        platform: 'linux',
        release: '6',
        arch: 'x64',
        cpu: 'test',
        cpus: 2,
        memoryGiB: 8,
      },
      workers: 1,
      versions: {},
      status: 'finished',
      startedAt: '2026-01-01T00:00:00.000Z',
      futureKey: { anything: true },
    }),
  );
  for (const f of ['f00', 'f01']) {
    writeFileSync(
      join(dir, 'flows', `${f}.jsonl`),
      lines([
        { type: 'flow', step: 0, t: 0, loss: 1, sharpness: 2, h: 0.05 },
        // the flow estimates S at its last iterate too: there it is s_GF (this flow sharpens to the end)
        { type: 'flow', step: 60, t: 3, loss: 1e-9, sharpness: 4, h: 0.05 },
        {
          type: 'final',
          status: 'converged',
          reason: 'test',
          sGF: 4,
          etaC: 0.5,
          tEps: 3,
          epsilon: 1e-8,
          steps: 60,
          loss: 1e-9,
          thetaL1: 1.2,
          seconds: 0,
          flow: `flows/${f}`,
          theta: [1, 2],
        },
      ]),
    );
  }
  const etas = [0.1, 0.3, 0.6, 0.8, 3];
  for (const point of [0, 1]) {
    const k = point === 0 ? 0.97 : 1.3;
    etas.forEach((eta, index) => {
      const status = eta > 1 ? 'diverged' : 'converged';
      const s = status === 'diverged' ? 1e7 : eta < 0.5 ? 4 : (2 * k) / eta;
      const l1 = eta < 0.5 ? 1.2 : 1.2 + eta;
      const series = [0, 10, 20].map((step) => ({
        type: 'series',
        step,
        loss: 1 / (step + 1),
        metrics: { sharpness: (s * (step + 10)) / 30, 'test-error': null },
      }));
      const run = `p0${point}-00${index}-eta${eta}`;
      const final = {
        type: 'final',
        index,
        point,
        eta,
        status,
        steps: 20,
        reason: 'test',
        seed: 0,
        loss: status === 'diverged' ? null : 1e-9,
        thetaL1: l1,
        betaL1: l1 - 0.2,
        sharpness: s,
        twoOverEta: 2 / eta,
        sharpnessEtaOver2: (s * eta) / 2,
        testError: status === 'diverged' ? null : (eta - 0.6) ** 2,
        unknownKey: 'passes through',
        metrics: { l2: 0.8 * l1, 'test-accuracy': null },
        seconds: 0,
        run,
        grid: { alpha: point === 0 ? 0.1 : 0.2 },
        phase: 'grid',
        theta: [1, 2],
      };
      writeFileSync(join(dir, 'runs', `${run}.jsonl`), lines([...series, final]));
    });
  }
  writeFileSync(join(dir, 'runs', 'p01-009-eta5.jsonl'), '{"type":"series","step":0,"loss":1}\n{"type":"fin');
  return dir;
}

describe('readExperimentDir', () => {
  it('reads points, flows and runs defensively', () => {
    const data = readExperimentDir(writeGridExperiment());
    assert.equal(data.points.length, 2);
    assert.deepEqual(data.unfinished, ['p01-009-eta5']);
    const [p0] = data.points;
    assert.equal(p0.flow?.sGF, 4);
    assert.equal(p0.flow?.sFinal, 4, 'the last S along the path when the summary has no sFinal');
    assert.deepEqual(
      p0.runs.map((r) => r.eta),
      [0.1, 0.3, 0.6, 0.8, 3],
    );
    const run = p0.runs[2];
    assert.equal(run.thetaL2, 0.8 * (1.2 + 0.6), '‖θ‖₂ from the l2 metric');
    assert.equal(run.testAccuracy, null, 'null metric is missing');
    assert.equal(run.final.unknownKey, 'passes through');
    assert.equal(run.series.length, 3);
  });

  it('says what is wrong when the directory is not an experiment', () => {
    assert.throws(
      () => readExperimentDir(tmpdir()),
      (e) => isBiaslabError(e, 'RESULTS') && /manifest\.json/.test((e as Error).message),
    );
  });
});

/**
 * A stand-in for the science's break-point rule (the report only applies what it is given): the first
 * converged η above 0.5 breaks, which is 0.6 at both points.
 */
const testRule: BreakPointFinder = {
  describe: () => 'Observed break point: the test rule.',
  find: (runs) => ({
    breakEta: runs.find((r) => r.status === 'converged' && r.eta > 0.5)?.eta ?? null,
    lastAligned: null,
  }),
};

describe('reportFromExperimentDir', () => {
  it('writes every figure per point and a report whose verdicts follow the data', async () => {
    const dir = writeGridExperiment();
    const options = { scale: 1, width: 480, height: 300, breakPoint: testRule };
    const report = await reportFromExperimentDir(dir, options);
    const names = ['sharpness-vs-eta', 'norms-vs-eta', 'generalisation-vs-eta', 'sharpness-trajectories'];
    assert.deepEqual(
      report.figures.map((f) => f.name),
      ['p00', 'p01'].flatMap((p) => names.map((n) => `${p}-${n}`)),
    );
    const html = readFileSync(report.reportPath, 'utf8');
    for (const f of report.figures) {
      assert.ok(
        existsSync(join(dir, 'figures', `${f.name}.svg`)) &&
          existsSync(join(dir, 'figures', `${f.name}.png`)),
        f.name,
      );
      assert.ok(html.includes(`data-figure="${f.name}"`), `${f.name} in report`);
    }
    assert.doesNotMatch(html, /https?:\/\//);
    assert.match(html, /<details class="manifest">[\s\S]*futureKey/);
    const band = report.verdicts.filter((v) => v.label.startsWith('final S·η/2 within [0.8, 1.1]'));
    assert.deepEqual(
      band.map((v) => [v.pass, v.count, v.total]),
      [
        [true, 2, 2],
        [false, 0, 2],
      ],
    );
    const flow = report.verdicts.filter((v) => v.label.startsWith('final S within 3%'));
    assert.deepEqual(
      flow.map((v) => v.text.endsWith('yes, 2/2')),
      [true, true],
    );
    assert.ok(html.includes('‖β − β*‖²'), 'ground-truth error label');
    // The break point is the given rule's: 0.6 = 1.2 × η_c at both points, outside the 15% band.
    assert.ok(html.includes('Observed break point: the test rule.'), 'the rule says itself');
    const etaC = report.verdicts.filter((v) => v.label.startsWith('predicted η_c = 2/s_GF within 15%'));
    assert.deepEqual(
      etaC.map((v) => [v.pass, v.count, v.total]),
      [
        [false, 0, 1],
        [false, 0, 1],
      ],
    );
    assert.ok(html.includes('p01-009-eta5'), 'unfinished run listed');
  });
});

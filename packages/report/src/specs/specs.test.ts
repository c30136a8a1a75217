import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from 'vega-lite';
import { renderFigure } from '../render';
import type { FigureSpec } from '../theme';
import type { SweepPoint } from '../sweep-point';
import {
  generalisationVsEtaSpec,
  lineChartSpec,
  normsVsEtaSpec,
  sharpnessTrajectoriesSpec,
  sharpnessVsEtaSpec,
} from './index';

// A synthetic sweep with the paper's shape: S = s_GF below η_c = 2/s_GF, S = 0.95·2/η above, then divergence.
const sGF = 4;
const etaC = 2 / sGF;
const etas = [0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 0.9, 1.2, 2];
const points: SweepPoint[] = etas.map((eta, i) => {
  const status = eta > 1 ? 'diverged' : i === 6 ? 'capped' : 'converged';
  const sharpness = status === 'diverged' ? 1e6 : eta < etaC ? sGF : (0.95 * 2) / eta;
  const l1 = eta < etaC ? 1.1 : 1.1 + (eta - etaC);
  return {
    eta,
    status,
    sharpness,
    thetaL1: l1,
    thetaL2: 0.8 * l1,
    betaL1: l1 - 0.1,
    testError: (eta - 0.6) ** 2 + 0.01,
    testAccuracy: 0.9 - (eta - 0.6) ** 2,
  };
});
const nonDiverged = points.filter((p) => p.status !== 'diverged').length;

/** Marks of one kind drawn for data (not legends or axes): vega labels each with an aria role description. */
function count(svg: string, role: string): number {
  return [...svg.matchAll(new RegExp(`aria-roledescription="${role}"`, 'g'))].length;
}

function compileStrict(spec: FigureSpec): string[] {
  const warnings: string[] = [];
  const logger = {
    level() {
      return logger;
    },
    error(...args: unknown[]) {
      throw new Error(args.join(' '));
    },
    warn(...args: unknown[]) {
      warnings.push(args.join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  compile(spec, { logger: logger as never });
  return warnings;
}

const builders: [string, FigureSpec][] = [
  ['sharpness vs η', sharpnessVsEtaSpec({ points, etaC, sGF, breakEta: 0.6 })],
  ['norms vs η', normsVsEtaSpec({ points, etaC, breakEta: 0.6 })],
  ['generalisation vs η', generalisationVsEtaSpec({ points, etaC })],
  [
    'trajectories',
    sharpnessTrajectoriesSpec({
      series: [0, 10, 20].flatMap((step) =>
        [0.2, 0.8].map((eta) => ({ eta, step, sharpness: 1 + step / 10 })),
      ),
    }),
  ],
  [
    'line chart',
    lineChartSpec({
      data: points as never,
      x: { field: 'eta', title: 'η', log: true },
      y: { field: 'thetaL1', title: '‖θ‖₁' },
      rules: [{ x: etaC, label: 'η_c' }],
      title: 'generic',
    }),
  ],
];

describe('spec builders', () => {
  for (const [name, spec] of builders) {
    it(`${name}: valid vega-lite, compiles without errors or warnings, titled`, () => {
      assert.deepEqual(compileStrict(spec), [], `vega-lite warnings for ${name}`);
      assert.ok((spec as { title?: unknown }).title, `${name} has a title`);
    });
  }

  it('sharpness vs η draws one point per run (diverged on top), the 2/η curve, η_c and break rules, axis titles', async () => {
    const { svg } = await renderFigure(builders[0][1], { formats: ['svg'] });
    assert.equal(count(svg!, 'point'), points.length);
    assert.equal(count(svg!, 'line mark'), 1, 'one 2/η line');
    assert.equal(count(svg!, 'rule mark'), 3, 's_GF, η_c and break rules');
    assert.match(svg!, />learning rate η</);
    assert.match(svg!, />final sharpness S = max \|λ\(∇²L\)\|</);
    assert.match(svg!, />diverged \(off scale\)</);
    assert.match(svg!, />η_c = 0\.5</);
  });

  it('sharpness vs η omits s_GF and the rules when unknown', async () => {
    const { svg } = await renderFigure(sharpnessVsEtaSpec({ points }), { formats: ['svg'] });
    assert.equal(count(svg!, 'rule mark'), 0);
    assert.equal(count(svg!, 'point'), points.length);
  });

  it('norms vs η: three norms over the non-diverged runs, diverged ones counted in the subtitle', async () => {
    const { svg } = await renderFigure(builders[1][1], { formats: ['svg'] });
    assert.equal(count(svg!, 'point'), 3 * nonDiverged);
    assert.equal(count(svg!, 'line mark'), 3);
    assert.match(svg!, />2 diverged runs not shown/);
    for (const t of ['‖θ‖₁', '‖θ‖₂', '‖β‖₁', 'final norm']) assert.ok(svg!.includes(`>${t}<`), t);
  });

  it('generalisation vs η: error and accuracy on two axes', async () => {
    const { svg } = await renderFigure(builders[2][1], { formats: ['svg'] });
    assert.equal(count(svg!, 'point'), 2 * nonDiverged);
    assert.ok(svg!.includes('>accuracy<') && svg!.includes('>test error<'));
  });

  it('trajectories: a line per η and a 2/η rule per η', async () => {
    const { svg } = await renderFigure(builders[3][1], { formats: ['svg'] });
    assert.equal(count(svg!, 'rule mark'), 2);
    assert.equal(count(svg!, 'line mark'), 2);
    assert.ok(svg!.includes('>η = 0.2<') && svg!.includes('>step t<'));
  });

  it('line chart drops values a log axis cannot show', async () => {
    const data = [
      { a: 1, b: 1 },
      { a: 0, b: 2 },
      { a: 2, b: null },
      { a: 3, b: 3 },
    ];
    const spec = lineChartSpec({
      data,
      x: { field: 'a', title: 'a', log: true },
      y: { field: 'b', title: 'b' },
      mark: 'point',
      title: 't',
    });
    const { svg } = await renderFigure(spec, { formats: ['svg'] });
    assert.equal(count(svg!, 'point'), 2);
  });
});

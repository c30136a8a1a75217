import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, parseOptions } from '@biaslab/core';
import type { OptimizerComponent } from '@biaslab/core';
import { optimizersPlugin, scheduleFactor, scheduleOptions } from './index';
import type { Schedule } from './index';
import { LinearOracle } from './fixtures';

const parse = (raw: unknown) => parseOptions(scheduleOptions, raw, 'schedule') as Schedule;

test('schedules give the right factors s(t)', () => {
  const seq = (s: Schedule, n: number) => Array.from({ length: n }, (_, t) => scheduleFactor(s, t));
  assert.deepEqual(seq(parse({ kind: 'constant' }), 3), [1, 1, 1]);
  assert.deepEqual(seq(parse({ kind: 'linear-warmup', warmupSteps: 4 }), 6), [0.25, 0.5, 0.75, 1, 1, 1]);
  assert.deepEqual(
    seq(parse({ kind: 'step-decay', every: 2, factor: 0.5 }), 6),
    [1, 1, 0.5, 0.5, 0.25, 0.25],
  );
  const cosine = seq(parse({ kind: 'cosine', decaySteps: 4, finalFactor: 0.2, warmupSteps: 2 }), 8);
  const expected = [
    0.5,
    1,
    1,
    0.2 + 0.8 * 0.5 * (1 + Math.SQRT1_2),
    0.6,
    0.2 + 0.8 * 0.5 * (1 - Math.SQRT1_2),
    0.2,
    0.2,
  ];
  cosine.forEach((s, t) =>
    assert.ok(Math.abs(s - expected[t]) < 1e-15, `cosine s(${t}) = ${s}, expected ${expected[t]}`),
  );
});

test('every optimizer applies the schedule: on L = ⟨c, θ⟩ the first update scales with s(t)', async () => {
  // With a constant gradient every optimizer's step at t, run once without and once with a schedule whose
  // factor at t is known, differs exactly by that factor (first step, from the same state).
  const c = Float64Array.of(0.3, -0.7);
  const oracle = new LinearOracle(c);
  const schedule = { kind: 'step-decay', every: 1, factor: 0.5 };
  const eta = 0.01;
  const theta = Float64Array.of(0.2, 0.4);
  for (const component of optimizersPlugin.components as OptimizerComponent[]) {
    if (component.name === 'sgd' || component.name === 'label-noise-gd') continue; // need data; covered below
    const base = component.create(parseOptions(component.options, {}, component.name));
    const scheduled = component.create(parseOptions(component.options, { schedule }, component.name));
    for (const step of [0, 3]) {
      const a = await base.step({ theta, state: base.init(theta), eta, step, oracle, rng: new Rng(1) });
      const b = await scheduled.step({
        theta,
        state: scheduled.init(theta),
        eta,
        step,
        oracle,
        rng: new Rng(1),
      });
      for (let i = 0; i < 2; i++) {
        const ratio = (b.theta[i] - theta[i]) / (a.theta[i] - theta[i]);
        assert.ok(Math.abs(ratio - 0.5 ** step) < 1e-9, `${component.name} at step ${step}: ratio ${ratio}`);
      }
    }
  }
});

test('gd on L = ⟨c, θ⟩ takes steps −η·s(t)·c for a cosine schedule with warm-up', async () => {
  const c = Float64Array.of(2);
  const oracle = new LinearOracle(c);
  const raw = { schedule: { kind: 'cosine', decaySteps: 10, warmupSteps: 3 } };
  const gd = optimizersPlugin.components.find((x) => x.name === 'gd') as OptimizerComponent;
  const opt = gd.create(parseOptions(gd.options, raw, 'gd'));
  const s = parse(raw.schedule);
  const eta = 0.1;
  let theta: Float64Array = Float64Array.of(0);
  for (let step = 0; step < 16; step++) {
    const r = await opt.step({ theta, state: {}, eta, step, oracle, rng: new Rng(0) });
    const etaT = (theta[0] - r.theta[0]) / 2;
    assert.ok(Math.abs(etaT - eta * scheduleFactor(s, step)) < 1e-15, `η_${step} = ${etaT}`);
    theta = r.theta;
  }
});

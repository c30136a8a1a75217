// Every optimizer of the plugin, on the same table of quadratics: it must converge, keep its state's shape
// and never mutate θ or its state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, parseOptions } from '@biaslab/core';
import type { OptimizerComponent } from '@biaslab/core';
import { optimizersPlugin } from './index';
import { QuadraticOracle } from './quadratic-oracle-fixture';

const QUADRATICS: { name: string; eigenvalues: number[] }[] = [
  { name: 'well conditioned', eigenvalues: [1, 1.5, 2] },
  { name: 'condition number 16', eigenvalues: [0.5, 0.9, 1.7, 3, 5, 8] },
  { name: 'one dimension', eigenvalues: [2] },
];

/** Nested keys and array lengths of a state: what must not change from step to step. */
function shapeOf(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return `array(${(value as Float64Array).length})`;
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  }
  return typeof value;
}

for (const component of optimizersPlugin.components as OptimizerComponent[]) {
  for (const quadratic of QUADRATICS) {
    test(`optimizer/${component.name} converges on a ${quadratic.name} quadratic with η = 1/λ_max`, async () => {
      const seed = 31;
      const rng = new Rng(seed);
      const oracle = QuadraticOracle.withSpectrum(quadratic.eigenvalues, rng.fork('quadratic'));
      const optimizer = component.create(parseOptions(component.options, {}, `optimizer/${component.name}`));
      const eta = 1 / Math.max(...quadratic.eigenvalues);
      let theta = rng.normals(oracle.size);
      let state = optimizer.init(theta);
      const stateShape = JSON.stringify(shapeOf(state));
      const start = oracle.lossAt(theta);
      for (let step = 0; step < 1000; step++) {
        const thetaBefore = Float64Array.from(theta);
        const stateBefore = structuredClone(state);
        const result = await optimizer.step({
          theta,
          state,
          eta,
          step,
          oracle,
          rng: rng.fork(`step${step}`),
        });
        assert.deepEqual(theta, thetaBefore, `step ${step} mutated θ (seed ${seed})`);
        assert.deepEqual(state, stateBefore, `step ${step} mutated the state (seed ${seed})`);
        assert.equal(
          JSON.stringify(shapeOf(result.state)),
          stateShape,
          `step ${step} changed the state's shape`,
        );
        theta = result.theta;
        state = result.state;
      }
      const end = oracle.lossAt(theta);
      assert.ok(
        end < 1e-20 * Math.max(start, 1),
        `L went from ${start} to ${end} in 1000 steps (seed ${seed})`,
      );
    });
  }
}

// One table for every optimizer of the plugin (optax style): on an ill-conditioned quadratic and on the 2-d
// Rosenbrock function it must reach the stated loss, keep its state's shape at every step and never mutate θ
// or the state it receives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, parseOptions } from '@biaslab/core';
import type { Oracle, OptimizerComponent } from '@biaslab/core';
import { optimizersPlugin } from './index';
import { LeastSquaresOracle, RosenbrockOracle } from './residual-oracle-fixtures';

interface Problem {
  readonly name: string;
  make(rng: Rng): { oracle: Oracle & { lossAt(theta: Float64Array): number }; theta0: Float64Array };
}

/** (1/2n)‖X(θ − θ*)‖² with Hessian eigenvalues 0.1 … 10 (condition number 100), n = 40 rows, min 0. */
const QUADRATIC: Problem = {
  name: 'ill-conditioned quadratic (κ = 100)',
  make(rng) {
    const { oracle } = LeastSquaresOracle.withHessianSpectrum(
      40,
      [0.1, 0.3, 1, 3, 10],
      rng.fork('quadratic'),
    );
    return { oracle, theta0: rng.fork('theta0').normals(5) };
  },
};

/** (1 − x)² + 100(y − x²)² from (−1.2, 1); min 0 at (1, 1) where the Hessian's eigenvalues are 1001.6 and 0.4. */
const ROSENBROCK: Problem = {
  name: 'Rosenbrock',
  make: () => ({ oracle: new RosenbrockOracle(), theta0: Float64Array.of(-1.2, 1) }),
};

interface Case {
  readonly options: Record<string, unknown>;
  readonly eta: number;
  readonly steps: number;
  /** The run passes when L(θ_steps) is below this. */
  readonly tolerance: number;
}

// Tolerances are about 10× the loss measured at the end of each run. The Rosenbrock runs stop in the curved
// valley's slow phase (the smallest Hessian eigenvalue at the minimum is 0.4), so their tolerances are
// looser. SAM with a fixed radius settles ≈ ρ from the minimiser along the top eigenvector, at
// L ≈ ½λ_max ρ² (5·10⁻⁶ on the quadratic with ρ = 10⁻³); label noise leaves a floor ∝ σ².
const TABLE: Record<string, { quadratic: Case; rosenbrock: Case }> = {
  gd: {
    quadratic: { options: {}, eta: 0.1, steps: 2000, tolerance: 1e-15 },
    rosenbrock: { options: {}, eta: 0.002, steps: 6000, tolerance: 1e-4 },
  },
  momentum: {
    quadratic: { options: { momentum: 0.9 }, eta: 0.1, steps: 1000, tolerance: 1e-25 },
    rosenbrock: { options: { momentum: 0.9 }, eta: 0.001, steps: 2500, tolerance: 1e-9 },
  },
  nesterov: {
    quadratic: { options: { momentum: 0.9 }, eta: 0.1, steps: 1000, tolerance: 1e-25 },
    rosenbrock: { options: { momentum: 0.9 }, eta: 0.001, steps: 2500, tolerance: 1e-9 },
  },
  sgd: {
    quadratic: { options: { batchSize: 8 }, eta: 0.05, steps: 4000, tolerance: 1e-15 },
    rosenbrock: { options: { batchSize: 1 }, eta: 0.001, steps: 10000, tolerance: 5e-4 },
  },
  adam: {
    quadratic: { options: {}, eta: 0.05, steps: 3000, tolerance: 1e-25 },
    rosenbrock: { options: {}, eta: 0.01, steps: 5000, tolerance: 1e-8 },
  },
  adamw: {
    quadratic: { options: { decoupledWeightDecay: 0 }, eta: 0.05, steps: 3000, tolerance: 1e-25 },
    rosenbrock: { options: { decoupledWeightDecay: 0 }, eta: 0.01, steps: 5000, tolerance: 1e-8 },
  },
  rmsprop: {
    quadratic: {
      options: { schedule: { kind: 'step-decay', every: 500, factor: 0.3 } },
      eta: 0.01,
      steps: 4000,
      tolerance: 1e-10,
    },
    rosenbrock: {
      options: { schedule: { kind: 'cosine', decaySteps: 5000 } },
      eta: 0.003,
      steps: 5000,
      tolerance: 1e-4,
    },
  },
  sam: {
    quadratic: { options: { rho: 1e-3 }, eta: 0.1, steps: 2000, tolerance: 1e-5 },
    rosenbrock: { options: { rho: 1e-4 }, eta: 0.001, steps: 10000, tolerance: 5e-4 },
  },
  asam: {
    quadratic: { options: { rho: 1e-3 }, eta: 0.1, steps: 2000, tolerance: 1e-5 },
    rosenbrock: { options: { rho: 1e-4 }, eta: 0.001, steps: 10000, tolerance: 5e-4 },
  },
  'label-noise-gd': {
    quadratic: { options: { sigma: 1e-3 }, eta: 0.1, steps: 2000, tolerance: 1e-7 },
    rosenbrock: { options: { sigma: 1e-3 }, eta: 0.002, steps: 6000, tolerance: 1e-3 },
  },
  flow: {
    quadratic: { options: { c: 2 }, eta: 1, steps: 1000, tolerance: 1e-15 },
    rosenbrock: { options: { c: 2.5 }, eta: 1, steps: 5000, tolerance: 1e-5 },
  },
};

/** Nested keys, types and array lengths of a state: what must not change from step to step. */
function shapeOf(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as Float64Array).length})`;
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  }
  return typeof value;
}

/** Deep snapshots (mutation) and state shapes are checked on the first 20 steps, every 97th and the last. */
const checkAt = (step: number, steps: number) => step < 20 || step % 97 === 0 || step === steps - 1;

const components = optimizersPlugin.components as OptimizerComponent[];

test('the conformance table covers every optimizer of the plugin', () => {
  assert.deepEqual(Object.keys(TABLE).sort(), components.map((c) => c.name).sort());
});

for (const component of components) {
  for (const [problem, key] of [
    [QUADRATIC, 'quadratic'],
    [ROSENBROCK, 'rosenbrock'],
  ] as const) {
    const c = TABLE[component.name]?.[key];
    if (!c) continue;
    test(`optimizer/${component.name} on the ${problem.name}: η = ${c.eta}, ${c.steps} steps, L < ${c.tolerance}`, async () => {
      const seed = 31;
      const rng = new Rng(seed);
      const { oracle, theta0 } = problem.make(rng);
      const where = `optimizer/${component.name}`;
      const optimizer = component.create(parseOptions(component.options, c.options, where));
      let theta = theta0;
      let state = optimizer.init(theta);
      const stateShape = JSON.stringify(shapeOf(state));
      const stepRng = rng.fork('steps');
      for (let step = 0; step < c.steps; step++) {
        const check = checkAt(step, c.steps);
        const snapshot = check
          ? { theta: Float64Array.from(theta), state: structuredClone(state) }
          : undefined;
        const result = await optimizer.step({ theta, state, eta: c.eta, step, oracle, rng: stepRng });
        if (snapshot) {
          assert.deepEqual(theta, snapshot.theta, `step ${step} mutated θ (seed ${seed})`);
          assert.deepEqual(state, snapshot.state, `step ${step} mutated the state (seed ${seed})`);
          assert.notEqual(result.theta, theta, `step ${step} returned θ itself instead of a new array`);
        }
        if (check) {
          assert.equal(
            JSON.stringify(shapeOf(result.state)),
            stateShape,
            `step ${step} changed the state's shape`,
          );
        }
        theta = result.theta;
        state = result.state;
      }
      const end = oracle.lossAt(theta);
      assert.ok(
        end < c.tolerance,
        `${where}: L went from ${oracle.lossAt(theta0)} to ${end} in ${c.steps} steps, expected < ${c.tolerance} (seed ${seed})`,
      );
    });
  }
}

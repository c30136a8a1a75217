// The diagonal-network theory of docs/science.md checked through the real stack: `dataset/one-point` →
// `model/dln` (shared weights, β = w⊙w) → runtime objective (autodiff gradient and HVP on onnxruntime,
// float64) → `optimizer/gd`, with sharpness from the metrics package. Every number is compared with an
// independent closed form: the gradient-flow limit β_GF,i = α² e^{c xᵢ}, the Hessian
// 4(x⊙w)(x⊙w)ᵀ + 2r·diag(x), and GD on the closed-form gradient in plain JavaScript.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import type { Dataset } from '@biaslab/core';
import { onePointDataset } from '@biaslab/datasets';
import { dlnModel } from '@biaslab/models';
import { betaL1Metric, sharpnessMetric } from '@biaslab/metrics';
import {
  closedFormGd,
  dot,
  exactHessian,
  exactSharpness,
  gradientFlowLimit,
  interpolatorSharpness,
} from './diagonal-network';
import {
  buildProblem,
  denseTop,
  lanczosTop,
  loadDataset,
  measure,
  relativeError,
  relativeGap,
  runGd,
} from './stack';
import type { GdRun, Problem } from './stack';

const SEED = 20260521;
const STOP = { lossBelow: 1e-20, consecutive: 5, maxSteps: 20_000, seed: SEED };
/** Two small steps, far below η_c ≈ 0.5; GD at these is a proxy for gradient flow. */
const ETA_SMALL = 0.01;
const ETA_SMALLER = 0.005;
/** Above η_c ≈ 0.5: the Edge-of-Stability regime. */
const ETA_EOS = 0.68;

interface Case {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: number;
  readonly alpha: number;
  /** Dataset options beyond the defaults; β* is not used by these checks, it only has to fit d. */
  readonly data: Record<string, unknown>;
  /** Measured ‖β_GD(η=0.005) − β_GF‖/‖β_GF‖: 7.40e-5 (2-d) and 3.49e-4 (3-d); the bounds leave ~3× room. */
  readonly flowBound: number;
}

const CASES: readonly Case[] = [
  { name: '2-d, x = (1, 0.2)', x: [1, 0.2], y: 1, alpha: 0.1, data: {}, flowBound: 2.5e-4 },
  {
    name: '3-d, x = (1, 0.5, 0.2)',
    x: [1, 0.5, 0.2],
    y: 1,
    alpha: 0.05,
    data: { x: [1, 0.5, 0.2], y: 1, betaStar: [1, 0, 0] },
    flowBound: 1e-3,
  },
];

for (const c of CASES) {
  describe(`diagonal network, one point, ${c.name}, α = ${c.alpha} (seed ${SEED})`, () => {
    let dataset: Dataset;
    let problem: Problem;
    const flow = gradientFlowLimit(c.x, c.y, c.alpha);
    const sFlow = interpolatorSharpness(c.x, flow.beta);
    const l1Flow = flow.beta.reduce((s, b) => s + b, 0);
    const runs = new Map<number, Promise<GdRun>>();
    const gd = (eta: number) => {
      if (!runs.has(eta)) runs.set(eta, runGd(problem.objective, problem.model.init, eta, STOP));
      return runs.get(eta)!;
    };
    const beta = (run: GdRun) => problem.model.predictor!(run.theta);

    before(async () => {
      dataset = await loadDataset(onePointDataset, c.data, SEED);
      problem = await buildProblem(
        dlnModel,
        { parametrization: 'shared', alpha: c.alpha },
        dataset,
        'mse',
        SEED,
      );
    });
    after(() => problem?.objective.dispose());

    test('the closed-form flow limit interpolates and solves its equation', () => {
      assert.ok(flow.residual < 1e-15, `|Σ xᵢ α² e^{c xᵢ} − y| = ${flow.residual} (seed ${SEED})`);
      assert.ok(Math.abs(dot(c.x, flow.beta) - c.y) < 1e-15);
    });

    test('GD at small η approaches the gradient-flow limit β_GF, with error ∝ η', async () => {
      const [coarse, fine] = [await gd(ETA_SMALL), await gd(ETA_SMALLER)];
      for (const run of [coarse, fine])
        assert.ok(
          run.converged,
          `GD stopped at L = ${run.loss} after ${run.steps} steps, not below 1e-20 (seed ${SEED})`,
        );
      const errCoarse = relativeError(beta(coarse), flow.beta);
      const errFine = relativeError(beta(fine), flow.beta);
      // Measured ratios 2.0004 (2-d) and 1.9990 (3-d) for η ratio 2: the GD–flow gap is first order in η.
      const ratio = errCoarse / errFine;
      const linear = ETA_SMALL / ETA_SMALLER;
      assert.ok(
        Math.abs(ratio / linear - 1) < 0.05,
        `error(η=${ETA_SMALL}) / error(η=${ETA_SMALLER}) = ${ratio}; expected ≈ ${linear} (seed ${SEED})`,
      );
      assert.ok(
        errFine < c.flowBound,
        `‖β_GD − β_GF‖/‖β_GF‖ = ${errFine} at η = ${ETA_SMALLER}, bound ${c.flowBound} (seed ${SEED})`,
      );
      // Richardson extrapolation 2β(η/2) − β(η) cancels the O(η) term, leaving O(η²); measured 2.9e-8 (2-d)
      // and 3.6e-7 (3-d).
      const extrapolated = beta(fine).map((b, i) => 2 * b - beta(coarse)[i]);
      const errExtrapolated = relativeError(extrapolated, flow.beta);
      assert.ok(
        errExtrapolated < 1e-6,
        `Richardson-extrapolated error ${errExtrapolated}; expected < 1e-6 (seed ${SEED})`,
      );
    });

    test('the ONNX GD trajectory equals GD on the closed-form gradient', async () => {
      for (const eta of [ETA_SMALL, ETA_EOS]) {
        const run = await gd(eta);
        const twin = closedFormGd(c.x, c.y, c.alpha, eta, STOP);
        const err = relativeError(run.theta, twin.w);
        // Measured: 0 to 1.6e-15 (the same float64 operations in a different order).
        assert.ok(
          err < 1e-9,
          `η = ${eta}: ‖w_onnx − w_js‖/‖w_js‖ = ${err} after ${run.steps} vs ${twin.steps} steps (seed ${SEED})`,
        );
      }
    });

    test('at the small-η limit the Hessian is rank one with S = 4 Σ xᵢ² βᵢ ≈ S_GF', async () => {
      const run = await gd(ETA_SMALLER);
      const b = beta(run);
      const top = await lanczosTop(problem.objective, run.theta, SEED);
      const rankOne = interpolatorSharpness(c.x, b);
      const exact = exactSharpness(c.x, c.y, run.theta);
      assert.ok(
        relativeGap(top.value, rankOne) < 1e-8,
        `Lanczos ${top.value} vs 4Σx²β ${rankOne} (seed ${SEED})`,
      );
      assert.ok(
        relativeGap(top.value, exact) < 1e-12,
        `Lanczos ${top.value} vs exact Hessian ${exact} (seed ${SEED})`,
      );
      // The flow-aligned regime: the limit's sharpness is the flow's, well below 2/η.
      assert.ok(relativeGap(top.value, sFlow) < 1e-3, `S = ${top.value} vs S_GF = ${sFlow} (seed ${SEED})`);
      assert.ok((top.value * ETA_SMALLER) / 2 < 0.05);
    });

    test('Lanczos equals the dense Hessian (and the closed form) at init, mid-training and the limit', async () => {
      const mid = await runGd(problem.objective, problem.model.init, ETA_SMALL, {
        ...STOP,
        lossBelow: 0,
        maxSteps: 150,
      });
      const points = [
        { at: 'init', theta: problem.model.init },
        { at: 'mid-training (150 steps)', theta: mid.theta },
        { at: 'limit', theta: (await gd(ETA_SMALLER)).theta },
      ];
      for (const { at, theta } of points) {
        const dense = await denseTop(problem.objective, theta);
        const formula = exactHessian(c.x, c.y, theta);
        const matrixErr = relativeError(dense.matrix, formula);
        assert.ok(
          matrixErr < 1e-13,
          `${at}: dense Hessian from HVPs vs 4(x⊙w)(x⊙w)ᵀ + 2r·diag(x): ${matrixErr} (seed ${SEED})`,
        );
        const top = await lanczosTop(problem.objective, theta, SEED);
        assert.ok(
          relativeGap(top.value, dense.value) < 1e-8,
          `${at}: Lanczos ${top.value} vs dense ${dense.value} (seed ${SEED})`,
        );
      }
      // At init r ≈ −y: the diagonal term 2r·diag(x) dominates, so the largest |λ| is negative.
      const atInit = await lanczosTop(problem.objective, problem.model.init, SEED);
      assert.ok(
        atInit.value < 0,
        `expected a negative dominant eigenvalue at init, received ${atInit.value} (seed ${SEED})`,
      );
    });

    test(`GD at η = ${ETA_EOS} > η_c = 2/S_GF ends at a flatter, larger-norm interpolator with S·η/2 ∈ [0.9, 1]`, async () => {
      assert.ok(ETA_EOS > 2 / sFlow, `η_c = ${2 / sFlow} must be below ${ETA_EOS}`);
      const run = await gd(ETA_EOS);
      assert.ok(
        run.converged,
        `GD at η = ${ETA_EOS} did not reach L < 1e-20 in ${STOP.maxSteps} steps (seed ${SEED})`,
      );
      const b = beta(run);
      assert.ok(Math.abs(dot(c.x, b) - c.y) < 1e-9, `⟨x, β⟩ = ${dot(c.x, b)}, y = ${c.y}`);
      const at = {
        theta: run.theta,
        model: problem.model,
        dataset,
        train: problem.objective,
        eta: ETA_EOS,
        seed: SEED,
      };
      const lanczosMetric = await measure(sharpnessMetric, { method: 'lanczos' }, at);
      const denseMetric = await measure(sharpnessMetric, { method: 'dense' }, at);
      const l1 = (await measure(betaL1Metric, {}, at))['beta-l1'];
      const stability = lanczosMetric['sharpness.stability'];
      // Measured: S·η/2 = 0.9851, ‖β‖₁ = 2.378 vs 1.020 (2-d); 0.9797, 1.593 vs 1.031 (3-d).
      assert.ok(
        stability >= 0.9 && stability <= 1,
        `S·η/2 = ${stability}; expected in [0.9, 1] (seed ${SEED})`,
      );
      assert.ok(relativeGap(stability, denseMetric['sharpness.stability']) < 1e-8);
      assert.ok(relativeGap(lanczosMetric.sharpness, interpolatorSharpness(c.x, b)) < 1e-8);
      assert.ok(
        lanczosMetric.sharpness < sFlow,
        `S = ${lanczosMetric.sharpness} should be below S_GF = ${sFlow}`,
      );
      assert.ok(
        l1 > 1.25 * l1Flow,
        `‖β‖₁ = ${l1} should exceed the flow's ${l1Flow} by a quarter (seed ${SEED})`,
      );
    });
  });
}

test(`the sign of the dominant eigenvalue is kept: x with negative entries, far from interpolation (seed ${SEED})`, async () => {
  const x = [0.1, -2, 0.5, 0.3, -0.1, 0.8];
  const y = 1;
  const rng = new Rng(SEED).fork('theta');
  const dataset = await loadDataset(onePointDataset, { x, y, betaStar: x.map(() => 0) }, SEED);
  const { model, objective } = await buildProblem(dlnModel, { alpha: 0.1 }, dataset, 'mse', SEED);
  try {
    // w₁ = 10 makes r = ⟨x, w⊙w⟩ − y ≈ 9 while 4‖x⊙w‖² stays ≈ 4, so 2r·x₂ ≈ −36 dominates.
    const theta = Float64Array.from(x, (_, i) => (i === 0 ? 10 : 0.3 * rng.normal()));
    assert.equal(theta.length, model.layout.size);
    const dense = await denseTop(objective, theta);
    const top = await lanczosTop(objective, theta, SEED);
    const exact = exactSharpness(x, y, theta);
    assert.ok(dense.value < -30, `dense dominant eigenvalue ${dense.value}; expected ≈ −36 (seed ${SEED})`);
    assert.ok(
      relativeGap(top.value, dense.value) < 1e-8,
      `Lanczos ${top.value} vs dense ${dense.value} (seed ${SEED})`,
    );
    assert.ok(
      relativeGap(dense.value, exact) < 1e-12,
      `dense ${dense.value} vs closed form ${exact} (seed ${SEED})`,
    );
  } finally {
    await objective.dispose();
  }
});

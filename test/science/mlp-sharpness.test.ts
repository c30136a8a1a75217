// Sharpness of a small MLP through the real stack (`model/mlp` → runtime objective → autodiff HVP on
// onnxruntime, float64): Lanczos from the metrics package must find the dense Hessian's eigenvalue of largest
// magnitude, with its sign, and the dense Hessian built from HVPs must equal an independent one built from
// central finite differences of the gradient, H[:, j] ≈ (∇L(θ + h eⱼ) − ∇L(θ − h eⱼ)) / 2h.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, floatTensor } from '@biaslab/core';
import type { Dataset, LossKind, Oracle } from '@biaslab/core';
import { sparseRegressionDataset } from '@biaslab/datasets';
import { mlpModel } from '@biaslab/models';
import type { MlpOptions } from '@biaslab/models';
import { buildProblem, denseTop, lanczosTop, loadDataset, relativeError, relativeGap, runGd } from './stack';
import type { Problem } from './stack';

const SEED = 20260522;
const SAMPLES = 12;
const FEATURES = 4;
const CLASSES = 3;
/** Finite-difference step: truncation O(h²) and rounding O(ε/h) both stay near 1e-10 relative. */
const H = 1e-6;
/** GD steps (at η = 0.05) to move away from θ₀ before the second comparison. */
const WARMUP_STEPS = 30;

/** Twelve Gaussian inputs with uniformly random labels in {0, 1, 2}, one-hot targets. */
function classificationData(seed: number): Dataset {
  const rng = new Rng(seed).fork('classification');
  const x = rng.normals(SAMPLES * FEATURES);
  const labels = Int32Array.from({ length: SAMPLES }, () => rng.int(CLASSES));
  const y = new Float64Array(SAMPLES * CLASSES);
  labels.forEach((label, i) => (y[i * CLASSES + label] = 1));
  return {
    task: 'classification',
    inputShape: [FEATURES],
    outputSize: CLASSES,
    train: {
      x: floatTensor('float64', [SAMPLES, FEATURES], x),
      y: floatTensor('float64', [SAMPLES, CLASSES], y),
      labels,
    },
    provenance: `test: x ~ N(0, I_${FEATURES}), labels uniform on {0, 1, 2}; seed ${seed}`,
  };
}

/** The Hessian by central differences of the objective's gradient, symmetrised, P × P row-major. */
async function finiteDifferenceHessian(oracle: Oracle, theta: Float64Array): Promise<Float64Array> {
  const p = oracle.size;
  const h = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const plus = Float64Array.from(theta);
    const minus = Float64Array.from(theta);
    plus[j] += H;
    minus[j] -= H;
    const [gp, gm] = [(await oracle.grad(plus)).grad, (await oracle.grad(minus)).grad];
    for (let i = 0; i < p; i++) h[i * p + j] = (gp[i] - gm[i]) / (2 * H);
  }
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      const s = 0.5 * (h[i * p + j] + h[j * p + i]);
      h[i * p + j] = s;
      h[j * p + i] = s;
    }
  }
  return h;
}

const SETTINGS: readonly { activation: MlpOptions['activation']; loss: LossKind }[] = [
  { activation: 'tanh', loss: 'mse' },
  { activation: 'relu', loss: 'mse' },
  { activation: 'tanh', loss: 'cross-entropy' },
  { activation: 'relu', loss: 'cross-entropy' },
];

for (const { activation, loss } of SETTINGS) {
  describe(`mlp ${FEATURES}-6-5-out, ${activation}, ${loss}, ${SAMPLES} samples (seed ${SEED})`, () => {
    let problem: Problem;
    const points: { at: string; theta: Float64Array }[] = [];

    before(async () => {
      const dataset =
        loss === 'mse'
          ? await loadDataset(sparseRegressionDataset, { n: SAMPLES, d: FEATURES, k: 2, nTest: 0 }, SEED)
          : classificationData(SEED);
      problem = await buildProblem(mlpModel, { widths: [6, 5], activation }, dataset, loss, SEED);
      const warm = await runGd(problem.objective, problem.model.init, 0.05, {
        lossBelow: 0,
        consecutive: 1,
        maxSteps: WARMUP_STEPS,
        seed: SEED,
      });
      points.push(
        { at: 'θ₀', theta: problem.model.init },
        { at: `after ${WARMUP_STEPS} GD steps`, theta: warm.theta },
      );
    });
    after(() => problem?.objective.dispose());

    test('Lanczos finds the dense Hessian’s largest-|λ| eigenvalue, with its sign', async () => {
      for (const { at, theta } of points) {
        const dense = await denseTop(problem.objective, theta);
        const top = await lanczosTop(problem.objective, theta, SEED);
        const where = `at ${at}, P = ${problem.objective.size} (seed ${SEED})`;
        assert.ok(
          dense.relativeAsymmetry < 1e-12,
          `HVP columns asymmetric by ${dense.relativeAsymmetry} ${where}`,
        );
        assert.ok(
          top.converged,
          `Lanczos stopped by ${top.stop} after ${top.iterations} iterations ${where}`,
        );
        // Measured: gaps ≤ 1.5e-15 after 11–26 Lanczos iterations (tolerance stop), residuals ≤ 1.7e-10.
        assert.ok(
          relativeGap(top.value, dense.value) < 1e-8,
          `Lanczos ${top.value} vs dense ${dense.value}, gap ${relativeGap(top.value, dense.value)} ${where}`,
        );
        assert.ok(top.residual < 1e-6 * Math.abs(top.value), `Lanczos residual ${top.residual} ${where}`);
      }
    });

    test('the dense Hessian from HVPs equals central finite differences of the gradient', async () => {
      for (const { at, theta } of points) {
        const dense = await denseTop(problem.objective, theta);
        const fd = await finiteDifferenceHessian(problem.objective, theta);
        const err = relativeError(fd, dense.matrix);
        // Measured: 6e-11 to 1.6e-10 over the eight (setting, θ) pairs; a wrong second-derivative rule shows
        // up at 1e-3 or more.
        assert.ok(err < 1e-7, `‖H_fd − H_hvp‖_F / ‖H_hvp‖_F = ${err} at ${at}, h = ${H} (seed ${SEED})`);
      }
    });
  });
}

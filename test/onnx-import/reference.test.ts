// biaslab against PyTorch on the committed fixtures: the loss (1/n) Σᵢ ½‖f(xᵢ) − yᵢ‖², ‖∇L‖₂, the three largest
// Hessian eigenvalues and the Hessian trace at θ₀, all computed by PyTorch in float64 from the same float32
// weights. biaslab's Hessian is the dense matrix of exact HVPs (P products); its eigenvalues come from the dense
// symmetric eigensolver (the transformer's Hessian, with a large block of numerically zero eigenvalues, is also
// the regression case for the solver's absolute deflation test).
// Tolerances: relative 1e-6 in float64, 1e-3 in float32 (eigenvalues relative to max(|λ|, 1e-2·λ₁)). In float64
// the graph goes through `lowerForFloat64` (Conv, AveragePool, … as ops with float64 kernels), as a float64 run
// of an imported CNN does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FloatDType } from '@biaslab/core';
import { lowerForFloat64 } from '@biaslab/autodiff';
import { createObjective, fixBatch } from '@biaslab/runtime';
import { symmetricEigenvalues } from '@biaslab/linalg';
import { denseHessian } from '@biaslab/metrics';
import { FIXTURES, fixtureModel, reference, split } from './fixtures';

const DTYPES: readonly FloatDType[] = ['float64', 'float32'];
const TOLERANCE: Record<FloatDType, number> = { float64: 1e-6, float32: 1e-3 };

function close(actual: number, expected: number, tol: number, scale: number, what: string): void {
  const err = Math.abs(actual - expected) / Math.max(Math.abs(expected), scale);
  assert.ok(
    err <= tol,
    `${what}: biaslab ${actual}, PyTorch ${expected}, relative error ${err.toExponential(2)} > ${tol}`,
  );
}

/** The three largest and the smallest eigenvalue of a dense symmetric matrix (row-major, order p). */
function extremeEigenvalues(h: Float64Array, p: number): { top: number[]; min: number } {
  const values = symmetricEigenvalues(h, p); // ascending
  return { top: [values[p - 1], values[p - 2], values[p - 3]], min: values[0] };
}

for (const name of FIXTURES) {
  for (const dtype of DTYPES) {
    test(`${name} (${dtype}): loss, gradient norm, top Hessian eigenvalues and trace match PyTorch`, async () => {
      const ref = reference(name);
      const model = fixtureModel(name);
      assert.equal(model.layout.size, ref.parameterCount, `${name}: parameter count`);
      const graph = dtype === 'float64' ? lowerForFloat64(fixBatch(model.graph, ref.n)) : model.graph;
      const objective = await createObjective({
        model: { graph, layout: model.layout },
        loss: 'mse',
        data: split(ref, dtype),
        dtype,
        hvp: true,
      });
      try {
        const tol = TOLERANCE[dtype];
        const prediction = await objective.predict(model.init);
        const scale = Math.max(...ref.prediction.map(Math.abs));
        prediction.forEach((p, i) =>
          close(p, ref.prediction[i], tol, scale, `${name} ${dtype} prediction[${i}]`),
        );
        const { loss, grad } = await objective.grad(model.init);
        close(loss, ref.loss, tol, 0, `${name} ${dtype} loss`);
        close(Math.hypot(...grad), ref.gradNorm, tol, 0, `${name} ${dtype} ‖∇L‖₂`);
        const hessian = await denseHessian(objective, model.init);
        const { top, min } = extremeEigenvalues(hessian.matrix, hessian.size);
        top.forEach((l, i) =>
          close(l, ref.hessianTop[i], tol, 1e-2 * ref.hessianTop[0], `${name} ${dtype} λ${i + 1}`),
        );
        close(min, ref.hessianMin, tol, 1e-2 * ref.hessianTop[0], `${name} ${dtype} λ_min`);
        let trace = 0;
        for (let i = 0; i < hessian.size; i++) trace += hessian.matrix[i * hessian.size + i];
        close(trace, ref.hessianTrace, tol, 1e-2 * ref.hessianTop[0], `${name} ${dtype} trace`);
      } finally {
        await objective.dispose();
      }
    });
  }
}

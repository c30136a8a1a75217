// The fixtures are oracles for everything else, so they are checked against closed forms first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import { LeastSquaresOracle, RosenbrockOracle } from './residual-oracle-fixtures';

test('RosenbrockOracle: loss, gradient and Hessian match (1 − x)² + 100(y − x²)²', async () => {
  const rng = new Rng(51);
  const oracle = new RosenbrockOracle();
  for (let k = 0; k < 5; k++) {
    const [x, y] = [rng.uniformIn(-2, 2), rng.uniformIn(-1, 3)];
    const theta = Float64Array.of(x, y);
    const { loss, grad } = await oracle.grad(theta);
    assert.ok(Math.abs(loss - ((1 - x) ** 2 + 100 * (y - x * x) ** 2)) < 1e-12 * Math.max(1, loss));
    const g = [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)];
    const H = [2 - 400 * (y - x * x) + 800 * x * x, -400 * x, -400 * x, 200];
    for (let i = 0; i < 2; i++)
      assert.ok(Math.abs(grad[i] - g[i]) < 1e-10 * Math.max(1, Math.abs(g[i])), `∂${i}`);
    for (let j = 0; j < 2; j++) {
      const hv = await oracle.hvp(theta, Float64Array.of(j === 0 ? 1 : 0, j === 1 ? 1 : 0));
      for (let i = 0; i < 2; i++)
        assert.ok(
          Math.abs(hv[i] - H[i * 2 + j]) < 1e-9 * Math.max(1, Math.abs(H[i * 2 + j])),
          `H[${i}][${j}] (seed 51)`,
        );
    }
    const both = await oracle.minibatch([0, 1]).grad(theta);
    assert.deepEqual(both.grad, grad, 'the minibatch of all samples is the full loss');
  }
});

test('LeastSquaresOracle: Hessian spectrum as requested, minimum at θ*, minibatch of all rows is bit-identical', async () => {
  const eigenvalues = [0.1, 1, 10];
  const { oracle, thetaStar } = LeastSquaresOracle.withHessianSpectrum(15, eigenvalues, new Rng(52));
  assert.ok(oracle.lossAt(thetaStar) < 1e-28);
  // Rayleigh quotients of the dense Hessian bracket the spectrum; its trace is the eigenvalues' sum.
  let trace = 0;
  for (let j = 0; j < 3; j++)
    trace += (
      await oracle.hvp(
        thetaStar,
        Float64Array.from([0, 1, 2], (i) => +(i === j)),
      )
    )[j];
  assert.ok(Math.abs(trace - 11.1) < 1e-12, `trace ${trace}`);
  const theta = new Rng(53).normals(3);
  const all = oracle.minibatch(Array.from({ length: 15 }, (_, i) => i));
  assert.deepEqual((await all.grad(theta)).grad, (await oracle.grad(theta)).grad);
});

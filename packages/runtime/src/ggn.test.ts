import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import { createObjective } from './objective';
import { dot, mlpGraph, randomSplit, relErr } from './objective-fixtures';

const SEED = 20261202;

/** Dense P×P matrix with column j = op(e_j). */
async function dense(size: number, op: (v: Float64Array) => Promise<Float64Array>): Promise<Float64Array[]> {
  const cols: Float64Array[] = [];
  for (let j = 0; j < size; j++) {
    const e = new Float64Array(size);
    e[j] = 1;
    cols.push(await op(e));
  }
  return cols;
}

/** Jᵀ H_ℓ J from a Jacobian of the predictions by central differences and H_ℓ written out per loss. */
async function gaussNewtonByDifferences(
  predict: (theta: Float64Array) => Promise<Float64Array>,
  theta: Float64Array,
  n: number,
  k: number,
  loss: 'mse' | 'cross-entropy',
): Promise<Float64Array[]> {
  const h = 1e-6;
  const jac: Float64Array[] = []; // jac[j] = ∂f/∂θ_j, flattened [n·k]
  for (let j = 0; j < theta.length; j++) {
    const plus = Float64Array.from(theta);
    const minus = Float64Array.from(theta);
    plus[j] += h;
    minus[j] -= h;
    const [fp, fm] = [await predict(plus), await predict(minus)];
    jac.push(fp.map((v, i) => (v - fm[i]) / (2 * h)));
  }
  const f = await predict(theta);
  // H_ℓ w per sample: w/n (MSE), (diag(p) − ppᵀ) w / n (softmax cross-entropy)
  const applyH = (w: Float64Array) => {
    const out = new Float64Array(w.length);
    for (let i = 0; i < n; i++) {
      const row = f.subarray(i * k, (i + 1) * k);
      const wi = w.subarray(i * k, (i + 1) * k);
      if (loss === 'mse') for (let c = 0; c < k; c++) out[i * k + c] = wi[c] / n;
      else {
        const m = Math.max(...row);
        const e = row.map((r) => Math.exp(r - m));
        const z = e.reduce((a, b) => a + b, 0);
        const p = e.map((x) => x / z);
        const pw = dot(p, wi);
        for (let c = 0; c < k; c++) out[i * k + c] = (p[c] * wi[c] - p[c] * pw) / n;
      }
    }
    return out;
  };
  return jac.map((jj) => {
    const hj = applyH(jj);
    return Float64Array.from(jac, (ji) => dot(ji, hj));
  });
}

for (const loss of ['mse', 'cross-entropy'] as const) {
  test(`GGN of a tanh MLP with ${loss}: equals Jᵀ H_ℓ J from a finite-difference Jacobian, symmetric, PSD (float64, seed ${SEED})`, async () => {
    const rng = new Rng(SEED);
    const [n, inDim, out] = [6, 3, 3];
    const model = mlpGraph(inDim, [4], out);
    const objective = await createObjective({
      model,
      loss,
      data: randomSplit(rng, n, inDim, out, loss === 'cross-entropy'),
      dtype: 'float64',
    });
    try {
      const theta = rng.normals(model.layout.size).map((t) => 0.7 * t);
      const g = await dense(model.layout.size, (v) => objective.ggnvp(theta, v));
      const ref = await gaussNewtonByDifferences((t) => objective.predict(t), theta, n, out, loss);
      const flat = (m: Float64Array[]) => Float64Array.from(m.flatMap((c) => [...c]));
      assert.ok(
        relErr(flat(g), flat(ref)) < 1e-7,
        `GGN vs Jᵀ H J rel=${relErr(flat(g), flat(ref))} seed=${SEED}`,
      );
      let asym = 0;
      for (let i = 0; i < g.length; i++)
        for (let j = 0; j < g.length; j++) asym = Math.max(asym, Math.abs(g[j][i] - g[i][j]));
      assert.ok(asym < 1e-13, `max |G_ij − G_ji| = ${asym} seed=${SEED}`);
      for (let trial = 0; trial < 20; trial++) {
        const v = rng.normals(model.layout.size);
        const q = dot(v, await objective.ggnvp(theta, v));
        assert.ok(q >= -1e-13, `⟨v, Gv⟩ = ${q} < 0 (trial ${trial}) seed=${SEED}`);
      }
      // G differs from the Hessian away from a minimum (the residual term); it must not be the HVP by accident
      const v = rng.normals(model.layout.size);
      assert.ok(relErr(await objective.ggnvp(theta, v), await objective.hvp(theta, v)) > 1e-3);
    } finally {
      await objective.dispose();
    }
  });
}

test(`GGN equals the Hessian for a linear model with MSE (float64, seed ${SEED})`, async () => {
  const rng = new Rng(SEED + 1);
  const [n, inDim, out] = [9, 4, 2];
  const model = mlpGraph(inDim, [], out);
  const objective = await createObjective({
    model,
    loss: 'mse',
    data: randomSplit(rng, n, inDim, out, false),
    dtype: 'float64',
  });
  try {
    for (let trial = 0; trial < 3; trial++) {
      const theta = rng.normals(model.layout.size);
      const v = rng.normals(model.layout.size);
      const [gv, hv] = [await objective.ggnvp(theta, v), await objective.hvp(theta, v)];
      assert.ok(relErr(gv, hv) < 1e-13, `trial ${trial}: rel=${relErr(gv, hv)} seed=${SEED}`);
    }
  } finally {
    await objective.dispose();
  }
});

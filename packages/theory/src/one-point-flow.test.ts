import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBiaslabError } from '@biaslab/core';
import { onePointFlowLimit, onePointSharpness, onePointPathBeta } from './one-point-flow';
import { onePointFlowSharpness, onePointFlowTrajectory } from './one-point-critical-rate';
import { symmetricEigen } from '@biaslab/linalg';

/** Independent oracle: ∇²L from second differences of L(w) = ½(⟨x, w⊙w⟩ − y)², dense eigenvalues. */
function finiteDifferenceSharpness(x: number[], y: number, w: Float64Array): number {
  const d = x.length;
  const loss = (v: Float64Array) => {
    let f = -y;
    for (let i = 0; i < d; i++) f += x[i] * v[i] * v[i];
    return 0.5 * f * f;
  };
  const h = 1e-4;
  const H = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const at = (si: number, sj: number) => {
        const v = Float64Array.from(w);
        v[i] += si * h;
        v[j] += sj * h;
        return loss(v);
      };
      H[i * d + j] = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
    }
  }
  const { values } = symmetricEigen(H, d);
  return Math.abs(values[0]) > Math.abs(values[d - 1]) ? values[0] : values[d - 1];
}

/** Independent flow: RK4 on ẇ = −2r(x⊙w) in parameter space. */
function integrateFlow(
  x: number[],
  y: number,
  alpha: number,
  h: number,
  until: (t: number, loss: number) => boolean,
) {
  const d = x.length;
  const field = (w: Float64Array, out: Float64Array) => {
    let r = -y;
    for (let i = 0; i < d; i++) r += x[i] * w[i] * w[i];
    for (let i = 0; i < d; i++) out[i] = -2 * r * x[i] * w[i];
  };
  const k = [1, 2, 3, 4].map(() => new Float64Array(d));
  const tmp = new Float64Array(d);
  let w = new Float64Array(d).fill(alpha);
  let t = 0;
  const path: { t: number; w: Float64Array; loss: number }[] = [];
  for (;;) {
    let r = -y;
    for (let i = 0; i < d; i++) r += x[i] * w[i] * w[i];
    path.push({ t, w, loss: 0.5 * r * r });
    if (until(t, 0.5 * r * r)) break;
    field(w, k[0]);
    for (let i = 0; i < d; i++) tmp[i] = w[i] + 0.5 * h * k[0][i];
    field(tmp, k[1]);
    for (let i = 0; i < d; i++) tmp[i] = w[i] + 0.5 * h * k[1][i];
    field(tmp, k[2]);
    for (let i = 0; i < d; i++) tmp[i] = w[i] + h * k[2][i];
    field(tmp, k[3]);
    w = Float64Array.from(w, (wi, i) => wi + (h / 6) * (k[0][i] + 2 * k[1][i] + 2 * k[2][i] + k[3][i]));
    t += h;
  }
  return path;
}

const cases: { x: number[]; y: number; alpha: number }[] = [
  { x: [1, 0.2], y: 1, alpha: 0.1 },
  { x: [0.5, 1.5, 1], y: 2, alpha: 0.3 },
  { x: [1, -0.5, 0.3], y: 0.7, alpha: 0.5 },
  { x: [1, -0.5], y: -0.4, alpha: 0.2 },
  { x: [1, -0.5], y: 0, alpha: 0.7 },
];

test('closed-form flow limit β_GF,i = α² e^{c x_i} equals an RK4 integration of ẇ = −2r(x⊙w)', () => {
  for (const p of cases) {
    const limit = onePointFlowLimit(p);
    const path = integrateFlow(p.x, p.y, p.alpha, 4e-3, (t, loss) => loss < 1e-28 || t > 200);
    assert.ok(
      path.at(-1)!.loss < 1e-24,
      `case ${JSON.stringify(p)}: flow converged (loss ${path.at(-1)!.loss})`,
    );
    const w = path.at(-1)!.w;
    for (let i = 0; i < p.x.length; i++) {
      const beta = w[i] * w[i];
      assert.ok(
        Math.abs(beta - limit.beta[i]) < 1e-9 * Math.max(1, limit.beta[i]),
        `case ${JSON.stringify(p)}: β[${i}] flow ${beta} vs closed form ${limit.beta[i]}`,
      );
    }
    let fit = -p.y;
    for (let i = 0; i < p.x.length; i++) fit += p.x[i] * limit.beta[i];
    assert.ok(Math.abs(fit) < 1e-13, `interpolates: residual ${fit}`);
  }
});

test('the flow stays on the path β(c) and c(t) from ċ = −4r(c) matches the parameter-space flow in time', () => {
  const p = cases[2];
  const trajectory = onePointFlowTrajectory(p, { epsilon: 1e-12, hMax: 1e-3 });
  const path = integrateFlow(p.x, p.y, p.alpha, 1e-3, (t) => t >= 1.5);
  for (const { t, w } of path.filter((_, k) => k % 100 === 0)) {
    const k = trajectory.t.findIndex((s) => Math.abs(s - t) < 1e-9);
    assert.ok(k >= 0, `trajectory sampled at t = ${t}`);
    const beta = onePointPathBeta(p, trajectory.c[k]);
    for (let i = 0; i < p.x.length; i++) {
      assert.ok(
        Math.abs(w[i] * w[i] - beta[i]) < 1e-10,
        `t = ${t}: β[${i}] ${w[i] * w[i]} vs path ${beta[i]}`,
      );
    }
  }
});

test('one-point sharpness (secular equation) matches finite-difference Hessians', () => {
  for (const p of cases) {
    for (const scale of [0.3, 1, 2.5]) {
      const w = Float64Array.from(p.x, (_, i) => scale * p.alpha * (1 + 0.3 * i));
      const exact = onePointSharpness(p.x, p.y, w);
      const fd = finiteDifferenceSharpness(p.x, p.y, w);
      assert.ok(
        Math.abs(exact - fd) < 1e-6 * Math.max(1, Math.abs(fd)),
        `case ${JSON.stringify(p)}: ${exact} vs ${fd}`,
      );
    }
  }
});

test('s_GF equals the maximum of the dense-Hessian sharpness along an integrated flow', () => {
  for (const p of cases.slice(0, 3)) {
    for (const epsilon of [0, 1e-8]) {
      const { sGF, etaC } = onePointFlowSharpness(p, { epsilon });
      const stop = epsilon > 0 ? epsilon : 1e-26;
      const path = integrateFlow(p.x, p.y, p.alpha, 5e-4, (t, loss) => loss < stop || t > 100);
      let sMax = 0;
      for (const { w } of path) {
        const d = p.x.length;
        let r = -p.y;
        for (let i = 0; i < d; i++) r += p.x[i] * w[i] * w[i];
        const H = new Float64Array(d * d);
        for (let i = 0; i < d; i++) {
          for (let j = 0; j < d; j++)
            H[i * d + j] = 4 * p.x[i] * w[i] * p.x[j] * w[j] + (i === j ? 2 * r * p.x[i] : 0);
        }
        const { values } = symmetricEigen(H, d);
        sMax = Math.max(sMax, Math.abs(values[0]), Math.abs(values[d - 1]));
      }
      // the sampled path differs from the exact one by its step (and stops at the first sample with loss < ε)
      assert.ok(
        Math.abs(sGF - sMax) < 2e-5 * sGF,
        `case ${JSON.stringify(p)} ε=${epsilon}: s_GF ${sGF} vs sampled ${sMax}`,
      );
      assert.equal(etaC, 2 / sGF);
    }
  }
});

test('reproduces the main job: x = (1, 0.2), y = 1, α = 0.1 gives s_GF = 3.983 and η_c = 0.5021 at ε = 1e-8', () => {
  const p = cases[0];
  const atEps = onePointFlowSharpness(p, { epsilon: 1e-8 });
  assert.equal(atEps.sGF.toPrecision(4), '3.983');
  assert.equal(atEps.etaC.toPrecision(4), '0.5021');
  const limit = onePointFlowSharpness(p);
  assert.ok(Math.abs(limit.sGF - 3.98394) < 1e-5, `s_GF at the limit ${limit.sGF}`);
  const trajectory = onePointFlowTrajectory(p, { epsilon: 1e-8 });
  assert.ok(trajectory.tEps !== null && Math.abs(trajectory.tEps - 3.4) < 0.05, `t_ε ${trajectory.tEps}`);
  const sampled = Math.max(...Array.from(trajectory.sharpness, Math.abs));
  assert.ok(Math.abs(sampled - atEps.sGF) < 1e-4, `sampled along the trajectory ${sampled} vs ${atEps.sGF}`);
});

test('domain: no finite flow limit when no x_i has the sign of y', () => {
  for (const p of [
    { x: [-1, -0.2], y: 1, alpha: 0.1 },
    { x: [1, 0.2], y: -1, alpha: 0.1 },
    { x: [1, 0.2], y: 0, alpha: 0.1 },
    { x: [1, 0.2], y: 1, alpha: 0 },
  ]) {
    assert.throws(
      () => onePointFlowLimit(p),
      (e) => isBiaslabError(e, 'INVALID_OPTIONS'),
      JSON.stringify(p),
    );
  }
});

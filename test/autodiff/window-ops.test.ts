import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import type { Graph, Tensor } from '@biaslab/core';
import { GraphBuilder, attr, convertFloatType } from '@biaslab/onnx';
import { float64Blockers, gradientGraph, hvpGraph, lowerForFloat64 } from '@biaslab/autodiff';
import { GraphSession } from '@biaslab/runtime';
import {
  castAll,
  directions,
  dot,
  flat,
  randomTensor,
  relErr,
  relErrVec,
  scalarOut,
  shifted,
  tangentOf,
} from './harness';

const SEED = 6607;
const H = 1e-5;

test(`MaxPool ties: the cotangent goes to the first maximum, the position onnxruntime's Indices names (seed ${SEED})`, async () => {
  const rng = new Rng(SEED);
  const shape = [2, 2, 5, 6];
  const g = new GraphBuilder('maxpool-ties', 17);
  const x = g.addInput('x', 'float64', shape);
  const [y, indices] = g.opMulti('MaxPool', [x], 2, {
    kernel_shape: attr.ints([3, 2]),
    strides: attr.ints([1, 2]),
    pads: attr.ints([1, 0, 1, 1]),
  });
  const c = randomTensor(rng, 'float64', [2, 2, 5, 3], [-1, 1], false);
  const loss = g.op('ReduceSum', [g.op('Mul', [y, g.constant(c)])], { keepdims: attr.int(0) });
  g.addOutput(loss, 'float64', []);
  g.addOutput(indices, 'int64', [2, 2, 5, 3]);
  // values from {0, 1, 2}: nearly every window has a tie for its maximum
  const data = Float64Array.from({ length: 120 }, () => Math.floor(rng.uniform() * 3));
  const feeds = { x: { dtype: 'float64', shape, data } as Tensor };
  const forward = await GraphSession.create(g.build());
  const idx = (await forward.run(feeds))[indices].data as BigInt64Array;
  const s = await GraphSession.create(gradientGraph(g.build(), { loss, wrt: ['x'] }));
  const out = await s.run(feeds);
  await Promise.all([s.release(), forward.release()]);
  const expected = new Float64Array(120);
  idx.forEach((i, o) => (expected[Number(i)] += (c.data as Float64Array)[o]));
  assert.deepEqual(Array.from(out['grad/x'].data as Float64Array), Array.from(expected), `seed ${SEED}`);
});

/**
 * A small CNN: Conv(pads 1) → Relu → MaxPool 2×2 → grouped Conv (stride 2, SAME_UPPER) → Softplus →
 * AveragePool 2×2 (pads, count_include_pad 0) → Conv 1×1 → GlobalAveragePool → Flatten → Gemm → MSE.
 */
function cnn(opset: number): { graph: Graph; loss: string; params: Record<string, number[]> } {
  const params: Record<string, number[]> = {
    W1: [4, 2, 3, 3],
    b1: [4],
    W2: [6, 2, 3, 3],
    W3: [3, 6, 1, 1],
    b3: [3],
    W4: [3, 2],
  };
  const g = new GraphBuilder('cnn', opset);
  const x = g.constant(randomTensor(new Rng(SEED + 1), 'float64', [3, 2, 8, 8], [-1, 1], false), 'x');
  for (const [name, shape] of Object.entries(params)) g.addInput(name, 'float64', shape);
  let h = g.op('Conv', [x, 'W1', 'b1'], { pads: attr.ints([1, 1, 1, 1]) });
  h = g.op('MaxPool', [g.op('Relu', [h])], { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) });
  h = g.op('Conv', [h, 'W2'], {
    group: attr.int(2),
    strides: attr.ints([2, 2]),
    auto_pad: attr.string('SAME_UPPER'),
  });
  h = g.op('AveragePool', [g.op('Softplus', [h])], {
    kernel_shape: attr.ints([2, 2]),
    pads: attr.ints([1, 1, 0, 0]),
  });
  h = g.op('GlobalAveragePool', [g.op('Conv', [h, 'W3', 'b3'])]);
  const z = g.op('Gemm', [g.op('Flatten', [h]), 'W4']);
  const target = g.constant(randomTensor(new Rng(SEED + 2), 'float64', [3, 2], [-1, 1], false), 'y');
  const r = g.op('Sub', [z, target]);
  const loss = g.op('Mul', [
    g.op('ReduceSum', [g.op('Mul', [r, r])], { keepdims: attr.int(0) }),
    g.scalar(0.5 / 3, 'float64'),
  ]);
  g.addOutput(loss, 'float64', []);
  return { graph: g.build(), loss, params };
}

test(`small CNN: lowered float64 gradient and HVP are exact, and the float32 rules agree (seed ${SEED + 3})`, async () => {
  const rng = new Rng(SEED + 3);
  const { graph, loss, params } = cnn(17);
  const wrt = Object.keys(params);
  const specs = Object.entries(params).map(([name, shape]) => ({ name, shape }));
  const theta: Record<string, Tensor> = {};
  for (const sp of specs) theta[sp.name] = randomTensor(rng, 'float32', sp.shape, [-0.8, 0.8], false);
  const theta64 = castAll(theta, 'float64');
  const low = lowerForFloat64(graph);
  assert.deepEqual(float64Blockers(low), []);
  assert.deepEqual(
    float64Blockers(graph).map((b) => b.op),
    [],
  );
  const s64 = await GraphSession.create(hvpGraph(low, { loss, wrt }));
  const [t, u, v] = [0, 1, 2].map(() => castAll(directions(rng, 'float32', specs), 'float64'));
  const atV = await s64.run({ ...theta64, ...tangentOf(v) });
  const atU = await s64.run({ ...theta64, ...tangentOf(u) });
  const lp = await scalarOut(s64, { ...shifted(theta64, t, H), ...tangentOf(v) }, loss);
  const lm = await scalarOut(s64, { ...shifted(theta64, t, -H), ...tangentOf(v) }, loss);
  const eG = relErr(
    dot(t, atV, (n) => `grad/${n}`),
    (lp - lm) / (2 * H),
  );
  assert.ok(eG < 1e-6, `gradient vs central difference rel ${eG.toExponential(2)}`);
  const eS = relErr(
    dot(u, atV, (n) => `hvp/${n}`),
    dot(v, atU, (n) => `hvp/${n}`),
    1e-9,
  );
  assert.ok(eS < 1e-9, `⟨u,Hv⟩ vs ⟨v,Hu⟩ rel ${eS.toExponential(2)}`);
  const gradNames = wrt.map((n) => `grad/${n}`);
  const hvNames = wrt.map((n) => `hvp/${n}`);
  const gp = flat(await s64.run({ ...shifted(theta64, v, H), ...tangentOf(v) }), gradNames);
  const gm = flat(await s64.run({ ...shifted(theta64, v, -H), ...tangentOf(v) }), gradNames);
  const eH = relErrVec(
    flat(atV, hvNames),
    gp.map((p, i) => (p - gm[i]) / (2 * H)),
  );
  assert.ok(eH < 1e-6, `Hv vs finite differences of the gradient rel ${eH.toExponential(2)}`);
  await s64.release();
  // the unlowered graph in float32 (Conv, AveragePool, GlobalAveragePool rules) against the float64 lowering
  const s32 = await GraphSession.create(hvpGraph(convertFloatType(graph, 'float32'), { loss, wrt }));
  const out32 = await s32.run({ ...theta, ...tangentOf(castAll(v, 'float32')) });
  await s32.release();
  const e32g = relErrVec(flat(out32, gradNames), flat(atV, gradNames));
  const e32h = relErrVec(flat(out32, hvNames), flat(atV, hvNames));
  console.log(
    `# CNN float64 lowered: gradient ${eG.toExponential(2)}, symmetry ${eS.toExponential(2)}, HVP ${eH.toExponential(2)}; float32 rules vs float64: gradient ${e32g.toExponential(2)}, HVP ${e32h.toExponential(2)}`,
  );
  assert.ok(
    e32g < 1e-4 && e32h < 1e-4,
    `float32 vs float64: gradient rel ${e32g.toExponential(2)}, HVP rel ${e32h.toExponential(2)}`,
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '@biaslab/core';
import type { Graph, Tensor } from '@biaslab/core';
import { attr, convertFloatType, inferTypes } from '@biaslab/onnx';
import { VJP_RULES, float64Blockers, gradientGraph, hvpGraph, lowerForFloat64 } from '@biaslab/autodiff';
import type { RuleSample, VjpRule } from '@biaslab/autodiff';
import { GraphSession } from '@biaslab/runtime';
import {
  castAll,
  tangentOf,
  directions,
  dot,
  flat,
  nodeProblem,
  randomTensor,
  relErr,
  relErrVec,
  scalarOut,
  shifted,
} from './harness';

const BASE_SEED = 5501;
const H = 1e-5;

/** The ops `lowerForFloat64` rewrites, checked on every sample of their rules. */
const LOWERED = ['Conv', 'AveragePool', 'GlobalAveragePool', 'Softplus', 'Elu', 'LeakyRelu'];

/** AveragePool with dilations exists from opset 19 only, so it is not a rule sample (those run at 13). */
const DILATED_AVERAGE: RuleSample = {
  label: '2-D dilations 2, pads, ceil_mode (opset 19)',
  inputs: [{ float: [1, 2, 7, 6] }],
  attributes: {
    kernel_shape: attr.ints([2, 2]),
    dilations: attr.ints([2, 2]),
    pads: attr.ints([1, 0, 0, 1]),
    strides: attr.ints([2, 1]),
    ceil_mode: attr.int(1),
  },
};

const worst = { forward: 0, grad: 0, sym: 0, hvp: 0, ruleGrad: 0, ruleHvp: 0 };

interface Case {
  rule: VjpRule;
  sample: RuleSample;
  opset: number;
}

const cases: Case[] = VJP_RULES.filter((r) => LOWERED.includes(r.op)).flatMap((rule) =>
  // ReduceMean (GlobalAveragePool's lowering) takes its axes as an input from opset 18
  rule.samples.flatMap((sample) =>
    (rule.op === 'GlobalAveragePool' ? [17, 18] : [17]).map((opset) => ({ rule, sample, opset })),
  ),
);
cases.push({ rule: VJP_RULES.find((r) => r.op === 'AveragePool')!, sample: DILATED_AVERAGE, opset: 19 });

/** The graph with the op's output `y` as its only output. */
function opOutput(graph: Graph): Graph {
  const t = inferTypes(graph).get('y')!;
  return { ...graph, outputs: [{ name: 'y', dtype: t.dtype, shape: t.shape }] };
}

cases.forEach(({ rule, sample, opset }, i) => {
  const seed = BASE_SEED + i;
  const label = `${rule.op} ${sample.label} @opset ${opset} lowered (seed ${seed})`;
  test(label, async () => {
    const rng = new Rng(seed);
    const linear = nodeProblem(rule, sample, opset, 'float64', 'linear', rng)!;
    const curved = nodeProblem(rule, sample, opset, 'float64', 'tanh', new Rng(seed + 1))!;
    const low = lowerForFloat64(linear.graph);
    const lowCurved = lowerForFloat64(curved.graph);
    assert.ok(
      !low.nodes.some((n) => n.op === rule.op),
      `${label}: \`${rule.op}\` is still in the lowered graph`,
    );
    assert.deepEqual(float64Blockers(low), [], `${label}: the lowered graph still has float64 blockers`);
    const x: Record<string, Tensor> = {};
    for (const f of linear.floats) x[f.name] = randomTensor(rng, 'float64', f.shape, f.range, f.signed);
    const wrt = linear.floats.map((f) => f.name);

    // forward: the original op in float32 vs the lowered graph in float64
    const x32 = castAll(x, 'float32');
    const original = await GraphSession.create(opOutput(convertFloatType(linear.graph, 'float32')));
    const lowered = await GraphSession.create(opOutput(low));
    const y32 = (await original.run(x32)).y;
    const y64 = (await lowered.run(castAll(x32, 'float64'))).y;
    assert.deepEqual(y64.shape, y32.shape, `${label}: output shapes`);
    const eF = relErrVec(y32.data as Float32Array, y64.data as Float64Array);
    worst.forward = Math.max(worst.forward, eF);
    assert.ok(eF < 1e-6, `${label}: float32 original vs float64 lowered forward rel ${eF.toExponential(2)}`);
    await Promise.all([original.release(), lowered.release()]);

    // float64 conformance of the lowered graph: ⟨t,∇L⟩ vs central differences
    const gs = await GraphSession.create(gradientGraph(low, { loss: linear.loss, wrt }));
    const t = directions(rng, 'float64', linear.floats);
    const analytic = dot(t, await gs.run(x), (n) => `grad/${n}`);
    const numeric =
      ((await scalarOut(gs, shifted(x, t, H), linear.loss)) -
        (await scalarOut(gs, shifted(x, t, -H), linear.loss))) /
      (2 * H);
    const e1 = relErr(analytic, numeric);
    worst.grad = Math.max(worst.grad, e1);
    assert.ok(
      e1 < 1e-6,
      `${label}: ⟨t,∇L⟩ ${analytic} vs central difference ${numeric} (rel ${e1.toExponential(2)})`,
    );
    await gs.release();

    // HVP symmetry and HVP vs central differences of the gradient, through a tanh head
    const hs = await GraphSession.create(hvpGraph(lowCurved, { loss: curved.loss, wrt }));
    const [u, v] = [directions(rng, 'float64', curved.floats), directions(rng, 'float64', curved.floats)];
    const atV = await hs.run({ ...x, ...tangentOf(v) });
    const atU = await hs.run({ ...x, ...tangentOf(u) });
    const eSym = relErr(
      dot(u, atV, (n) => `hvp/${n}`),
      dot(v, atU, (n) => `hvp/${n}`),
      1e-9,
    );
    worst.sym = Math.max(worst.sym, eSym);
    assert.ok(eSym < 1e-9, `${label}: ⟨u,Hv⟩ vs ⟨v,Hu⟩ rel ${eSym.toExponential(2)}`);
    const gradNames = wrt.map((n) => `grad/${n}`);
    const hvNames = wrt.map((n) => `hvp/${n}`);
    const gp = flat(await hs.run({ ...shifted(x, v, H), ...tangentOf(v) }), gradNames);
    const gm = flat(await hs.run({ ...shifted(x, v, -H), ...tangentOf(v) }), gradNames);
    const hv64 = flat(atV, hvNames);
    const e2 = relErrVec(
      hv64,
      gp.map((p, k) => (p - gm[k]) / (2 * H)),
    );
    worst.hvp = Math.max(worst.hvp, e2);
    assert.ok(e2 < 1e-6, `${label}: Hv vs finite differences of the gradient rel ${e2.toExponential(2)}`);

    // the float32 rule of the original op against the float64 lowered graph, at the same point
    const rs = await GraphSession.create(
      hvpGraph(convertFloatType(curved.graph, 'float32'), { loss: curved.loss, wrt }),
    );
    const r32 = await rs.run({ ...x32, ...tangentOf(castAll(v, 'float32')) });
    const ref = await hs.run({
      ...castAll(x32, 'float64'),
      ...tangentOf(castAll(castAll(v, 'float32'), 'float64')),
    });
    const eG = relErrVec(flat(r32, gradNames), flat(ref, gradNames));
    const eH = relErrVec(flat(r32, hvNames), flat(ref, hvNames));
    worst.ruleGrad = Math.max(worst.ruleGrad, eG);
    worst.ruleHvp = Math.max(worst.ruleHvp, eH);
    assert.ok(eG < 1e-5, `${label}: float32 rule gradient vs float64 lowered rel ${eG.toExponential(2)}`);
    assert.ok(eH < 1e-5, `${label}: float32 rule HVP vs float64 lowered rel ${eH.toExponential(2)}`);
    await Promise.all([rs.release(), hs.release()]);
  });
});

test('worst errors of the float64 lowering', () => {
  console.log(
    `# lowering: forward f32 vs f64 ${worst.forward.toExponential(2)}; lowered f64 gradient ${worst.grad.toExponential(2)}, ` +
      `HVP symmetry ${worst.sym.toExponential(2)}, HVP vs FD ${worst.hvp.toExponential(2)}; ` +
      `f32 rules vs f64 lowered: gradient ${worst.ruleGrad.toExponential(2)}, HVP ${worst.ruleHvp.toExponential(2)}`,
  );
});

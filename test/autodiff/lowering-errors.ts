// The float64 lowering table as data and measurements: every op whose definition has a float64 lowering, on
// every sample of its rules the lowering applies to, and the errors of the lowered graph. `float64-lowering.test.ts`
// asserts the bounds; `test/reports/autodiff-errors.ts` prints the worst errors.
import { Rng } from '@biaslab/core';
import type { Graph, Tensor } from '@biaslab/core';
import { GraphSession } from '@biaslab/runtime';
import { attr, convertFloatType, inferTypes } from '@biaslab/onnx';
import { OPS, VJP_RULES, gradientGraph, hvpGraph, lowerForFloat64 } from '@biaslab/autodiff';
import type { RuleSample, VjpRule } from '@biaslab/autodiff';
import {
  castAll,
  directions,
  dot,
  flat,
  nodeProblem,
  randomTensor,
  relErr,
  relErrVec,
  scalarOut,
  shifted,
  tangentOf,
} from './harness';
import type { Check } from './rule-errors';

const BASE_SEED = 5501;
const H = 1e-5;

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

/** One lowered op × sample × opset, with its seed. */
export interface LoweringCase {
  readonly rule: VjpRule;
  readonly sample: RuleSample;
  readonly opset: number;
  readonly seed: number;
  readonly name: string;
}

/** True when `rule`'s op has a float64 lowering that applies to `sample`'s node. */
function lowers(rule: VjpRule, sample: RuleSample): boolean {
  const lowering = OPS.get(rule.op)?.float64?.lowering;
  const node = { op: rule.op, name: 'y', inputs: [], outputs: ['y'], attributes: sample.attributes ?? {} };
  return !!lowering && (lowering.applies?.(node) ?? true);
}

/**
 * Every sample a lowering applies to, at opset 17 (or the rule's first opset when later; GlobalAveragePool
 * also at 18, where its ReduceMean form takes axes as an input), and the dilated AveragePool at 19.
 */
export function loweringCases(): LoweringCase[] {
  const raw = VJP_RULES.flatMap((rule) =>
    rule.samples
      .filter((sample) => lowers(rule, sample))
      .flatMap((sample) =>
        (rule.op === 'GlobalAveragePool' ? [17, 18] : [Math.max(17, rule.since)]).map((opset) => ({
          rule,
          sample,
          opset,
        })),
      ),
  );
  raw.push({ rule: VJP_RULES.find((r) => r.op === 'AveragePool')!, sample: DILATED_AVERAGE, opset: 19 });
  return raw.map((c, i) => ({
    ...c,
    seed: BASE_SEED + i,
    name: `${c.rule.op} ${c.sample.label} @opset ${c.opset} lowered (seed ${BASE_SEED + i})`,
  }));
}

/** The graph with the op's output `y` as its only output. */
function opOutput(graph: Graph): Graph {
  const t = inferTypes(graph, OPS).get('y')!;
  return { ...graph, outputs: [{ name: 'y', dtype: t.dtype, shape: t.shape }] };
}

/** A check of `err` against `bound`. */
const check = (err: number, bound: number, detail: string): Check => ({ err, bound, detail });

/**
 * The graphs of a case: the one-node problems (linear and tanh head) and their lowerings, and the random point.
 */
export function loweringProblem(c: LoweringCase) {
  const rng = new Rng(c.seed);
  const linear = nodeProblem(c.rule, c.sample, c.opset, 'float64', 'linear', rng)!;
  const curved = nodeProblem(c.rule, c.sample, c.opset, 'float64', 'tanh', new Rng(c.seed + 1))!;
  const x: Record<string, Tensor> = {};
  for (const f of linear.floats) x[f.name] = randomTensor(rng, 'float64', f.shape, f.range, f.signed);
  const low = lowerForFloat64(linear.graph);
  const lowCurved = lowerForFloat64(curved.graph);
  return { rng, linear, curved, low, lowCurved, x, wrt: linear.floats.map((f) => f.name) };
}

/**
 * Measures a case: the original op in float32 against the lowered graph in float64 (forward); the lowered
 * graph's float64 gradient vs central differences, HVP symmetry and HVP vs differences of the gradient; and
 * the float32 rule of the original op against the float64 lowered graph at the same point.
 */
export async function loweringErrors(c: LoweringCase): Promise<Record<string, Check>> {
  const { rng, linear, curved, low, lowCurved, x, wrt } = loweringProblem(c);
  const x32 = castAll(x, 'float32');
  const original = await GraphSession.create(opOutput(convertFloatType(linear.graph, 'float32')));
  const lowered = await GraphSession.create(opOutput(low));
  const y32 = (await original.run(x32)).y;
  const y64 = (await lowered.run(castAll(x32, 'float64'))).y;
  await Promise.all([original.release(), lowered.release()]);
  const shapes = y64.shape.join(',') === y32.shape.join(',') ? 0 : Infinity;
  const forward = relErrVec(y32.data as Float32Array, y64.data as Float64Array) + shapes;

  const gs = await GraphSession.create(gradientGraph(low, { loss: linear.loss, wrt }));
  const t = directions(rng, 'float64', linear.floats);
  const analytic = dot(t, await gs.run(x), (n) => `grad/${n}`);
  const lp = await scalarOut(gs, shifted(x, t, H), linear.loss);
  const numeric = (lp - (await scalarOut(gs, shifted(x, t, -H), linear.loss))) / (2 * H);
  await gs.release();

  const hs = await GraphSession.create(hvpGraph(lowCurved, { loss: curved.loss, wrt }));
  const [u, v] = [directions(rng, 'float64', curved.floats), directions(rng, 'float64', curved.floats)];
  const atV = await hs.run({ ...x, ...tangentOf(v) });
  const atU = await hs.run({ ...x, ...tangentOf(u) });
  const [gradNames, hvNames] = [wrt.map((n) => `grad/${n}`), wrt.map((n) => `hvp/${n}`)];
  const gp = flat(await hs.run({ ...shifted(x, v, H), ...tangentOf(v) }), gradNames);
  const gm = flat(await hs.run({ ...shifted(x, v, -H), ...tangentOf(v) }), gradNames);
  const fd = gp.map((p, k) => (p - gm[k]) / (2 * H));

  const rs = await GraphSession.create(
    hvpGraph(convertFloatType(curved.graph, 'float32'), { loss: curved.loss, wrt }),
  );
  const r32 = await rs.run({ ...x32, ...tangentOf(castAll(v, 'float32')) });
  const v64 = castAll(castAll(v, 'float32'), 'float64');
  const ref = await hs.run({ ...castAll(x32, 'float64'), ...tangentOf(v64) });
  await Promise.all([rs.release(), hs.release()]);
  return {
    forward: check(forward, 1e-6, 'float32 original vs float64 lowered forward (shapes must agree)'),
    grad: check(relErr(analytic, numeric), 1e-6, `⟨t,∇L⟩ ${analytic} vs central difference ${numeric}`),
    sym: check(
      relErr(
        dot(u, atV, (n) => `hvp/${n}`),
        dot(v, atU, (n) => `hvp/${n}`),
        1e-9,
      ),
      1e-9,
      '⟨u,Hv⟩ vs ⟨v,Hu⟩',
    ),
    hvp: check(relErrVec(flat(atV, hvNames), fd), 1e-6, 'Hv vs finite differences of the gradient'),
    ruleGrad: check(
      relErrVec(flat(r32, gradNames), flat(ref, gradNames)),
      1e-5,
      'float32 rule gradient vs float64 lowered',
    ),
    ruleHvp: check(
      relErrVec(flat(r32, hvNames), flat(ref, hvNames)),
      1e-5,
      'float32 rule HVP vs float64 lowered',
    ),
  };
}

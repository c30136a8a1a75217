// The conformance table of the VJP rules as data and measurements: which rule × sample × opset cases there
// are, what onnxruntime's float64 support should be for each (from the op definitions), and the errors of one
// case against finite differences. `conformance.test.ts` asserts the bounds; `test/reports/autodiff-errors.ts`
// prints the worst errors.
import { Rng, isBiaslabError } from '@biaslab/core';
import type { FloatDType, Tensor } from '@biaslab/core';
import { OPS, VJP_RULES, gradientGraph, hvpGraph } from '@biaslab/autodiff';
import type { RuleSample, VjpRule } from '@biaslab/autodiff';
import { GraphSession, float64BlockedNodes } from '@biaslab/runtime';
import {
  directions,
  dot,
  flat,
  nodeProblem,
  opsetsFor,
  randomTensor,
  relErr,
  relErrVec,
  scalarOut,
  shifted,
  tangentOf,
} from './harness';

const BASE_SEED = 7211;

/**
 * Tolerances per precision. float64: step 1e-5, relative error < 1e-6. float32 is used only where onnxruntime
 * has no float64 kernel for the op: a larger step balances rounding (~1e-7/h) against truncation (~h²), and the
 * bounds are loosened accordingly.
 */
export const PRECISION = {
  float64: { h: 1e-5, grad: 1e-6, sym: 1e-9, hvp: 1e-6 },
  float32: { h: 1e-2, grad: 2e-3, sym: 1e-4, hvp: 5e-3 },
} as const;

/** One rule × sample × opset case of the table, with its seed. */
export interface RuleCase {
  readonly rule: VjpRule;
  readonly sample: RuleSample;
  readonly opset: number;
  readonly seed: number;
  readonly name: string;
}

/**
 * Every VJP rule × its samples × opsets (`opsetsFor`, plus 18 for ops with float64 caveats, where
 * onnxruntime inlines some ops' float64 bodies), in registry order, with consecutive seeds.
 */
export function conformanceCases(): RuleCase[] {
  const cases: RuleCase[] = [];
  for (const rule of VJP_RULES) {
    const caveat = OPS.get(rule.op)?.float64 !== undefined;
    const extra = caveat && rule.since <= 18 && (rule.until ?? 99) >= 18 ? [18] : [];
    for (const sample of rule.samples) {
      for (const opset of [...new Set([...opsetsFor(rule), ...extra])]) {
        const seed = BASE_SEED + cases.length;
        const name = `${rule.op} [${rule.since}–${rule.until ?? ''}] ${sample.label} @opset ${opset} (seed ${seed})`;
        cases.push({ rule, sample, opset, seed, name });
      }
    }
  }
  return cases;
}

/** True for onnxruntime's "no kernel for this op and type" compile error. */
export function missingKernel(error: unknown): boolean {
  return (
    isBiaslabError(error, 'RUNTIME') && /Could not find an implementation/.test((error as Error).message)
  );
}

/**
 * What the op definitions predict for a case in float64: the ops of its gradient and HVP graphs that
 * onnxruntime has no float64 kernel for (empty: it runs in float64; undefined: nothing to differentiate).
 */
export function float64Prediction(c: RuleCase): string[] | undefined {
  const linear = nodeProblem(c.rule, c.sample, c.opset, 'float64', 'linear', new Rng(c.seed));
  const curved = nodeProblem(c.rule, c.sample, c.opset, 'float64', 'tanh', new Rng(c.seed + 1));
  if (!linear || !curved) return undefined;
  const wrt = linear.floats.map((f) => f.name);
  const graphs = [
    gradientGraph(linear.graph, { loss: linear.loss, wrt }),
    hvpGraph(curved.graph, { loss: curved.loss, wrt }),
  ];
  return [...new Set(graphs.flatMap((g) => float64BlockedNodes(g).map((b) => b.node.op)))].sort();
}

/** One measured error, its bound, and what was compared. */
export interface Check {
  readonly err: number;
  readonly bound: number;
  readonly detail: string;
}

/** The three checks of a case: gradient vs differences, HVP symmetry, HVP vs differences of the gradient. */
export interface RuleErrors {
  readonly grad: Check;
  readonly sym: Check;
  readonly hvp: Check;
}

/**
 * Measures a case in `dtype` (undefined when the op's output is not of that dtype or it has no float input).
 * Gradient: ⟨t, ∇L⟩ against the central difference (L(x+ht) − L(x−ht))/2h for L = Σₖ⟨cₖ, fₖ(x)⟩. HVP (with
 * L = Σₖ⟨cₖ, tanh fₖ(x)⟩): ⟨u, Hv⟩ = ⟨v, Hu⟩, and Hv against central differences of the gradient.
 */
export async function ruleErrors(c: RuleCase, dtype: FloatDType): Promise<RuleErrors | undefined> {
  const tol = PRECISION[dtype];
  const rng = new Rng(c.seed);
  const linear = nodeProblem(c.rule, c.sample, c.opset, dtype, 'linear', rng);
  if (!linear) return undefined;
  const x: Record<string, Tensor> = {};
  for (const f of linear.floats) x[f.name] = randomTensor(rng, dtype, f.shape, f.range, f.signed);
  const wrt = linear.floats.map((f) => f.name);

  // first order: ⟨t, ∇L⟩ vs central difference
  const gradSession = await GraphSession.create(gradientGraph(linear.graph, { loss: linear.loss, wrt }));
  const tDir = directions(rng, dtype, linear.floats);
  const analytic = dot(tDir, await gradSession.run(x), (n) => `grad/${n}`);
  const lp = await scalarOut(gradSession, shifted(x, tDir, tol.h), linear.loss);
  const lm = await scalarOut(gradSession, shifted(x, tDir, -tol.h), linear.loss);
  const numeric = (lp - lm) / (2 * tol.h);
  await gradSession.release();
  const e1 = relErr(analytic, numeric);
  const grad = { err: e1, bound: tol.grad, detail: `⟨t,∇L⟩ = ${analytic} vs central difference ${numeric}` };

  // second order through a tanh head
  const curved = nodeProblem(c.rule, c.sample, c.opset, dtype, 'tanh', new Rng(c.seed + 1))!;
  const hvpSession = await GraphSession.create(hvpGraph(curved.graph, { loss: curved.loss, wrt }));
  const u = directions(rng, dtype, curved.floats);
  const v = directions(rng, dtype, curved.floats);
  const hvNames = wrt.map((n) => `hvp/${n}`);
  const gradNames = wrt.map((n) => `grad/${n}`);
  const atV = await hvpSession.run({ ...x, ...tangentOf(v) });
  const atU = await hvpSession.run({ ...x, ...tangentOf(u) });
  const uHv = dot(u, atV, (n) => `hvp/${n}`);
  const vHu = dot(v, atU, (n) => `hvp/${n}`);
  const sym = { err: relErr(uHv, vHu, 1e-9), bound: tol.sym, detail: `⟨u,Hv⟩ = ${uHv} vs ⟨v,Hu⟩ = ${vHu}` };
  const gp = flat(await hvpSession.run({ ...shifted(x, v, tol.h), ...tangentOf(v) }), gradNames);
  const gm = flat(await hvpSession.run({ ...shifted(x, v, -tol.h), ...tangentOf(v) }), gradNames);
  await hvpSession.release();
  const fd = gp.map((p, i) => (p - gm[i]) / (2 * tol.h));
  const hv = flat(atV, hvNames);
  const hvp = {
    err: relErrVec(hv, fd),
    bound: tol.hvp,
    detail: `Hv = [${Array.from(hv).slice(0, 4)}…] vs finite differences [${Array.from(fd).slice(0, 4)}…]`,
  };
  return { grad, sym, hvp };
}

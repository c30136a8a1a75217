// Report (not a test): the worst relative errors of the autodiff conformance tables, per precision, and which
// cases ran in float32 because onnxruntime has no float64 kernel there. The tables' bounds are asserted by
// test/autodiff/conformance.test.ts and float64-lowering.test.ts; this prints how far inside them the rules are.
//   node --conditions=biaslab-source --import tsx test/reports/autodiff-errors.ts
import { conformanceCases, float64Prediction, ruleErrors } from '../autodiff/rule-errors';
import type { Check } from '../autodiff/rule-errors';
import { loweringCases, loweringErrors } from '../autodiff/lowering-errors';

/** The largest error of each named check over `runs`. */
function worst(runs: readonly Record<string, Check>[]): string {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return names
    .map((n) => `${n} ${Math.max(0, ...runs.map((r) => r[n]?.err ?? 0)).toExponential(2)}`)
    .join(', ');
}

const byDtype: Record<'float64' | 'float32', Record<string, Check>[]> = { float64: [], float32: [] };
const ranInFloat32: string[] = [];
for (const c of conformanceCases()) {
  const blocked = float64Prediction(c);
  if (!blocked) continue;
  const dtype = blocked.length ? 'float32' : 'float64';
  if (blocked.length) ranInFloat32.push(`${c.rule.op}@${c.opset} (${blocked.join(', ')})`);
  const errors = await ruleErrors(c, dtype);
  if (errors) byDtype[dtype].push({ ...errors });
}
console.log(`rule table, ${byDtype.float64.length} float64 cases: worst ${worst(byDtype.float64)}`);
console.log(`rule table, ${byDtype.float32.length} float32 cases: worst ${worst(byDtype.float32)}`);
console.log(`float32 only (no float64 kernel): ${[...new Set(ranInFloat32)].join(', ') || 'none'}`);
const lowering = [];
for (const c of loweringCases()) lowering.push(await loweringErrors(c));
console.log(`float64 lowering, ${lowering.length} cases: worst ${worst(lowering)}`);

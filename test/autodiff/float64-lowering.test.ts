import { test } from 'node:test';
import assert from 'node:assert/strict';
import { float64Blockers } from '@biaslab/autodiff';
import { loweringCases, loweringErrors, loweringProblem } from './lowering-errors';

/**
 * Every op whose definition has a float64 lowering, on every sample of its rules the lowering applies to: the
 * lowered graph no longer holds the op and nothing in it blocks float64; its forward pass matches the original
 * op (float32), its gradient and HVP match finite differences in float64, and the original op's float32 rule
 * matches it (see `loweringErrors`).
 */
for (const c of loweringCases()) {
  test(c.name, async () => {
    const { low } = loweringProblem(c);
    assert.ok(
      !low.nodes.some((n) => n.op === c.rule.op),
      `${c.name}: \`${c.rule.op}\` is still in the lowered graph`,
    );
    assert.deepEqual(float64Blockers(low), [], `${c.name}: the lowered graph still has float64 blockers`);
    for (const [what, check] of Object.entries(await loweringErrors(c))) {
      assert.ok(
        check.err < check.bound,
        `${c.name}: ${what}: ${check.detail} (rel ${check.err.toExponential(2)}, bound ${check.bound})`,
      );
    }
  });
}

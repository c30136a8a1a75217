import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StopMonitor, defaultDivergenceBound } from './stop-rules';

const rules = { epsilon: 1e-3, patience: 3, maxSteps: 10, divergence: 100 };

test('converged only after K consecutive losses below ε; an excursion resets the count', () => {
  const m = new StopMonitor(rules);
  const losses = [1, 1e-4, 1e-4, 0.5, 1e-4, 1e-4];
  losses.forEach((l, step) => assert.equal(m.observe(step, l), undefined, `step ${step}`));
  const verdict = m.observe(6, 1e-5);
  assert.equal(verdict?.status, 'converged');
  assert.match(verdict!.reason, /3 consecutive steps/);
});

test('non-finite or above-bound losses are divergence; the step cap is capped', () => {
  assert.equal(new StopMonitor(rules).observe(2, Number.NaN)?.status, 'diverged');
  assert.equal(new StopMonitor(rules).observe(2, Number.POSITIVE_INFINITY)?.status, 'diverged');
  assert.equal(new StopMonitor(rules).observe(2, 101)?.status, 'diverged');
  assert.equal(new StopMonitor(rules).observe(2, 100), undefined);
  const capped = new StopMonitor(rules).observe(10, 0.5);
  assert.equal(capped?.status, 'capped');
  assert.match(capped!.reason, /step cap 10/);
  // Convergence at the cap counts as converged.
  const m = new StopMonitor({ ...rules, patience: 1 });
  assert.equal(m.observe(10, 1e-4)?.status, 'converged');
});

test('default divergence bound is 1e6 · max(L(θ₀), 1)', () => {
  assert.equal(defaultDivergenceBound(0.3), 1e6);
  assert.equal(defaultDivergenceBound(20), 2e7);
  assert.equal(defaultDivergenceBound(Number.NaN), 1e6);
});

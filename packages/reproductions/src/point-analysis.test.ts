import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analysePoint } from './point-analysis';

test('break point: first converged η with S·η/2 > 0.8 and S < 0.95·s_GF; edge and counts', () => {
  const sGF = 4;
  const runs = [
    { eta: 0.1, status: 'converged' as const, sharpness: 4 },
    { eta: 0.3, status: 'converged' as const, sharpness: 3.99 },
    { eta: 0.35, status: 'capped' as const, sharpness: 1 },
    { eta: 0.42, status: 'converged' as const, sharpness: 3.98 }, // 0.42·3.98/2 = 0.836 > 0.8 but no drop
    { eta: 0.45, status: 'converged' as const, sharpness: 3.5 }, // 3.5 < 0.95·4 = 3.8 but 0.45·3.5/2 < 0.8
    { eta: 0.6, status: 'converged' as const, sharpness: 3.2 }, // both: 0.96 > 0.8 and 3.2 < 3.8
    { eta: 1.2, status: 'diverged' as const, sharpness: null },
  ];
  const a = analysePoint(runs, { sGF, etaC: 0.5 }, { stability: 0.8, drop: 0.05 });
  assert.equal(a.breakEta, 0.6);
  assert.equal(a.lastAligned, 0.45);
  assert.ok(Math.abs(a.ratio! - 1.2) < 1e-12);
  assert.deepEqual(a.edge, { below: 0.6, above: 1.2 });
  assert.deepEqual(a.counts, { converged: 5, capped: 1, diverged: 1 });
  // Without a flow only the stability ratio counts: 0.42·3.98/2 = 0.836 > 0.8.
  assert.equal(analysePoint(runs, undefined, { stability: 0.8, drop: 0.05 }).breakEta, 0.42);
  assert.equal(
    analysePoint(runs.slice(0, 2), { sGF, etaC: 0.5 }, { stability: 0.8, drop: 0.05 }).breakEta,
    null,
  );
  // A flow whose S peaked mid-path (cross-entropy) and ended at 3.4: the drop is measured from 3.4, so
  // 0.6 (3.2 < 0.95·3.4 = 3.23) still breaks, and 0.45 (3.5) is flow-aligned either way; η_c stays 2/s_GF.
  const peaked = analysePoint(runs, { sGF, etaC: 0.5, sFinal: 3.4 }, { stability: 0.8, drop: 0.05 });
  assert.equal(peaked.breakEta, 0.6);
  assert.equal(peaked.etaC, 0.5);
  // ended at 3.3: 3.2 is not below 0.95·3.3 = 3.135, so nothing has left the flow-aligned regime
  assert.equal(
    analysePoint(runs, { sGF, etaC: 0.5, sFinal: 3.3 }, { stability: 0.8, drop: 0.05 }).breakEta,
    null,
  );
});

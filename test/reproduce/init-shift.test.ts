// init-shift at its small default: changing the init scale α of the one-point diagonal network moves s_GF,
// and the observed break point of the GD sweep follows η_c = 2/s_GF. Checked from the experiment directory
// against the closed-form s_GF of @biaslab/theory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readExperimentDir } from '@biaslab/report';
import { onePointFlowSharpness } from '@biaslab/theory';
import { ONE_POINT, runReproduction } from '@biaslab/reproductions';
import { tempDir } from '../cli/harness';
import { WORKER, builtInRegistry } from './plugins';

test('reproduce init-shift: s_GF and η_c move with α, the observed break follows within 15%', async () => {
  const dir = tempDir();
  await runReproduction('init-shift', { registry: builtInRegistry(), out: dir, workers: 2, worker: WORKER });
  const data = readExperimentDir(join(dir, 'init-shift', 'sweep'));
  assert.ok(data.points.length >= 3, `expected ≥ 3 init scales, found ${data.points.length}`);
  const rows = data.points.map((p) => {
    const alpha = Number(p.grid['model.options.alpha']);
    const sGF = p.flow!.sGF!;
    const closed = onePointFlowSharpness(
      { x: ONE_POINT.x, y: ONE_POINT.y, alpha },
      { epsilon: p.flow!.final.loss as number },
    );
    assert.ok(
      Math.abs(sGF / closed.sGF - 1) < 1e-6,
      `α = ${alpha}: lab s_GF ${sGF} vs closed form ${closed.sGF}`,
    );
    const converged = p.runs.filter((r) => r.status === 'converged').sort((a, b) => a.eta - b.eta);
    const brk = converged.find((r) => Math.abs(r.sharpness! - sGF) > 0.05 * sGF);
    assert.ok(brk, `α = ${alpha}: no converged run left the flow-aligned regime`);
    const etaC = 2 / sGF;
    assert.ok(Math.abs(brk.eta / etaC - 1) <= 0.15, `α = ${alpha}: break ${brk.eta} vs η_c ${etaC}`);
    return { alpha, etaC, brk: brk.eta };
  });
  // s_GF really moves (the α grid is not degenerate), and the breaks come in the order of the predictions.
  const etaCs = rows.map((r) => r.etaC);
  assert.ok(Math.max(...etaCs) / Math.min(...etaCs) > 1.05, `η_c barely moves over α: ${etaCs}`);
  const byEtaC = [...rows].sort((a, b) => a.etaC - b.etaC).map((r) => r.alpha);
  const byBreak = [...rows].sort((a, b) => a.brk - b.brk).map((r) => r.alpha);
  assert.deepEqual(byBreak, byEtaC, `orders differ: ${JSON.stringify(rows)}`);
});

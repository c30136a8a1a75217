// Runs the `dln-onepoint` reproduction from a script: no CLI, the built-in plugins in a registry, progress on
// stderr, then the verdicts. Run from the repository root:
//   node --conditions=biaslab-source --import tsx packages/reproductions/examples/dln-onepoint.ts
import { Registry } from '@biaslab/core';
import { datasetsPlugin } from '@biaslab/datasets';
import { metricsPlugin } from '@biaslab/metrics';
import { modelsPlugin } from '@biaslab/models';
import { optimizersPlugin } from '@biaslab/optimizers';
import { runReproduction } from '@biaslab/reproductions';

const registry = new Registry()
  .use(modelsPlugin)
  .use(datasetsPlugin)
  .use(optimizersPlugin)
  .use(metricsPlugin);
const result = await runReproduction('dln-onepoint', {
  registry,
  out: '/tmp/biaslab-dln-onepoint', // rerun into it and finished runs are read back, not retrained
  onExperiment: ({ plan, out }) => {
    console.error(`${plan.id}: ${plan.description} → ${out}`);
    return { onRunEnd: (row) => console.error(`  η = ${row.eta}: ${row.status} after ${row.steps} steps`) };
  },
});
const passed = result.verdicts.filter((v) => v.verdict.pass).length;
console.log(`${passed}/${result.verdicts.length} verdicts hold, e.g.`);
for (const { verdict } of result.verdicts.slice(0, 3))
  console.log(`  ${verdict.pass ? '✓' : '✗'} ${verdict.text}`);
console.log(`report: ${result.reportPath}`);

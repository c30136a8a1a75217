/**
 * Runs every benchmark under test/bench (benchmarks are never part of `pnpm test`). Arguments narrow the set
 * by name (`pnpm bench sweep-dln`); flags starting with `--` are passed on (`--quick`). Files starting with `_` are
 * shared helpers, not benchmarks.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('--'));
const flags = args.filter((a) => a.startsWith('--'));
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .filter((f) => names.length === 0 || names.some((n) => f.includes(n)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`── ${file} ${flags.join(' ')}`);
  const child = spawnSync(
    process.execPath,
    ['--conditions=biaslab-source', '--import', 'tsx', join(dir, file), ...flags],
    {
      stdio: 'inherit',
    },
  );
  if (child.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);

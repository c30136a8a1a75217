import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@biaslab/core';
import { cli, REPO, tempDir } from './harness';

/** The main job with the edge bisection: flows, 20 first-pass runs and 2 sequential refinement runs. */
const SWEEP = ['sweep', '--refine-edge', '2', '--every', '25'];

/** One uninterrupted single-worker sweep, shared by the tests below. */
const reference = tempDir();
after(() => rmSync(reference, { recursive: true, force: true }));
let referenceRun: Promise<void> | undefined;
function referenceSweep(): Promise<void> {
  referenceRun ??= cli([...SWEEP, '--workers', '1', '--quiet', '--out', reference]).then((r) =>
    assert.equal(r.code, 0, r.stderr),
  );
  return referenceRun;
}

function summaryWithoutTimes(dir: string): string {
  return readFileSync(join(dir, 'summary.jsonl'), 'utf8').replace(/"seconds":[^,}]*/g, '"seconds":0');
}

/** Starts the real executable in its own process group; resolves with its exit code and stderr. */
function start(argv: readonly string[]) {
  const child = spawn(
    process.execPath,
    ['--conditions=biaslab-source', '--import', 'tsx', 'apps/cli/src/bin.ts', ...argv],
    {
      cwd: REPO,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

/** Every run file: parseable lines (a torn last line aside), steps increasing, at most one final row, last. */
function checkRunFiles(dir: string, context: string): void {
  const runs = join(dir, 'runs');
  if (!existsSync(runs)) return;
  for (const file of readdirSync(runs)) {
    const text = readFileSync(join(runs, file), 'utf8');
    const lines = text.split('\n').slice(0, -1);
    const rows = lines.map((l) => JSON.parse(l) as { type: string; step?: number });
    const finals = rows.filter((r) => r.type === 'final');
    assert.ok(finals.length <= 1, `${context}: ${file} has ${finals.length} final rows`);
    if (finals.length === 1) assert.equal(rows.at(-1)!.type, 'final', `${context}: ${file} final row last`);
    const steps = rows.filter((r) => r.type === 'series').map((r) => r.step!);
    for (let i = 1; i < steps.length; i++)
      assert.ok(steps[i] > steps[i - 1], `${context}: ${file} steps ${steps}`);
  }
}

test('1 worker and 2 workers give byte-identical summaries (timings aside)', async (t) => {
  const one = tempDir();
  const two = tempDir();
  t.after(() => [one, two].forEach((d) => rmSync(d, { recursive: true, force: true })));
  const args = [
    'sweep',
    '--lrs',
    '0.2,0.5,0.7,1.2',
    '--grid',
    'model.options.alpha=0.1,0.3',
    '--refine-eta-c',
    '2',
    '--refine-edge',
    '2',
    '--patience',
    '50',
    '--quiet',
  ];
  const a = await cli([...args, '--workers', '1', '--out', one]);
  const b = await cli([...args, '--workers', '2', '--out', two]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(summaryWithoutTimes(two), summaryWithoutTimes(one));
  assert.equal(summaryWithoutTimes(one).split('\n').length - 1, 16);
  for (const f of readdirSync(join(one, 'runs'))) {
    const strip = (d: string) => readFileSync(join(d, 'runs', f), 'utf8').replace(/"seconds":[^,}]*/g, '');
    assert.equal(strip(two), strip(one), f);
  }
});

test('SIGKILL at seeded random moments, then resume: the same summary as an uninterrupted sweep', async (t) => {
  const seed = 20240601;
  const rng = new Rng(seed);
  const out = tempDir();
  t.after(() => rmSync(out, { recursive: true, force: true }));
  await referenceSweep();

  const delays: number[] = [];
  for (let k = 0; k < 3; k++) {
    const delay = Math.round(rng.uniformIn(800, 5000));
    delays.push(delay);
    const run = start([...SWEEP, '--workers', '2', '--out', out]);
    const timer = setTimeout(() => run.child.kill('SIGKILL'), delay);
    const { signal } = await run.done;
    clearTimeout(timer);
    const context = `seed ${seed}, kill ${k} after ${delay} ms (${signal ?? 'finished first'})`;
    checkRunFiles(out, context);
    if (existsSync(join(out, 'manifest.json'))) {
      const read = await cli(['results', out]);
      assert.equal(read.code, 0, `${context}: results readable: ${read.stderr}`);
    }
  }
  const last = start([...SWEEP, '--workers', '2', '--out', out]);
  const { code, stderr } = await last.done;
  assert.equal(code, 0, `seed ${seed}, delays ${delays}: ${stderr}`);
  checkRunFiles(out, 'after resume');
  assert.equal(summaryWithoutTimes(out), summaryWithoutTimes(reference), `seed ${seed}, delays ${delays}`);
  assert.deepEqual(readdirSync(join(out, 'runs')).sort(), readdirSync(join(reference, 'runs')).sort());
  assert.ok(!readdirSync(out).some((f) => f.endsWith('.tmp') || f === '.lock'), 'no temp file or lock left');
});

test('Ctrl-C (SIGINT to the process group) stops cleanly, says how to resume, and the rerun completes', async (t) => {
  const out = tempDir();
  t.after(() => rmSync(out, { recursive: true, force: true }));
  await referenceSweep();
  const run = start([...SWEEP, '--workers', '2', '--out', out]);
  const poll = setInterval(() => {
    if (/^\[1\/\d+\] η = /m.test(run.stderr())) {
      clearInterval(poll);
      process.kill(-run.child.pid!, 'SIGINT');
    }
  }, 20);
  const { code, stderr } = await run.done;
  clearInterval(poll);
  assert.equal(code, 130, stderr);
  assert.match(stderr, /stopping after the current step/);
  assert.match(
    stderr,
    /Interrupted: \d+ runs? finished and saved in `.*`\. To resume, rerun the same command with `--out /,
  );
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.equal(manifest.status, 'interrupted');
  checkRunFiles(out, 'after SIGINT');
  const again = await cli([...SWEEP, '--workers', '2', '--quiet', '--out', out]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(summaryWithoutTimes(out), summaryWithoutTimes(reference));
});

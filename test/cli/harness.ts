import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '@biaslab/cli';

/** The repository root (the CLI's child-process tests run from here). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Output and exit code of one CLI invocation. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `biaslab ...argv` in this process, capturing what it writes. */
export async function cli(argv: readonly string[], cwd = REPO): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (s) => void (stdout += s), err: (s) => void (stderr += s), cwd });
  return { code, stdout, stderr };
}

/** Runs the real executable `apps/cli/src/bin.ts` as a child process. */
export function cliProcess(argv: readonly string[]): CliResult {
  const child = spawnSync(
    process.execPath,
    ['--conditions=biaslab-source', '--import', 'tsx', 'apps/cli/src/bin.ts', ...argv],
    { cwd: REPO, encoding: 'utf8' },
  );
  return { code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'biaslab-cli-'));
}

import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The tsx loader by absolute URL, so the CLI can run with a working directory outside the repository. */
const TSX = import.meta.resolve('tsx');

/** Exit code and output of one CLI process. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `biaslab ...argv` as a child process (the real executable, from sources) in `cwd`. */
export function runCli(argv: readonly string[], cwd = REPO): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--conditions=biaslab-source', '--import', TSX, resolve(REPO, 'apps/cli/src/bin.ts'), ...argv],
      { cwd, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** A one-line account of a CLI run for assertion messages. */
export function describeRun(argv: readonly string[], run: CliRun): string {
  return `biaslab ${argv.join(' ')} → exit ${run.code}\nstderr: ${run.stderr.slice(0, 2000)}\nstdout: ${run.stdout.slice(0, 1000)}`;
}

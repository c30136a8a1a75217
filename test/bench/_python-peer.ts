// A Python peer of a benchmark: a child process that answers one line per request line, started with a thread
// budget (OpenBLAS and OpenMP get `threads`; the peer chooses torch's own intra-op threads).
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export class PythonPeer {
  private readonly lines: AsyncIterator<string>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  /**
   * Starts `/usr/bin/python3 script ...args` and waits for its first line (the peer's "ready"). Resolves with
   * the peer and that line, or with the last line of its stderr when it exits or fails to start first.
   */
  static async start(
    script: string,
    args: readonly string[],
    threads: number,
  ): Promise<{ peer: PythonPeer; ready: string } | { failure: string }> {
    const t = String(threads);
    const env = { ...process.env, OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t };
    const child = spawn('/usr/bin/python3', [script, ...args], { env });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const failed = new Promise<undefined>((resolve) => child.on('error', () => resolve(undefined)));
    const peer = new PythonPeer(child);
    const first = await Promise.race([peer.lines.next(), failed]);
    if (!first || first.done) {
      child.kill();
      return { failure: stderr.trim().split('\n').pop() || 'no output' };
    }
    return { peer, ready: first.value };
  }

  /** Sends one request line and resolves with the answer line. */
  async ask(request: string): Promise<string> {
    this.child.stdin.write(`${request}\n`);
    const line = await this.lines.next();
    if (line.done) throw new Error(`the Python peer stopped while answering \`${request.slice(0, 40)}\``);
    return line.value;
  }

  stop(): void {
    this.child.stdin.end();
  }
}

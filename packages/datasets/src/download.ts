import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { BiaslabError } from '@biaslab/core';

/** Hex SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** What `downloadVerified` did. */
export interface DownloadResult {
  readonly path: string;
  /** Bytes that were already on disk from an interrupted download and were kept (HTTP range request). */
  readonly resumedFrom: number;
}

/**
 * Downloads `url` to `dest` and checks its SHA-256 before the file appears under its final name: the bytes go
 * to `dest.part`, which is renamed only when the checksum matches (so a half-written or wrong file never
 * passes as data). An interrupted download leaves `dest.part`; running again asks the server for the rest
 * (HTTP `Range`) and falls back to a fresh download when the server ignores ranges. On a checksum mismatch
 * the partial file is deleted and the error gives both checksums.
 */
export async function downloadVerified(url: string, dest: string, sha256: string): Promise<DownloadResult> {
  mkdirSync(dirname(dest), { recursive: true });
  const part = `${dest}.part`;
  const existing = existsSync(part) ? statSync(part).size : 0;
  let response: Response;
  try {
    response = await fetch(url, existing > 0 ? { headers: { Range: `bytes=${existing}-` } } : {});
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new BiaslabError(
      'DATA',
      `Could not download \`${url}\` (${cause?.code ?? cause?.message ?? (error as Error).message}): this machine ` +
        `seems to be offline or the host is unreachable. Copy the file into \`${dirname(dest)}\` by hand, point ` +
        '`dataDir` (or `$BIASLAB_DATA`) at a folder that has it, or run again with a network.',
      { url, dest },
      { cause: error },
    );
  }
  let resumedFrom = 0;
  if (response.status === 416 && existing > 0) {
    // The partial file already holds every byte; only the checksum is left to check.
    resumedFrom = existing;
    await response.body?.cancel();
  } else if (response.status === 200 || (response.status === 206 && existing > 0)) {
    resumedFrom = response.status === 206 ? existing : 0;
    if (!response.body) throw downloadFailed(url, dest, 'the response has no body');
    const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
    try {
      await pipeline(body, createWriteStream(part, { flags: resumedFrom > 0 ? 'a' : 'w' }));
    } catch (error) {
      throw downloadFailed(
        url,
        dest,
        `the transfer broke off (${(error as Error).message}); run again to resume`,
        error,
      );
    }
  } else {
    await response.body?.cancel();
    throw downloadFailed(url, dest, `the server answered HTTP ${response.status} ${response.statusText}`);
  }
  const received = await sha256File(part);
  if (received !== sha256) {
    unlinkSync(part);
    throw new BiaslabError(
      'DATA',
      `Checksum mismatch for \`${url}\`: expected SHA-256 \`${sha256}\`, received \`${received}\`. The file was ` +
        'deleted. Run again to download it afresh; if it keeps failing, the mirror serves different bytes: use ' +
        'another `mirror` or copy the original files into the data directory.',
      { url, dest, expected: sha256, received },
    );
  }
  renameSync(part, dest);
  return { path: dest, resumedFrom };
}

function downloadFailed(url: string, dest: string, problem: string, cause?: unknown): BiaslabError {
  return new BiaslabError(
    'DATA',
    `Could not download \`${url}\`: ${problem}. Check the \`mirror\` option, or copy the file into \`${dirname(dest)}\`.`,
    { url, dest },
    cause === undefined ? undefined : { cause },
  );
}

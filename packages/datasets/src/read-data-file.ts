import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { REPLACE_FILE, dataFileError } from './data-error';

/** The bytes of a data file (decompressed when it is gzipped) and the SHA-256 of the file as stored. */
export interface DataFileBytes {
  readonly path: string;
  readonly bytes: Uint8Array;
  /** Hex SHA-256 of the file on disk (before decompression), for provenance. */
  readonly sha256: string;
  readonly gzipped: boolean;
}

/** True when `bytes` start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Reads a file, gunzipping it when it starts with the gzip magic number (whatever its name), and hashes it.
 * A missing file, an unreadable one or a damaged gzip stream is a `DATA` error naming the file.
 */
export function readDataFile(path: string): DataFileBytes {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (error) {
    throw dataFileError(
      path,
      `the file could not be read (${(error as Error).message})`,
      'Check the path.',
      error,
    );
  }
  const sha256 = createHash('sha256').update(raw).digest('hex');
  if (!isGzip(raw))
    return {
      path,
      bytes: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength),
      sha256,
      gzipped: false,
    };
  let bytes: Buffer;
  try {
    bytes = gunzipSync(raw);
  } catch (error) {
    throw dataFileError(
      path,
      `the gzip stream is damaged or truncated (${(error as Error).message}; ${raw.byteLength} bytes on disk)`,
      REPLACE_FILE,
      error,
    );
  }
  return {
    path,
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    sha256,
    gzipped: true,
  };
}

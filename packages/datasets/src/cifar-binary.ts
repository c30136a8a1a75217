import { REPLACE_FILE, dataFileError } from './data-error';
import { readDataFile } from './read-data-file';

/** Bytes of one CIFAR-10 record: a label byte, then 3 × 32 × 32 pixel bytes (red, green, blue planes, row-major). */
export const CIFAR_RECORD_BYTES = 1 + 3 * 32 * 32;

/** Records of a CIFAR-10 binary batch. */
export interface CifarBatch {
  readonly count: number;
  /** [count, 3, 32, 32] pixel bytes. */
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  readonly sha256: string;
}

/**
 * Parses the CIFAR-10 binary format (Krizhevsky 2009, `cifar-10-binary.tar.gz`): records of 3073 bytes, a label
 * 0..9 followed by the 1024 red, 1024 green and 1024 blue pixel values of a 32×32 image.
 */
export function parseCifarBatch(bytes: Uint8Array, file: string): Omit<CifarBatch, 'sha256'> {
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD_BYTES !== 0) {
    const whole = Math.floor(bytes.length / CIFAR_RECORD_BYTES);
    throw dataFileError(
      file,
      `expected a whole number of ${CIFAR_RECORD_BYTES}-byte records, received ${bytes.length} bytes ` +
        `(${whole} records and ${bytes.length - whole * CIFAR_RECORD_BYTES} bytes left over); the file is truncated or not a CIFAR-10 batch`,
      REPLACE_FILE,
    );
  }
  const count = bytes.length / CIFAR_RECORD_BYTES;
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * (CIFAR_RECORD_BYTES - 1));
  for (let r = 0; r < count; r++) {
    const offset = r * CIFAR_RECORD_BYTES;
    const label = bytes[offset];
    if (label > 9) {
      throw dataFileError(file, `record ${r} has label \`${label}\`, expected 0..9`, REPLACE_FILE);
    }
    labels[r] = label;
    pixels.set(bytes.subarray(offset + 1, offset + CIFAR_RECORD_BYTES), r * (CIFAR_RECORD_BYTES - 1));
  }
  return { count, pixels, labels };
}

/** Reads one CIFAR-10 binary batch file (plain, or gzipped). */
export function readCifarBatch(path: string): CifarBatch {
  const file = readDataFile(path);
  return { ...parseCifarBatch(file.bytes, path), sha256: file.sha256 };
}

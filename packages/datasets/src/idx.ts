import { REPLACE_FILE, dataFileError } from './data-error';
import { readDataFile } from './read-data-file';

/** Magic number of an IDX file of unsigned bytes with 3 dimensions (MNIST images): 0x00000803. */
export const IDX_IMAGES_MAGIC = 2051;
/** Magic number of an IDX file of unsigned bytes with 1 dimension (MNIST labels): 0x00000801. */
export const IDX_LABELS_MAGIC = 2049;

/** An IDX array of unsigned bytes: its dimensions (big-endian in the file) and row-major data. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/**
 * Parses an IDX file (LeCun et al.'s format for MNIST): two zero bytes, a type code (0x08 = unsigned byte, the
 * only one MNIST-style data use), the number of dimensions, then one big-endian uint32 per dimension and the
 * data. `expectedMagic` (2051 images, 2049 labels) fixes both type and rank; sizes must match exactly.
 */
export function parseIdx(bytes: Uint8Array, file: string, expectedMagic: number): IdxArray {
  const rank = expectedMagic & 0xff;
  if (bytes.length < 4) {
    throw dataFileError(file, `the file has ${bytes.length} bytes, too few for an IDX header`, REPLACE_FILE);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    throw dataFileError(
      file,
      `expected the IDX magic number \`${expectedMagic}\` (unsigned bytes, ${rank} dimension${rank > 1 ? 's' : ''}), ` +
        `received \`${magic}\``,
      'Check that the file is the right one of the four (images vs labels) and not an HTML error page.',
    );
  }
  const header = 4 + 4 * rank;
  if (bytes.length < header) {
    throw dataFileError(file, `the header needs ${header} bytes, the file has ${bytes.length}`, REPLACE_FILE);
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const received = bytes.length - header;
  if (received !== size) {
    const what = received < size ? 'truncated' : 'longer than its header says';
    throw dataFileError(
      file,
      `the file is ${what}: dimensions [${dims.join(', ')}] need ${size} data bytes, received ${received}`,
      REPLACE_FILE,
    );
  }
  return { dims, data: bytes.subarray(header) };
}

/** Images of an IDX file (magic 2051): count, height, width and the pixels, plus the file's SHA-256. */
export interface IdxImages {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly pixels: Uint8Array;
  readonly sha256: string;
}

/** Reads an IDX image file, gzipped or plain. */
export function readIdxImages(path: string): IdxImages {
  const file = readDataFile(path);
  const { dims, data } = parseIdx(file.bytes, path, IDX_IMAGES_MAGIC);
  return { count: dims[0], height: dims[1], width: dims[2], pixels: data, sha256: file.sha256 };
}

/** Reads an IDX label file (magic 2049), gzipped or plain, checking every label is below `numClasses`. */
export function readIdxLabels(path: string, numClasses: number): { labels: Uint8Array; sha256: string } {
  const file = readDataFile(path);
  const { data } = parseIdx(file.bytes, path, IDX_LABELS_MAGIC);
  const bad = data.findIndex((label) => label >= numClasses);
  if (bad >= 0) {
    throw dataFileError(
      path,
      `label ${bad} is \`${data[bad]}\`, expected a class index in 0..${numClasses - 1}`,
      REPLACE_FILE,
    );
  }
  return { labels: data, sha256: file.sha256 };
}

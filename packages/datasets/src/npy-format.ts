import { REPLACE_FILE, dataFileError } from './data-error';

/** The NumPy element types biaslab reads: little-endian floats and integers, and bytes. */
export const NPY_DTYPES = ['<f4', '<f8', '<i4', '<i8', '|u1'] as const;

/** An array read from a `.npy` file, its values widened to float64. */
export interface NpyArray {
  readonly shape: readonly number[];
  readonly descr: string;
  readonly values: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/**
 * Parses NumPy's `.npy` format (versions 1.0, 2.0 and 3.0): the magic string, a version, a little-endian header
 * length (2 bytes in 1.0, 4 in 2.0/3.0), a Python-literal header dict with `descr`, `fortran_order` and `shape`,
 * then the data. Reads C-order arrays of `<f4`, `<f8`, `<i4`, `<i8` and `|u1`; anything else (big-endian,
 * Fortran order, objects) is a `DATA` error saying how to re-save the file.
 */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    throw dataFileError(
      file,
      'the file does not start with the `\\x93NUMPY` magic string of a .npy file',
      'Save it with `numpy.save`.',
    );
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major !== 1 && major !== 2 && major !== 3) {
    throw dataFileError(
      file,
      `unknown .npy version \`${major}.${bytes[7]}\`, expected 1.0, 2.0 or 3.0`,
      'Save it with `numpy.save`.',
    );
  }
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw dataFileError(file, 'the header is truncated', REPLACE_FILE);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (bytes.length < dataStart) {
    throw dataFileError(
      file,
      `the header says ${headerLength} bytes, the file ends at ${bytes.length}`,
      REPLACE_FILE,
    );
  }
  const header = Buffer.from(bytes.subarray(8 + lengthBytes, dataStart)).toString(
    major === 3 ? 'utf8' : 'latin1',
  );
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw dataFileError(
      file,
      `the header \`${header.trim()}\` lacks \`descr\`, \`fortran_order\` or \`shape\``,
      REPLACE_FILE,
    );
  }
  const dtype = descr === '<u1' ? '|u1' : descr;
  if (!(NPY_DTYPES as readonly string[]).includes(dtype)) {
    throw dataFileError(
      file,
      `element type \`${descr}\` is not supported, expected one of ${NPY_DTYPES.map((d) => `\`${d}\``).join(', ')}`,
      'Convert with `numpy.save(path, a.astype("<f8"))`.',
    );
  }
  if (fortran === 'True') {
    throw dataFileError(
      file,
      'the array is stored in Fortran order, expected C order',
      'Re-save with `numpy.save(path, numpy.ascontiguousarray(a))`.',
    );
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((s) => !Number.isInteger(s) || s < 0)) {
    throw dataFileError(file, `the shape \`(${shapeText})\` is not a tuple of sizes`, REPLACE_FILE);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const width = dtype === '|u1' ? 1 : Number(dtype.slice(2));
  const received = bytes.length - dataStart;
  if (received !== count * width) {
    throw dataFileError(
      file,
      `shape (${shape.join(', ')}) of \`${descr}\` needs ${count * width} data bytes, received ${received}` +
        (received < count * width ? ' (the file is truncated)' : ''),
      REPLACE_FILE,
    );
  }
  const values = new Float64Array(count);
  const at = (i: number) => dataStart + i * width;
  for (let i = 0; i < count; i++) {
    if (dtype === '<f4') values[i] = view.getFloat32(at(i), true);
    else if (dtype === '<f8') values[i] = view.getFloat64(at(i), true);
    else if (dtype === '<i4') values[i] = view.getInt32(at(i), true);
    else if (dtype === '<i8') values[i] = Number(view.getBigInt64(at(i), true));
    else values[i] = bytes[at(i)];
  }
  return { shape, descr, values };
}

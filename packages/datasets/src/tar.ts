import { REPLACE_FILE, dataFileError } from './data-error';

const BLOCK = 512;

/**
 * The regular files of a POSIX (ustar) tar archive whose names pass `wanted`, as name → bytes. Names keep their
 * directories (`cifar-10-batches-bin/data_batch_1.bin`). A header that runs past the end of the archive, or
 * whose size field is not octal, is a `DATA` error naming the archive.
 */
export function readTarEntries(
  archive: Uint8Array,
  file: string,
  wanted: (name: string) => boolean,
): Map<string, Uint8Array> {
  const entries = new Map<string, Uint8Array>();
  let offset = 0;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const name = joinName(text(header, 345, 155), text(header, 0, 100));
    const sizeField = text(header, 124, 12).trim();
    if (!/^[0-7]+$/.test(sizeField)) {
      throw dataFileError(
        file,
        `tar header at byte ${offset} has size field \`${sizeField}\`, expected octal digits`,
        REPLACE_FILE,
      );
    }
    const size = parseInt(sizeField, 8);
    const type = String.fromCharCode(header[156] || 0x30);
    const start = offset + BLOCK;
    if (start + size > archive.length) {
      throw dataFileError(
        file,
        `the archive is truncated: entry \`${name}\` needs ${size} bytes from byte ${start}, the archive has ${archive.length}`,
        REPLACE_FILE,
      );
    }
    if ((type === '0' || type === '\0') && wanted(name))
      entries.set(name, archive.slice(start, start + size));
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}

function text(bytes: Uint8Array, start: number, length: number): string {
  const field = bytes.subarray(start, start + length);
  const end = field.indexOf(0);
  return Buffer.from(end >= 0 ? field.subarray(0, end) : field).toString('utf8');
}

function joinName(prefix: string, name: string): string {
  return prefix ? `${prefix}/${name}` : name;
}

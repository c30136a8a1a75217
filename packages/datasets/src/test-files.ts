import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Rng } from '@biaslab/core';

// Writers of small files in the real formats, and a loopback file server, for this package's tests.

/** A fresh temporary directory. */
export function tempDir(prefix = 'biaslab-datasets-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** IDX bytes: 0, 0, type 0x08, rank, big-endian dims, data. */
export function idxBytes(dims: readonly number[], data: Uint8Array): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, 0x0800 + dims.length, false);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d, false));
  return Buffer.concat([new Uint8Array(header.buffer), data]);
}

/** Synthetic images whose mean brightness depends on the label, so standardisation and classes are visible. */
export function syntheticImages(
  rng: Rng,
  count: number,
  pixelsPer: number,
  classes = 10,
): { pixels: Uint8Array; labels: Uint8Array } {
  const labels = Uint8Array.from({ length: count }, () => rng.int(classes));
  const pixels = new Uint8Array(count * pixelsPer);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < pixelsPer; p++)
      pixels[i * pixelsPer + p] = Math.min(255, labels[i] * 20 + rng.int(60) + (p % 7) * 3);
  }
  return { pixels, labels };
}

/** The four MNIST-style files, gzipped, written to `dir`; returns what was written. */
export function writeIdxSet(dir: string, rng: Rng, train: number, test: number, side = 28, gzip = true) {
  mkdirSync(dir, { recursive: true });
  const a = syntheticImages(rng, train, side * side);
  const b = syntheticImages(rng, test, side * side);
  const files: Record<string, Uint8Array> = {
    'train-images-idx3-ubyte': idxBytes([train, side, side], a.pixels),
    'train-labels-idx1-ubyte': idxBytes([train], a.labels),
    't10k-images-idx3-ubyte': idxBytes([test, side, side], b.pixels),
    't10k-labels-idx1-ubyte': idxBytes([test], b.labels),
  };
  const written = new Map<string, Uint8Array>();
  for (const [name, bytes] of Object.entries(files)) {
    const out = gzip ? gzipSync(bytes) : bytes;
    const fileName = gzip ? `${name}.gz` : name;
    writeFileSync(join(dir, fileName), out);
    written.set(fileName, out);
  }
  return { train: a, test: b, files: written };
}

/** A CIFAR-10 binary batch: per record a label byte and 3072 pixel bytes. */
export function cifarBatchBytes(labels: Uint8Array, pixels: Uint8Array): Uint8Array {
  const out = new Uint8Array(labels.length * 3073);
  labels.forEach((label, r) => {
    out[r * 3073] = label;
    out.set(pixels.subarray(r * 3072, (r + 1) * 3072), r * 3073 + 1);
  });
  return out;
}

/** A ustar archive of the given files (names up to 100 bytes). */
export function tarBytes(entries: ReadonlyMap<string, Uint8Array>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, data] of entries) {
    const header = new Uint8Array(512);
    const put = (text: string, at: number) => header.set(Buffer.from(text, 'utf8'), at);
    put(name, 0);
    put('0000644\0', 100);
    put('0000000\0', 108);
    put('0000000\0', 116);
    put(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    put('00000000000\0', 136);
    put('        ', 148);
    header[156] = 0x30;
    put('ustar\0', 257);
    put('00', 263);
    const sum = header.reduce((a, b) => a + b, 0);
    put(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  return Buffer.concat(blocks);
}

/** A `.npy` file of the given version, dtype and shape; `values` are written in that dtype. */
export function npyBytes(
  descr: string,
  shape: readonly number[],
  values: ArrayLike<number>,
  version = 1,
  fortran = false,
): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = version === 1 ? 10 : 12;
  header += ' '.repeat(63 - ((prefix + header.length) % 64)) + '\n';
  const pre = new DataView(new ArrayBuffer(prefix));
  [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0].forEach((b, i) => pre.setUint8(i, b));
  if (version === 1) pre.setUint16(8, header.length, true);
  else pre.setUint32(8, header.length, true);
  const width = descr.endsWith('1') ? 1 : Number(descr.slice(2));
  const body = new DataView(new ArrayBuffer(values.length * width));
  const little = !descr.startsWith('>');
  for (let i = 0; i < values.length; i++) {
    const kind = descr.slice(1, 2);
    if (kind === 'f' && width === 4) body.setFloat32(i * width, values[i], little);
    else if (kind === 'f') body.setFloat64(i * width, values[i], little);
    else if (kind === 'i' && width === 4) body.setInt32(i * width, values[i], little);
    else if (kind === 'i') body.setBigInt64(i * width, BigInt(values[i]), little);
    else body.setUint8(i, values[i]);
  }
  return Buffer.concat([
    new Uint8Array(pre.buffer),
    Buffer.from(header, 'latin1'),
    new Uint8Array(body.buffer),
  ]);
}

/** A loopback HTTP server for `files` (path → bytes) that honours `Range: bytes=N-` unless told not to. */
export async function serveFiles(files: ReadonlyMap<string, Uint8Array>, options: { ranges?: boolean } = {}) {
  const requests: { url: string; range?: string }[] = [];
  const server = createServer((req, res) => {
    const range = req.headers.range;
    requests.push({ url: req.url ?? '', ...(range ? { range } : {}) });
    const body = files.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    const from = options.ranges !== false && range ? Number(/bytes=(\d+)-/.exec(range)?.[1] ?? 0) : 0;
    if (from >= body.length && from > 0) {
      res.writeHead(416).end();
      return;
    }
    res.writeHead(from > 0 ? 206 : 200, { 'content-length': body.length - from });
    res.end(Buffer.from(body.subarray(from)));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        // fetch keeps connections alive; drop them so closing does not wait for their idle timeout.
        server.closeAllConnections();
      }),
  };
}

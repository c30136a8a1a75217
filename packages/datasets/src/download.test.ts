import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Rng, isBiaslabError, parseOptions } from '@biaslab/core';
import { CIFAR10_FILES, CIFAR10_FOLDER, cifar10Options, createCifar10Dataset } from './cifar10';
import { downloadVerified } from './download';
import { createIdxDataset, idxImageOptions } from './idx-dataset';
import type { DataSource } from './sources';
import { cifarBatchBytes, serveFiles, syntheticImages, tarBytes, tempDir, writeIdxSet } from './test-files';

// Every server here listens on 127.0.0.1; nothing else is contacted.

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

test('download: MNIST-style files come from the server once, are checked and then read from the cache', async () => {
  const source = writeIdxSet(tempDir(), new Rng(21), 40, 10);
  const served = new Map([...source.files].map(([name, bytes]) => [`/mirror/${name}`, bytes]));
  const server = await serveFiles(served);
  try {
    const spec: DataSource = {
      baseUrl: `${server.base}mirror/`,
      files: [...source.files].map(([name, bytes]) => ({ name, sha256: sha256(bytes) })),
    };
    const dataset = createIdxDataset({ name: 'mnist', summary: 'test', description: 'test', source: spec });
    const cache = tempDir();
    const options = parseOptions(idxImageOptions, { dataDir: cache, standardize: 'none' }, 'dataset/mnist');
    const data = await dataset.load(options, { rng: new Rng(0) });
    assert.deepEqual([...data.train.labels!], [...source.train.labels]);
    assert.equal(server.requests.length, 4);
    assert.match(data.provenance, new RegExp(`downloaded from ${server.base}mirror/`));
    assert.deepEqual(readdirSync(join(cache, 'mnist')).sort(), [...source.files.keys()].sort());
    const again = await dataset.load(options, { rng: new Rng(0) });
    assert.equal(server.requests.length, 4, 'a second load must not download again');
    assert.match(again.provenance, /read from disk/);
  } finally {
    await server.close();
  }
});

test('download: a checksum mismatch deletes the file and says both checksums', async () => {
  const bytes = gzipSync(Buffer.from('not the right file'));
  const server = await serveFiles(new Map([['/f.gz', bytes]]));
  try {
    const dest = join(tempDir(), 'sub', 'f.gz');
    const wrong = '0'.repeat(64);
    await assert.rejects(
      downloadVerified(`${server.base}f.gz`, dest, wrong),
      (e: unknown) =>
        isBiaslabError(e, 'DATA') &&
        (e as Error).message.includes(wrong) &&
        (e as Error).message.includes(sha256(bytes)),
    );
    assert.equal(existsSync(dest), false);
    assert.equal(existsSync(`${dest}.part`), false);
  } finally {
    await server.close();
  }
});

test('download: an interrupted download resumes with a Range request; a server without ranges restarts', async () => {
  const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 251);
  for (const ranges of [true, false]) {
    const server = await serveFiles(new Map([['/big.bin', bytes]]), { ranges });
    try {
      const dest = join(tempDir(), 'big.bin');
      writeFileSync(`${dest}.part`, bytes.subarray(0, 1234));
      const result = await downloadVerified(`${server.base}big.bin`, dest, sha256(bytes));
      assert.deepEqual(new Uint8Array(readFileSync(dest)), bytes);
      assert.equal(existsSync(`${dest}.part`), false);
      assert.equal(server.requests[0].range, 'bytes=1234-');
      assert.equal(result.resumedFrom, ranges ? 1234 : 0);
    } finally {
      await server.close();
    }
  }
});

test('download: unreachable hosts and HTTP errors are clear DATA errors', async () => {
  const server = await serveFiles(new Map());
  const base = server.base;
  try {
    await assert.rejects(
      downloadVerified(`${base}missing.gz`, join(tempDir(), 'missing.gz'), '0'.repeat(64)),
      (e: unknown) => isBiaslabError(e, 'DATA') && /HTTP 404/.test((e as Error).message),
    );
  } finally {
    await server.close();
  }
  // The port is closed now: the connection is refused, as on a machine without a network.
  await assert.rejects(
    downloadVerified(`${base}x.gz`, join(tempDir(), 'x.gz'), '0'.repeat(64)),
    (e: unknown) =>
      isBiaslabError(e, 'DATA') &&
      /Could not download .*offline or the host is unreachable/s.test((e as Error).message),
  );
});

test('download: CIFAR-10 archive is fetched, verified, unpacked into the batches and removed', async () => {
  const rng = new Rng(8);
  const entries = new Map<string, Uint8Array>();
  const labels: number[] = [];
  for (const name of CIFAR10_FILES) {
    const { pixels, labels: l } = syntheticImages(rng, 4, 3072);
    if (name !== 'test_batch.bin') labels.push(...l);
    entries.set(`${CIFAR10_FOLDER}/${name}`, cifarBatchBytes(l, pixels));
  }
  entries.set(`${CIFAR10_FOLDER}/batches.meta.txt`, Buffer.from('airplane\n'));
  const archive = gzipSync(tarBytes(entries));
  const server = await serveFiles(new Map([['/cifar-10-binary.tar.gz', archive]]));
  try {
    const dataset = createCifar10Dataset({
      baseUrl: server.base,
      files: [{ name: 'cifar-10-binary.tar.gz', sha256: sha256(archive) }],
    });
    const cache = tempDir();
    const options = parseOptions(cifar10Options, { dataDir: cache, standardize: 'none' }, 'dataset/cifar10');
    const data = await dataset.load(options, { rng: new Rng(0) });
    assert.deepEqual(data.train.x.shape, [20, 3072]);
    assert.deepEqual([...data.train.labels!], labels);
    assert.deepEqual(readdirSync(join(cache, 'cifar10', CIFAR10_FOLDER)).sort(), [...CIFAR10_FILES].sort());
    assert.equal(existsSync(join(cache, 'cifar10', 'cifar-10-binary.tar.gz')), false);
    await dataset.load(options, { rng: new Rng(0) });
    assert.equal(server.requests.length, 1);
    // A truncated archive is refused with the archive named.
    const bad = tempDir();
    mkdirSync(join(bad, 'cifar10'), { recursive: true });
    const cut = gzipSync(tarBytes(entries).subarray(0, 9000));
    const badServer = await serveFiles(new Map([['/cifar-10-binary.tar.gz', cut]]));
    const badSet = createCifar10Dataset({
      baseUrl: badServer.base,
      files: [{ name: 'cifar-10-binary.tar.gz', sha256: sha256(cut) }],
    });
    await assert.rejects(
      Promise.resolve(
        badSet.load(parseOptions(cifar10Options, { dataDir: bad }, 'dataset/cifar10'), { rng: new Rng(0) }),
      ),
      (e: unknown) =>
        isBiaslabError(e, 'DATA') &&
        /cifar-10-binary\.tar\.gz/.test((e as Error).message) &&
        /truncated/.test((e as Error).message),
    );
    await badServer.close();
  } finally {
    await server.close();
  }
});

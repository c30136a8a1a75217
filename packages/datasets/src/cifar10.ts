import { existsSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defineDataset, z } from '@biaslab/core';
import type { Dataset, DatasetComponent, DatasetContext } from '@biaslab/core';
import { readCifarBatch } from './cifar-binary';
import { dataFileError } from './data-error';
import { fetchMissing, filesNotFound } from './fetch-files';
import { buildImageDataset } from './image-pipeline';
import { classesCheck, fileOptionShape, imageOptionShape } from './image-options';
import { baseDirectories, downloadDirectory, findFileSet } from './locate';
import { readDataFile } from './read-data-file';
import { CIFAR10_SOURCE } from './sources';
import type { DataSource } from './sources';
import { readTarEntries } from './tar';

/** Options of `dataset/cifar10`. */
export const cifar10Options = z
  .object({ ...imageOptionShape, ...fileOptionShape })
  .strict()
  .superRefine(classesCheck(10));

export type Cifar10Options = z.infer<typeof cifar10Options>;

/** The binary batches, training ones first. */
export const CIFAR10_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`).concat('test_batch.bin');
/** The folder the archive unpacks to. */
export const CIFAR10_FOLDER = 'cifar-10-batches-bin';

/**
 * Builds the CIFAR-10 component with a given download source (the canonical one for `dataset/cifar10`; a test
 * passes a local server and its own checksum). The source has one file, the `.tar.gz` archive of the batches.
 */
export function createCifar10Dataset(source: DataSource): DatasetComponent<Cifar10Options> {
  const where = 'dataset/cifar10';
  return defineDataset<Cifar10Options>({
    name: 'cifar10',
    summary: 'CIFAR-10, 50k/10k 32×32 colour images, 10 classes (binary version)',
    description:
      'Reads data_batch_1..5.bin and test_batch.bin (records of 1 label byte + 3072 pixel bytes, RGB planes) from ' +
      '`dataDir`, the context data folder, $BIASLAB_DATA or ~/.cache/biaslab (each as <folder>/cifar10/' +
      `${CIFAR10_FOLDER}, <folder>/cifar10, <folder>/${CIFAR10_FOLDER} or the folder itself); when missing, ` +
      `downloads ${source.baseUrl}${source.files[0].name}, checks its SHA-256 and unpacks the batches. ` +
      "x is [n, 3072] or [n, 3, 32, 32]. The paper's CIFAR-10-5k is `train: 5000`.",
    options: cifar10Options,
    async load(options: Cifar10Options, context: DatasetContext): Promise<Dataset> {
      const searched = baseDirectories(options.dataDir, context).flatMap((base) => [
        join(base, 'cifar10', CIFAR10_FOLDER),
        join(base, 'cifar10'),
        join(base, CIFAR10_FOLDER),
        base,
      ]);
      let found = findFileSet(searched, CIFAR10_FILES);
      let origin = 'read from disk';
      if (!found) {
        if (!options.download) throw filesNotFound(where, CIFAR10_FILES, searched, true);
        const target = downloadDirectory(options.dataDir, context, 'cifar10');
        origin = `downloaded from ${await fetchMissing(source, target, options.mirror)}`;
        unpackBatches(join(target, source.files[0].name), join(target, CIFAR10_FOLDER));
        found = findFileSet([join(target, CIFAR10_FOLDER)], CIFAR10_FILES);
        if (!found) throw filesNotFound(where, CIFAR10_FILES, [join(target, CIFAR10_FOLDER)], false);
      }
      const batches = found.paths.map((p) => readCifarBatch(p));
      const trainBatches = batches.slice(0, 5);
      const count = trainBatches.reduce((a, b) => a + b.count, 0);
      const pixels = new Uint8Array(count * 3072);
      const labels = new Uint8Array(count);
      let at = 0;
      for (const b of trainBatches) {
        pixels.set(b.pixels, at * 3072);
        labels.set(b.labels, at);
        at += b.count;
      }
      const built = buildImageDataset(
        { where, channels: 3, height: 32, width: 32, numClasses: 10, maxPixel: 255 },
        { train: { count, pixels, labels }, test: batches[5] },
        options,
        context.rng,
      );
      const { summary, ...dataset } = built;
      const files = found.paths.map((p, i) => `${basename(p)} sha256:${batches[i].sha256}`);
      return {
        ...dataset,
        provenance: `${where}: ${found.directory} (${origin}): ${files.join(', ')}; ${summary}`,
      };
    },
  });
}

/** `dataset/cifar10` with the canonical source. */
export const cifar10Dataset = createCifar10Dataset(CIFAR10_SOURCE);

/**
 * Unpacks the six batches of a verified `cifar-10-binary.tar.gz` into `folder` (each written to a temporary
 * name and renamed, so an interrupted unpack leaves no half file), then deletes the archive.
 */
function unpackBatches(archivePath: string, folder: string): void {
  const archive = readDataFile(archivePath);
  const entries = readTarEntries(archive.bytes, archivePath, (name) =>
    CIFAR10_FILES.includes(basename(name)),
  );
  const byName = new Map([...entries].map(([name, bytes]) => [basename(name), bytes]));
  const missing = CIFAR10_FILES.filter((f) => !byName.has(f));
  if (missing.length > 0) {
    throw dataFileError(
      archivePath,
      `the archive lacks ${missing.map((m) => `\`${m}\``).join(', ')}`,
      'Delete it and download again.',
    );
  }
  mkdirSync(folder, { recursive: true });
  for (const [name, bytes] of byName) {
    const dest = join(folder, name);
    if (existsSync(dest)) continue;
    writeFileSync(`${dest}.part`, bytes);
    renameSync(`${dest}.part`, dest);
  }
  unlinkSync(archivePath);
}

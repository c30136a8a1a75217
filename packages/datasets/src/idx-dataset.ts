import { basename } from 'node:path';
import { BiaslabError, defineDataset, z } from '@biaslab/core';
import type { Dataset, DatasetComponent, DatasetContext } from '@biaslab/core';
import { fetchMissing, filesNotFound } from './fetch-files';
import { readIdxImages, readIdxLabels } from './idx';
import { buildImageDataset } from './image-pipeline';
import { classesCheck, fileOptionShape, imageOptionShape } from './image-options';
import { baseDirectories, candidateDirectories, downloadDirectory, findFileSet } from './locate';
import type { DataSource } from './sources';

/** Options of the IDX image datasets (`dataset/mnist`, `dataset/fashion-mnist`). */
export const idxImageOptions = z
  .object({ ...imageOptionShape, ...fileOptionShape })
  .strict()
  .superRefine(classesCheck(10));

export type IdxImageOptions = z.infer<typeof idxImageOptions>;

/** What distinguishes one IDX dataset from another. */
export interface IdxDatasetSpec {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  /** Canonical download source, with the SHA-256 of each file (order: train images, train labels, test images, test labels). */
  readonly source: DataSource;
  /** Folders searched after the data directories, as they are (no `<name>` subfolder). */
  readonly systemDirectories?: readonly string[];
}

/**
 * Builds a dataset component that reads the four IDX files of an MNIST-style dataset (train/test images and
 * labels, gzipped or plain) from the data directories, downloading missing ones when allowed. Exposed so a test
 * (or a private mirror) can point it at another source and checksum table.
 */
export function createIdxDataset(spec: IdxDatasetSpec): DatasetComponent<IdxImageOptions> {
  const where = `dataset/${spec.name}`;
  const names = spec.source.files.map((f) => f.name);
  return defineDataset<IdxImageOptions>({
    name: spec.name,
    summary: spec.summary,
    description: spec.description,
    options: idxImageOptions,
    async load(options: IdxImageOptions, context: DatasetContext): Promise<Dataset> {
      const system = spec.systemDirectories ?? [];
      const searched = candidateDirectories(
        baseDirectories(options.dataDir, context, system),
        spec.name,
        system,
      );
      let found = findFileSet(searched, names);
      let origin = 'read from disk';
      if (!found) {
        if (!options.download) throw filesNotFound(where, names, searched, true);
        const target = downloadDirectory(options.dataDir, context, spec.name);
        origin = `downloaded from ${await fetchMissing(spec.source, target, options.mirror)}`;
        found = findFileSet([target], names);
        if (!found) throw filesNotFound(where, names, [target], false);
      }
      const [trainImages, trainLabels, testImages, testLabels] = found.paths;
      const train = readSplit(trainImages, trainLabels);
      const test = readSplit(testImages, testLabels);
      if (train.height !== test.height || train.width !== test.width) {
        throw new BiaslabError(
          'DATA',
          `\`${trainImages}\` holds ${train.height}×${train.width} images but \`${testImages}\` holds ` +
            `${test.height}×${test.width}; the two splits must come from the same dataset.`,
          { files: [trainImages, testImages] },
        );
      }
      const built = buildImageDataset(
        { where, channels: 1, height: train.height, width: train.width, numClasses: 10, maxPixel: 255 },
        { train, test },
        options,
        context.rng,
      );
      const { summary, ...dataset } = built;
      const files = found.paths.map(
        (p, i) =>
          `${basename(p)} sha256:${[train.imagesSha, train.labelsSha, test.imagesSha, test.labelsSha][i]}`,
      );
      return {
        ...dataset,
        provenance: `${where}: ${found.directory} (${origin}): ${files.join(', ')}; ${summary}`,
      };
    },
  });
}

function readSplit(imagesPath: string, labelsPath: string) {
  const images = readIdxImages(imagesPath);
  const { labels, sha256 } = readIdxLabels(labelsPath, 10);
  if (labels.length !== images.count) {
    throw new BiaslabError(
      'DATA',
      `\`${imagesPath}\` holds ${images.count} images but \`${labelsPath}\` holds ${labels.length} labels; ` +
        'they must match one to one. Replace the damaged or mismatched file.',
      { files: [imagesPath, labelsPath] },
    );
  }
  return { ...images, labels, imagesSha: images.sha256, labelsSha: sha256 };
}

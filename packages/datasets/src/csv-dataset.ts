import { resolve } from 'node:path';
import { BiaslabError, defineDataset, z } from '@biaslab/core';
import type { Dataset } from '@biaslab/core';
import { parseCsv } from './csv-format';
import type { CsvTable } from './csv-format';
import { dataFileError } from './data-error';
import { readDataFile } from './read-data-file';
import { buildTabularDataset, tabularOptionShape } from './tabular';
import type { TabularSplit } from './tabular';

const column = z.union([z.string().min(1), z.number().int().nonnegative()]);

/** Options of `dataset/csv`. */
export const csvOptions = z
  .object({
    path: z.string().min(1).describe('CSV file of the training split (header row first; may be gzipped)'),
    testPath: z.string().min(1).optional().describe('CSV file of the test split, same columns'),
    target: z
      .union([column, z.array(column).min(1)])
      .optional()
      .describe(
        'Target column(s) by header name or 0-based index; default: the last column. Other columns are inputs',
      ),
    delimiter: z.string().length(1).default(',').describe('Field separator'),
    ...tabularOptionShape,
  })
  .strict();

export type CsvOptions = z.infer<typeof csvOptions>;

/**
 * A user's CSV table: a header row, then one sample per row; the `target` columns are y, the rest x (numbers).
 * For classification the single target column holds class labels (numbers or names), numbered in sorted order
 * of the training split's labels.
 */
export const csvDataset = defineDataset<CsvOptions>({
  name: 'csv',
  summary: 'A CSV file with a header row: chosen target column(s), the other columns as inputs',
  description:
    'Reads `path` (and `testPath`), plain or gzipped. Input columns must be numbers; targets are numbers for ' +
    'regression or class labels (one column) for classification, numbered by sorted training labels.',
  options: csvOptions,
  load(options: CsvOptions): Dataset {
    const trainPath = resolve(options.path);
    const train = readTable(trainPath, options.delimiter);
    const targets = targetColumns(train.header, options.target, trainPath);
    const inputs = train.header.map((_, j) => j).filter((j) => !targets.includes(j));
    if (inputs.length === 0)
      throw dataFileError(
        trainPath,
        'every column is a target; no input columns are left',
        'Choose fewer `target` columns.',
      );
    const classification = options.task === 'classification';
    if (classification && targets.length !== 1) {
      throw new BiaslabError(
        'INVALID_OPTIONS',
        `\`dataset/csv\` classification needs exactly one \`target\` column, received ${targets.length}.`,
      );
    }
    const classNames = classification ? sortedLabels(train.rows.map((r) => r[targets[0]].trim())) : [];
    const testPath = options.testPath ? resolve(options.testPath) : undefined;
    const test = testPath ? readTable(testPath, options.delimiter) : undefined;
    if (test && test.header.join('\u0000') !== train.header.join('\u0000')) {
      throw dataFileError(
        testPath!,
        `the header \`${test.header.join(',')}\` differs from the training file's \`${train.header.join(',')}\``,
        'Use the same columns in the same order.',
      );
    }
    const toSplit = (table: CsvTable, file: string): TabularSplit => {
      const x = new Float64Array(table.rows.length * inputs.length);
      table.rows.forEach((row, s) =>
        inputs.forEach((j, f) => (x[s * inputs.length + f] = number(row[j], file, s, table.header[j]))),
      );
      if (classification) {
        const targetsOut = Int32Array.from(table.rows, (row, s) => {
          const k = classNames.indexOf(row[targets[0]].trim());
          if (k < 0)
            throw dataFileError(
              file,
              `row ${s + 1} has class \`${row[targets[0]]}\`, which the training file does not have`,
              'Every test class must occur in training.',
            );
          return k;
        });
        return { x, n: table.rows.length, targets: targetsOut };
      }
      const y = new Float64Array(table.rows.length * targets.length);
      table.rows.forEach((row, s) =>
        targets.forEach((j, o) => (y[s * targets.length + o] = number(row[j], file, s, table.header[j]))),
      );
      return { x, n: table.rows.length, targets: y };
    };
    const built = buildTabularDataset(
      toSplit(train, trainPath),
      test ? toSplit(test, testPath!) : undefined,
      [inputs.length],
      {
        task: options.task,
        outputs: classification ? classNames.length : targets.length,
        standardize: options.standardize,
        dtype: options.dtype,
      },
    );
    const { summary, ...dataset } = built;
    const files = [
      `${trainPath} sha256:${train.sha256}`,
      ...(test ? [`${testPath} sha256:${test.sha256}`] : []),
    ];
    return {
      ...dataset,
      provenance:
        `dataset/csv: ${files.join(', ')}; targets [${targets.map((j) => train.header[j]).join(', ')}]` +
        `${classification ? ` classes [${classNames.join(', ')}]` : ''}; ${summary}`,
    };
  },
});

function readTable(path: string, delimiter: string): CsvTable & { sha256: string } {
  const file = readDataFile(path);
  const table = parseCsv(Buffer.from(file.bytes).toString('utf8'), path, delimiter);
  if (table.rows.length === 0)
    throw dataFileError(path, 'the file has a header but no data rows', 'Check the path.');
  return { ...table, sha256: file.sha256 };
}

function targetColumns(header: readonly string[], target: CsvOptions['target'], file: string): number[] {
  const wanted = target === undefined ? [header.length - 1] : Array.isArray(target) ? target : [target];
  return wanted.map((t) => {
    const j = typeof t === 'number' ? (t < header.length ? t : -1) : header.indexOf(t);
    if (j < 0) {
      throw dataFileError(
        file,
        `there is no column \`${t}\`; the header is \`${header.join(',')}\``,
        'Set `target` to a header name or a 0-based index.',
      );
    }
    return j;
  });
}

function number(text: string, file: string, row: number, column: string): number {
  const v = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(v))
    throw dataFileError(
      file,
      `row ${row + 1}, column \`${column}\` is \`${text}\`, expected a finite number`,
      'Remove or fill the value.',
    );
  return v;
}

function sortedLabels(values: string[]): string[] {
  const unique = [...new Set(values)];
  const numeric = unique.every((v) => v !== '' && Number.isFinite(Number(v)));
  return unique.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
}

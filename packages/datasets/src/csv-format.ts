import { dataFileError } from './data-error';

/** A parsed CSV table: the header row and the data rows, all as strings. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * Parses CSV text (RFC 4180: fields may be double-quoted, `""` is a quote inside quotes; LF or CRLF line ends;
 * blank lines skipped). The first row is the header. Every row must have as many fields as the header; a row
 * that does not is a `DATA` error naming the file and the line.
 */
export function parseCsv(text: string, file: string, delimiter = ','): CsvTable {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let sawAny = false;
  const endRecord = () => {
    fields.push(field);
    if (sawAny || fields.length > 1 || field.trim() !== '') records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    sawAny = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
      sawAny = true;
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (quoted)
    throw dataFileError(
      file,
      `a quoted field opened on line ${recordLine} is never closed`,
      'Fix the quoting.',
    );
  if (field !== '' || fields.length > 0) endRecord();
  if (records.length === 0)
    throw dataFileError(file, 'the file is empty; expected a header row and data rows', 'Check the path.');
  const header = records[0].fields.map((h) => h.trim());
  const rows = records.slice(1).map(({ fields: f, line: at }) => {
    if (f.length !== header.length) {
      throw dataFileError(
        file,
        `line ${at} has ${f.length} fields, the header has ${header.length}`,
        'Every row needs one value per column (check the `delimiter`).',
      );
    }
    return f;
  });
  return { header, rows };
}

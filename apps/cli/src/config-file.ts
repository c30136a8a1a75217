import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { BiaslabError } from '@biaslab/core';

/**
 * Reads a JSON or YAML experiment file (by extension; `.yaml`/`.yml` are YAML, anything else JSON). A file
 * that cannot be read or parsed is an INVALID_CONFIG error naming the file and the line.
 */
export function readConfigFile(path: string, cwd: string): { raw: Record<string, unknown>; path: string } {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (error) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      `Cannot read config file \`${path}\`: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
    );
  }
  const yaml = ['.yaml', '.yml'].includes(extname(full).toLowerCase());
  let raw: unknown;
  try {
    raw = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      `Config file \`${path}\` is not valid ${yaml ? 'YAML' : 'JSON'}: ${describeParseError(error, text)}.`,
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new BiaslabError(
      'INVALID_CONFIG',
      `Config file \`${path}\` must hold an object of experiment settings (\`model\`, \`dataset\`, …), received ${Array.isArray(raw) ? 'an array' : JSON.stringify(raw)}.`,
    );
  }
  return { raw: raw as Record<string, unknown>, path };
}

function describeParseError(error: unknown, text: string): string {
  if (error instanceof YAMLParseError) {
    const pos = error.linePos?.[0];
    return `${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}`;
  }
  const message = (error as Error).message;
  // V8 reports a character offset ("at position 42"); turn it into a line and column.
  const at = /position (\d+)/.exec(message);
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol)
    return `${message.replace(/ \(line \d+ column \d+\)/, '')} (line ${lineCol[1]}, column ${lineCol[2]})`;
  if (at) {
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    const col = Number(at[1]) - before.lastIndexOf('\n');
    return `${message.replace(/ in JSON at position \d+.*$/, '')} (line ${line}, column ${col})`;
  }
  return message;
}

/** Where the CLI writes; tests pass a capturing implementation. */
export interface CliIo {
  /** Results: the table, or JSON with `--json`. */
  out(text: string): void;
  /** Progress, warnings and errors. */
  err(text: string): void;
  /** Directory that relative paths (config files, plugins, `--out`) are resolved from. */
  readonly cwd: string;
  /** True when `err` goes to a terminal: progress is then redrawn in place instead of logged line by line. */
  readonly isTTY?: boolean;
  /** Width of that terminal in characters. */
  readonly columns?: number;
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  get cwd() {
    return process.cwd();
  },
  get isTTY() {
    return process.stderr.isTTY === true;
  },
  get columns() {
    return process.stderr.columns;
  },
};

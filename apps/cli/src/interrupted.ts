/** Thrown when Ctrl-C stopped an experiment; `main` prints the message and exits with 130. */
export class CliInterrupted extends Error {
  override readonly name = 'CliInterrupted';
}

/** Stable error codes: tests and callers match on these, never on message text. */
export type ErrorCode =
  | 'UNKNOWN_PLUGIN'
  | 'DUPLICATE_COMPONENT'
  | 'API_VERSION'
  | 'INVALID_OPTIONS'
  | 'INVALID_CONFIG'
  | 'INVALID_PLUGIN'
  | 'NO_RULE'
  | 'SHAPE'
  | 'DTYPE'
  | 'ONNX_FORMAT'
  | 'RUNTIME'
  | 'DATA'
  | 'RESULTS'
  | 'INTERNAL';

/**
 * The one error class of biaslab. Messages say what failed, expected vs received (names in backticks) and the
 * fix; `code` is stable so programs can react to it. The CLI prints `message` without a stack trace.
 */
export class BiaslabError extends Error {
  override readonly name = 'BiaslabError';
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

/** True when `error` is a BiaslabError (optionally with the given code), across package copies. */
export function isBiaslabError(error: unknown, code?: ErrorCode): error is BiaslabError {
  const ok =
    error instanceof BiaslabError ||
    (error instanceof Error &&
      error.name === 'BiaslabError' &&
      typeof (error as BiaslabError).code === 'string');
  return ok && (code === undefined || (error as BiaslabError).code === code);
}

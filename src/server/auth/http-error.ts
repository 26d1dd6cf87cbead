import { LienthongError, type ErrorContext, type ErrorKind } from '../../core/errors.js';

/**
 * An error the console answers with a given HTTP status (401, 403, 409, 429, …). `extra` goes
 * into the answer's error object beside code, message and kind (e.g. `retryAfterSeconds`).
 */
export class HttpError extends LienthongError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    kind: ErrorKind = 'rejected',
    context: ErrorContext = {},
  ) {
    super(code, kind, message, context);
  }
}

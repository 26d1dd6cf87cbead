/**
 * Every error lienthong raises is a LienthongError: a stable code, a kind that decides what the
 * engine does with it, the context it happened in, and the underlying cause.
 *
 * - config:    the configuration or credentials are wrong; stop the job, tell the operator.
 * - transient: the other side may succeed later (timeout, 5xx, 429); retry with backoff.
 * - rejected:  the other side refused this record or batch for good; report it, do not retry.
 * - data:      the source data breaks a rule; report the record and field, go on with the run.
 * - bug:       lienthong itself is wrong; stop and report.
 */
export type ErrorKind = 'config' | 'transient' | 'rejected' | 'data' | 'bug';

export interface ErrorContext {
  job?: string;
  run?: string;
  connector?: string;
  dataset?: string;
  /** the record's source key or idbanghi; never a personal id */
  record?: string;
  field?: string;
  file?: string;
  path?: string;
  status?: number;
  [key: string]: string | number | boolean | undefined;
}

export class LienthongError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly context: ErrorContext;

  constructor(code: string, kind: ErrorKind, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.kind = kind;
    this.context = context;
  }

  get retryable(): boolean {
    return this.kind === 'transient';
  }

  toJSON(): { name: string; code: string; kind: ErrorKind; message: string; context: ErrorContext } {
    return { name: this.name, code: this.code, kind: this.kind, message: this.message, context: this.context };
  }
}

export class ConfigError extends LienthongError {
  constructor(code: string, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(code, 'config', message, context, options);
  }
}

/** A failure that may succeed later. `retryAfterMs` is set when the other side said how long to wait. */
export class TransientError extends LienthongError {
  readonly retryAfterMs: number | undefined;
  /**
   * the remote system is up and asks us to slow down (an HTTP 429): the engine waits and retries
   * but does not count it towards opening the circuit breaker, whichever connector says it
   */
  readonly rateLimited: boolean;
  constructor(code: string, message: string, context: ErrorContext = {}, options?: { cause?: unknown; retryAfterMs?: number; rateLimited?: boolean }) {
    super(code, 'transient', message, context, options);
    this.retryAfterMs = options?.retryAfterMs;
    this.rateLimited = options?.rateLimited ?? false;
  }
}

export class RejectedError extends LienthongError {
  constructor(code: string, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(code, 'rejected', message, context, options);
  }
}

/** The batch was too large for the destination (HTTP 413): the runner splits it and sends the halves. */
export class BatchTooLargeError extends LienthongError {
  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super('BATCH_TOO_LARGE', 'rejected', message, context, options);
  }
}

export class DataError extends LienthongError {
  constructor(code: string, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(code, 'data', message, context, options);
  }
}

export class BugError extends LienthongError {
  constructor(code: string, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(code, 'bug', message, context, options);
  }
}

/** Wraps anything thrown into a LienthongError, keeping the original as `cause`. */
export function asLienthongError(err: unknown, context: ErrorContext = {}): LienthongError {
  if (err instanceof LienthongError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new BugError('UNEXPECTED', message, context, { cause: err });
}

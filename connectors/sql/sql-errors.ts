/**
 * Turning driver errors into LienthongErrors. Each driver decides whether a failure is permanent
 * (wrong credentials, unknown database, bad SQL: the operator must fix the config) or transient
 * (server down, connection lost, deadlock: retry later); this module words the error the same way
 * for all of them. The URL only ever appears redacted, and any 12- or 9-digit number in the
 * driver's message is masked in case a value from the data slipped into it.
 */
import { ConfigError, LienthongError, TransientError, type ErrorContext } from '../../src/core/errors.js';
import { maskPersonalIdsInText } from '../../src/core/redact.js';
import type { Dialect } from './dialect.js';
import { redactUrl } from './redact-url.js';

export interface SqlErrorScope {
  dialect: Dialect;
  url: string;
  stream?: string | undefined;
}

/** The `code` (string or number) and `errno` a Node database client puts on its errors. */
export function nativeCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const { code, errno } = err as { code?: unknown; errno?: unknown };
  if (typeof code === 'string' && code !== '') return code;
  if (typeof code === 'number') return String(code);
  if (typeof errno === 'number') return String(errno);
  return '';
}

export function driverMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return maskPersonalIdsInText(raw.replace(/\s+/g, ' ').trim()).slice(0, 500);
}

function context(scope: SqlErrorScope, err: unknown): ErrorContext {
  const ctx: ErrorContext = { connector: 'sql', driver: scope.dialect, url: redactUrl(scope.url) };
  if (scope.stream !== undefined) ctx.stream = scope.stream;
  const code = nativeCode(err);
  if (code !== '') ctx.nativeCode = code;
  return ctx;
}

/** The connection could not be made or was lost. */
export function connectionError(err: unknown, permanent: boolean, scope: SqlErrorScope): LienthongError {
  if (err instanceof LienthongError) return err;
  const message = `sql source (${scope.dialect}) cannot connect to ${redactUrl(scope.url)}: ${driverMessage(err)}`;
  return permanent
    ? new ConfigError('SQL_CONNECT_REFUSED', message, context(scope, err), { cause: err })
    : new TransientError('SQL_CONNECT_FAILED', message, context(scope, err), { cause: err });
}

/** A stream's query failed: bad SQL is the config's fault; a lost connection or deadlock is transient. */
export function queryError(err: unknown, transient: boolean, scope: SqlErrorScope): LienthongError {
  if (err instanceof LienthongError) return err;
  const where = scope.stream === undefined ? 'the query' : `stream '${scope.stream}': the query`;
  const message = `sql source (${scope.dialect}) ${where} failed: ${driverMessage(err)}`;
  return transient
    ? new TransientError('SQL_QUERY_INTERRUPTED', message, context(scope, err), { cause: err })
    : new ConfigError('SQL_QUERY_INVALID', message, context(scope, err), { cause: err });
}

/** Network-level failures every Node client reports the same way. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ESOCKET',
  'ETIMEOUT',
  'ECONNCLOSED',
  'PROTOCOL_CONNECTION_LOST',
]);

export function isNetworkError(err: unknown): boolean {
  if (NETWORK_CODES.has(nativeCode(err))) return true;
  const message = err instanceof Error ? err.message : '';
  return /timeout|timed out|terminated unexpectedly|connection (?:closed|lost|terminated|ended)/i.test(message);
}

/** Only one stream at a time per connection: a second one would interleave with the first. */
export class StreamGuard {
  private open = false;
  enter(scope: SqlErrorScope): void {
    if (this.open) {
      throw new ConfigError(
        'SQL_STREAM_BUSY',
        `sql source (${scope.dialect}) is already streaming; read one stream at a time per connector`,
        { connector: 'sql', driver: scope.dialect, ...(scope.stream === undefined ? {} : { stream: scope.stream }) },
      );
    }
    this.open = true;
  }
  leave(): void {
    this.open = false;
  }
}

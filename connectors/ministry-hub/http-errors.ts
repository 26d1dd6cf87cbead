import { isAxiosError } from 'axios';
import {
  BatchTooLargeError,
  ConfigError,
  LienthongError,
  RejectedError,
  TransientError,
  type ErrorContext,
} from '../../src/core/errors.js';
import { maskPersonalIdsInText } from '../../src/core/redact.js';

/**
 * `Retry-After` as ms from `now`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Undefined when
 * absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The hub's error code and message from an answer body `{ error: { code, message } }` (or close forms). */
export function hubErrorOf(body: unknown): { code?: string; message?: string } {
  if (body === null || typeof body !== 'object') return {};
  const { error, code, message } = body as { error?: unknown; code?: unknown; message?: unknown };
  if (error !== null && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown };
    return {
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(typeof e.message === 'string' ? { message: e.message } : {}),
    };
  }
  return {
    ...(typeof error === 'string' ? { code: error } : typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

/** a hub message fit for our errors: short, with any personal id masked */
function safe(text: string | undefined): string {
  if (text === undefined || text === '') return '';
  const short = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return `: ${maskPersonalIdsInText(short)}`;
}

/**
 * Maps a whole-request failure answer to the error that tells the engine what to do. 401 is
 * handled by the client (one new token, one resend) before it gets here.
 */
export function errorForStatus(
  status: number,
  body: unknown,
  retryAfterHeader: string | undefined,
  context: ErrorContext,
  now: number = Date.now(),
): LienthongError {
  const { code, message } = hubErrorOf(body);
  const ctx = { ...context, status };
  const detail = `${code ?? `HTTP ${status}`}${safe(message)}`;
  if (status === 401) {
    return new ConfigError('HUB_UNAUTHORIZED', `the hub refused the credentials twice (401): check clientId and clientSecret (${detail})`, ctx);
  }
  if (status === 403) {
    return new ConfigError('HUB_FORBIDDEN', `the hub does not let this client act for this unit or dataset (403, ${detail})`, ctx);
  }
  if (status === 404) {
    return new ConfigError('HUB_NOT_FOUND', `the hub has no such endpoint or dataset (404, ${detail}): check baseUrl and paths`, ctx);
  }
  if (status === 413) return new BatchTooLargeError(`the hub found the batch too large (413, ${detail})`, ctx);
  const retryAfterMs = parseRetryAfter(retryAfterHeader, now);
  if (status === 429) {
    return new TransientError('HUB_RATE_LIMITED', `the hub is rate limiting (429, ${detail})`, ctx, retryAfter(retryAfterMs));
  }
  if (status >= 500 || status === 408) {
    return new TransientError('HUB_UNAVAILABLE', `the hub failed (${status}, ${detail}); the batch may or may not have been applied`, ctx, retryAfter(retryAfterMs));
  }
  const fallback = status === 400 ? 'HUB_BAD_REQUEST' : status === 422 ? 'HUB_UNPROCESSABLE' : `HUB_HTTP_${status}`;
  return new RejectedError(code ?? fallback, `the hub refused the request (${status}, ${detail})`, ctx);
}

function retryAfter(ms: number | undefined): { retryAfterMs?: number } {
  return ms === undefined ? {} : { retryAfterMs: ms };
}

/**
 * OpenSSL's certificate verification failures as Node reports them (`err.code`), plus Node's own
 * host name check. None of them goes away by waiting: the certificate, the host name or the trust
 * store must change, so they are configuration errors, never retried.
 */
const TLS_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_CERT_ALTNAME_FORMAT',
]);

/** a TLS failure that waiting does not fix: a certificate refused, or no TLS protocol in common */
export function isTlsConfigFailure(code: string | undefined): boolean {
  if (code === undefined) return false;
  // ERR_SSL_*: the handshake itself failed (https to a plain-http port, no common protocol or
  // cipher); a reset during a handshake has its own code (ECONNRESET) and stays transient.
  return TLS_CERT_CODES.has(code) || code.startsWith('ERR_SSL_') || code === 'ERR_TLS_HANDSHAKE_FAILURE' || code === 'EPROTO';
}

/** the error code of a failed request: axios copies the socket's, but look at the cause too */
export function errorCodeOf(raw: unknown): string | undefined {
  const own = isAxiosError(raw) ? raw.code : (raw as NodeJS.ErrnoException | undefined)?.code;
  const cause = raw instanceof Error ? (raw.cause as NodeJS.ErrnoException | undefined)?.code : undefined;
  if (isTlsConfigFailure(cause)) return cause;
  return own ?? cause;
}

/**
 * A request that got no answer (reset, refused, timeout, aborted) is transient; a TLS certificate
 * the client cannot trust is a configuration error (HUB_TLS); an answer over the size bound is
 * transient (HUB_ANSWER_TOO_LARGE: see the client's `answerBound`).
 */
export function errorForNoAnswer(raw: unknown, context: ErrorContext, signal?: AbortSignal): LienthongError {
  if (raw instanceof LienthongError) return raw;
  const code = errorCodeOf(raw);
  // Not the axios error itself: it carries the request's headers (the token) and body (personal data).
  const err = new Error(`${code ?? 'ERROR'}: ${raw instanceof Error ? raw.message : String(raw)}`);
  if (isTlsConfigFailure(code)) {
    return new ConfigError(
      'HUB_TLS',
      `the hub's TLS connection cannot be trusted (${code}): check that baseUrl names the hub's host as its certificate does, ` +
        'that the certificate is valid today, and that its CA is trusted by this machine (a private CA: add it with NODE_EXTRA_CA_CERTS=/path/ca.pem)',
      context,
      { cause: err },
    );
  }
  if (code === 'ERR_BAD_RESPONSE' && raw instanceof Error && /maxContentLength/.test(raw.message)) {
    // The records' fate is unknown (the hub may have applied them before answering too much):
    // they are resent later, and the hub's "stale, same hash" settles the ones it applied.
    return new TransientError(
      'HUB_ANSWER_TOO_LARGE',
      `the hub's answer was larger than ${String(context.answerBound ?? 'the bound')} bytes and was refused before it was read whole; the batch may or may not have been applied`,
      context,
      { cause: err },
    );
  }
  const reason: unknown = signal?.reason;
  const timedOut =
    code === 'ECONNABORTED' || code === 'ETIMEDOUT' || (reason instanceof Error && reason.name === 'TimeoutError');
  if (timedOut) {
    return new TransientError('HUB_TIMEOUT', 'the hub did not answer in time; the batch may or may not have been applied', context, { cause: err });
  }
  if (signal?.aborted === true) {
    return new TransientError('HUB_ABORTED', 'the request to the hub was cancelled', context, { cause: err });
  }
  return new TransientError('HUB_NETWORK', `no answer from the hub (${code ?? 'network error'}); the batch may or may not have been applied`, context, { cause: err });
}

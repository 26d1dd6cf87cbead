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

/** A request that got no answer (reset, refused, timeout, aborted) is transient. */
export function errorForNoAnswer(raw: unknown, context: ErrorContext, signal?: AbortSignal): LienthongError {
  if (raw instanceof LienthongError) return raw;
  const code = isAxiosError(raw) ? raw.code : (raw as NodeJS.ErrnoException | undefined)?.code;
  // Not the axios error itself: it carries the request's headers (the token) and body (personal data).
  const err = new Error(`${code ?? 'ERROR'}: ${raw instanceof Error ? raw.message : String(raw)}`);
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

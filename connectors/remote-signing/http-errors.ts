import { isAxiosError } from 'axios';
import { ConfigError, LienthongError, RejectedError, TransientError, type ErrorContext } from '../../src/core/errors.js';
import { maskPersonalIdsInText } from '../../src/core/redact.js';
import { isTlsConfigFailure, parseRetryAfter } from '../ministry-hub/http-errors.js';
import { cscErrorOf } from './answers.js';

/** a service message fit for our errors: short, with any personal id masked */
function safe(text: string | undefined): string {
  if (text === undefined || text === '') return '';
  const short = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return `: ${maskPersonalIdsInText(short)}`;
}

/**
 * Maps a failure answer of `call` (e.g. `signatures/signHash`) to the error that says what to do:
 * 429 and 5xx transient (the client retries them within its budget), 400 and 404 permanent with the
 * service's `error_description`, 401 (after the one new token) and 403 configuration.
 */
export function errorForStatus(call: string, status: number, body: unknown, retryAfterHeader: string | undefined, context: ErrorContext, now: number): LienthongError {
  const { error, description } = cscErrorOf(body);
  const ctx = { ...context, status };
  const detail = `${error ?? `HTTP ${status}`}${safe(description)}`;
  if (status === 401) {
    return new ConfigError('RSIGN_UNAUTHORIZED', `${call}: the signing service refused the credentials twice (401, ${detail}): check clientId and clientSecret`, ctx);
  }
  if (status === 403) {
    return new ConfigError('RSIGN_FORBIDDEN', `${call}: the signing service does not let this client act for this signer (403, ${detail})`, ctx);
  }
  const retryAfterMs = parseRetryAfter(retryAfterHeader, now);
  const wait = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (status === 429) return new TransientError('RSIGN_RATE_LIMITED', `${call}: the signing service is rate limiting (429, ${detail})`, ctx, wait);
  if (status >= 500 || status === 408) return new TransientError('RSIGN_UNAVAILABLE', `${call}: the signing service failed (${status}, ${detail})`, ctx, wait);
  if (status === 404) return new RejectedError('RSIGN_NOT_FOUND', `${call}: the signing service does not know it (404, ${detail})`, ctx);
  if (status === 400) return new RejectedError('RSIGN_BAD_REQUEST', `${call}: the signing service refused the request (400, ${detail})`, ctx);
  return new RejectedError('RSIGN_REFUSED', `${call}: the signing service refused the request (${status}, ${detail})`, ctx);
}

/** the error code of a failed request: axios copies the socket's, but look at the cause too */
function errorCodeOf(raw: unknown): string | undefined {
  const own = isAxiosError(raw) ? raw.code : (raw as NodeJS.ErrnoException | undefined)?.code;
  const cause = raw instanceof Error ? (raw.cause as NodeJS.ErrnoException | undefined)?.code : undefined;
  if (isTlsConfigFailure(cause)) return cause;
  return own ?? cause;
}

/**
 * A call that got no answer: a reset, a refusal or a timeout is transient; an untrusted TLS
 * certificate is configuration; an answer over its size bound is transient; a cancelled call
 * (the caller's signal) is RSIGN_ABORTED and is not retried.
 */
export function errorForNoAnswer(call: string, raw: unknown, context: ErrorContext, signal?: AbortSignal): LienthongError {
  if (raw instanceof LienthongError) return raw;
  const code = errorCodeOf(raw);
  // Not the axios error itself: it carries the request's headers (the token) and body.
  const err = new Error(`${code ?? 'ERROR'}: ${raw instanceof Error ? raw.message : String(raw)}`);
  if (isTlsConfigFailure(code)) {
    return new ConfigError(
      'RSIGN_TLS',
      `${call}: the signing service's TLS connection cannot be trusted (${code}): check baseUrl's host name and the service's CA (a private CA: NODE_EXTRA_CA_CERTS=/path/ca.pem)`,
      context,
      { cause: err },
    );
  }
  if (code === 'ERR_BAD_RESPONSE' && raw instanceof Error && /maxContentLength/.test(raw.message)) {
    return new TransientError('RSIGN_ANSWER_TOO_LARGE', `${call}: the signing service's answer was larger than ${String(context.answerBound ?? 'the bound')} bytes and was refused unread`, context, { cause: err });
  }
  if (signal?.aborted === true) return new TransientError('RSIGN_ABORTED', `${call}: cancelled`, context, { cause: err });
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new TransientError('RSIGN_TIMEOUT', `${call}: the signing service did not answer in time`, context, { cause: err });
  }
  return new TransientError('RSIGN_NETWORK', `${call}: no answer from the signing service (${code ?? 'network error'})`, context, { cause: err });
}

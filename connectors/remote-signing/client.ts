import { Agent as HttpAgent } from 'node:http';
import { parseJsonText, stringHeader } from '../../src/core/http-answer.js';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import { BugError, ConfigError, DataError, TransientError, type ErrorContext } from '../../src/core/errors.js';
import {
  credentialInfoAnswerSchema,
  credentialsListAnswerSchema,
  cscErrorOf,
  firstIssue,
  signHashAnswerSchema,
  statusAnswerSchema,
  tokenAnswerSchema,
} from './answers.js';
import { REAL_TIMING, backoffDelay, sleepOrAbort, withRetries, type Timing } from './backoff.js';
import { DEFAULT_SIGNING_PATHS, checkTransport, parseRemoteSigningConfig, type RemoteSigningConfig, type RemoteSigningConfigInput } from './config.js';
import { errorForNoAnswer, errorForStatus } from './http-errors.js';

/** The contract's most hashes in one signHash request (one approval on the signer's phone). */
export const MAX_HASHES_PER_REQUEST = 500;
/** SHA-256, the one digest the contract uses */
export const HASH_ALGORITHM_OID = '2.16.840.1.101.3.4.2.1';
/** sha256WithRSAEncryption: RSASSA-PKCS1-v1_5 over the SHA-256 digest */
export const SIGN_ALGORITHM_OID = '1.2.840.113549.1.1.11';

/**
 * Bounds on the size of the service's answers, checked as the bytes arrive: a broken or hostile
 * service cannot make us buffer gigabytes. Generous for what the contract says comes back.
 */
export const SIGNING_ANSWER_BOUNDS = {
  /** a token, a credential list, a transaction, an error */
  baseBytes: 64 * 1024,
  /** a credential's certificate chain */
  infoBytes: 512 * 1024,
  /** per signature of a status answer (a 4096-bit RSA value is 684 base64 characters) */
  perSignatureBytes: 2 * 1024,
} as const;

export interface CredentialInfo {
  credentialId: string;
  keyStatus: 'enabled' | 'disabled';
  /** the key's algorithm OIDs as the service lists them */
  keyAlgorithms: string[];
  keyLength?: number;
  certStatus: 'valid' | 'expired' | 'revoked';
  /** the certificate chain as PEM, leaf first */
  chainPem: string[];
  subjectDN?: string;
  serialNumber?: string;
  validFrom?: Date;
  validTo?: Date;
}

export interface SignHashRequest {
  credentialId: string;
  /** SHA-256 digests (32 bytes each), at most MAX_HASHES_PER_REQUEST */
  hashes: readonly Buffer[];
  /** what the signer sees on their phone */
  description: string;
  /** makes the request idempotent: the same id again answers the same transaction */
  clientRequestId: string;
}

export interface SignTransaction {
  transactionId: string;
  expiresAt: Date;
}

export type SignatureStatus =
  | { status: 'PENDING' }
  /** signatures: RSASSA-PKCS1-v1_5 values, one per hash, in request order */
  | { status: 'APPROVED'; signatures: Buffer[]; approvedAt: Date }
  | { status: 'REJECTED'; reason: string }
  | { status: 'EXPIRED' };

export interface WaitOptions {
  signal?: AbortSignal;
  /** stop polling after this long and answer PENDING (default: the connection's maxWaitMs) */
  maxWaitMs?: number;
}

export interface RemoteSigningClientOptions extends Partial<Timing> {
  /** told once, at construction, when the connection sends in clear to another machine */
  warn?: (message: string) => void;
}

const PERSONAL_ID = /^\d{12}$/;
/** what `probe` lists the credentials of: twelve digits, no person's */
const PROBE_PERSONAL_ID = '000000000000';

/**
 * A client of a remote signing service (docs/contracts/remote-signing.md): OAuth2 client
 * credentials with a cached token (a 401 gets one new token and one resend), the four CSC calls,
 * and polling for the signer's decision. 429, 5xx, resets and timeouts are retried with backoff
 * within `retryBudgetMs` per call (signHash too: its clientRequestId makes a resend safe); 400 and
 * 404 are permanent. The client checks no certificate and no signature value: see
 * `checkSignerCertificate` and `verifySignatureValues` (documents/xmldsig/signer-certificate.ts).
 */
export class RemoteSigningClient {
  readonly config: RemoteSigningConfig;
  private readonly http: AxiosInstance;
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true });
  private readonly timing: Timing;
  private token: { value: string; renewAt: number } | undefined;
  private tokenRequest: Promise<string> | undefined;

  constructor(input: RemoteSigningConfigInput, options: RemoteSigningClientOptions = {}) {
    this.config = parseRemoteSigningConfig(input);
    this.timing = {
      now: options.now ?? REAL_TIMING.now,
      sleep: options.sleep ?? REAL_TIMING.sleep,
      random: options.random ?? REAL_TIMING.random,
    };
    const where = this.config.name ?? 'remote signing connection';
    if (checkTransport(this.config.baseUrl, this.config.allowInsecureHttp, where).insecure) {
      options.warn?.(`${where}: plain http to ${new URL(this.config.baseUrl).origin} (allowInsecureHttp: true): the client secret and tokens travel unencrypted`);
    }
    this.http = axios.create({
      baseURL: this.config.baseUrl.replace(/\/+$/, ''),
      timeout: this.config.timeoutMs,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      // every status and every body is read here (a malformed answer is told apart from an error)
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
      proxy: false,
    });
  }

  /**
   * `lienthong check`: the service answers, takes the client credentials (a token) and serves
   * credentials/list. The contract has no health endpoint, so the probe lists the credentials of
   * 000000000000, an id no person has: only the answer's shape is read (an empty list is the
   * expected answer). Throws what the calls throw: RSIGN_AUTH_FAILED (configuration) for refused
   * credentials, a transient error for a service that does not answer.
   */
  async probe(signal?: AbortSignal): Promise<string> {
    await this.listCredentials(PROBE_PERSONAL_ID, signal);
    return `the signing service at ${new URL(this.config.baseUrl).origin} answers and accepts the client credentials (credentials/list)`;
  }

  /** the credential ids of a signer (empty: the person has no remote credential) */
  async listCredentials(personalId: string, signal?: AbortSignal): Promise<string[]> {
    if (!PERSONAL_ID.test(personalId)) {
      throw new DataError('SIGNING_KEY_ID_INVALID', "credentials/list: the signer's personal id is not 12 digits", { connector: 'remote-signing' });
    }
    const body = await this.call('credentials/list', 'credentialsList', { userId: personalId }, SIGNING_ANSWER_BOUNDS.baseBytes, signal);
    return this.parse('credentials/list', credentialsListAnswerSchema, body).credentialIds;
  }

  /** the key's and certificate's status and the certificate chain (PEM, leaf first) of a credential */
  async credentialInfo(credentialId: string, signal?: AbortSignal): Promise<CredentialInfo> {
    const body = await this.call('credentials/info', 'credentialsInfo', { credentialId, certificates: 'chain' }, SIGNING_ANSWER_BOUNDS.infoBytes, signal);
    const { key, cert } = this.parse('credentials/info', credentialInfoAnswerSchema, body);
    return {
      credentialId,
      keyStatus: key.status,
      keyAlgorithms: key.algo,
      ...(key.len === undefined ? {} : { keyLength: key.len }),
      certStatus: cert.status,
      chainPem: cert.certificates.map(derBase64ToPem),
      ...(cert.subjectDN === undefined ? {} : { subjectDN: cert.subjectDN }),
      ...(cert.serialNumber === undefined ? {} : { serialNumber: cert.serialNumber }),
      ...dateField('validFrom', cert.validFrom),
      ...dateField('validTo', cert.validTo),
    };
  }

  /**
   * Asks the signer to approve signatures over `hashes`. Answers at once with the transaction;
   * the decision comes later (`status`, `waitForDecision`). More than MAX_HASHES_PER_REQUEST
   * hashes, or a hash that is not a SHA-256 digest, is a programming error (BugError).
   */
  async signHash(request: SignHashRequest, signal?: AbortSignal): Promise<SignTransaction> {
    checkSignHashRequest(request);
    const body = await this.call(
      'signatures/signHash',
      'signHash',
      {
        credentialId: request.credentialId,
        hashes: request.hashes.map((h) => h.toString('base64')),
        hashAlgorithmOID: HASH_ALGORITHM_OID,
        signAlgo: SIGN_ALGORITHM_OID,
        description: request.description,
        clientRequestId: request.clientRequestId,
      },
      SIGNING_ANSWER_BOUNDS.baseBytes,
      signal,
    );
    const answer = this.parse('signatures/signHash', signHashAnswerSchema, body);
    return { transactionId: answer.transactionId, expiresAt: new Date(answer.expiresAt) };
  }

  /** where a transaction stands now */
  async status(transactionId: string, signal?: AbortSignal): Promise<SignatureStatus> {
    const bound = SIGNING_ANSWER_BOUNDS.baseBytes + SIGNING_ANSWER_BOUNDS.perSignatureBytes * MAX_HASHES_PER_REQUEST;
    const body = await this.call('signatures/status', 'status', { transactionId }, bound, signal);
    const answer = this.parse('signatures/status', statusAnswerSchema, body);
    switch (answer.status) {
      case 'APPROVED':
        return { status: 'APPROVED', signatures: answer.signatures.map((s) => Buffer.from(s, 'base64')), approvedAt: new Date(answer.approvedAt) };
      case 'REJECTED':
        return { status: 'REJECTED', reason: answer.reason };
      default:
        return { status: answer.status };
    }
  }

  /**
   * Polls `status` until the signer decides or the transaction expires, waiting longer each time
   * (pollInitialDelayMs doubled up to pollMaxDelayMs, with jitter). After `maxWaitMs` it answers
   * the last PENDING: approval can take hours, and the caller keeps the transaction to ask again
   * later rather than block. The signal cancels the wait (RSIGN_ABORTED).
   */
  async waitForDecision(transactionId: string, options: WaitOptions = {}): Promise<SignatureStatus> {
    const { signal } = options;
    const maxWaitMs = options.maxWaitMs ?? this.config.maxWaitMs;
    const start = this.timing.now();
    for (let poll = 0; ; poll++) {
      const current = await this.status(transactionId, signal);
      const left = maxWaitMs - (this.timing.now() - start);
      if (current.status !== 'PENDING' || left <= 0) return current;
      const delay = backoffDelay(poll, this.config.pollInitialDelayMs, this.config.pollMaxDelayMs, this.timing.random);
      await sleepOrAbort('signatures/status', Math.min(delay, left), this.timing, signal);
    }
  }

  /** closes the kept-alive connections */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private path(kind: keyof typeof DEFAULT_SIGNING_PATHS): string {
    return this.config.paths?.[kind] ?? DEFAULT_SIGNING_PATHS[kind];
  }

  private parse<S extends z.ZodType>(call: string, schema: S, body: unknown): z.output<S> {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new BugError('RSIGN_BAD_ANSWER', `${call}: the signing service answered with a body that does not follow the contract (${firstIssue(parsed.error.issues)})`, {
      connector: 'remote-signing',
      call,
    });
  }

  /** one contract call with retries: a 401 gets one new token and one resend; transient failures back off */
  private call(call: string, kind: keyof typeof DEFAULT_SIGNING_PATHS, payload: object, maxAnswerBytes: number, signal?: AbortSignal): Promise<unknown> {
    const context: ErrorContext = { connector: 'remote-signing', call };
    const text = JSON.stringify(payload);
    const policy = { budgetMs: this.config.retryBudgetMs, initialDelayMs: this.config.retryInitialDelayMs, maxDelayMs: this.config.retryMaxDelayMs };
    return withRetries(
      call,
      async () => {
        const token = await this.accessToken(signal);
        let res = await this.send(call, kind, text, token, maxAnswerBytes, context, signal);
        if (res.status === 401) {
          if (this.token?.value === token) this.token = undefined;
          res = await this.send(call, kind, text, await this.accessToken(signal), maxAnswerBytes, context, signal);
        }
        const body = parseJsonText(res.data);
        if (res.status >= 200 && res.status < 300) return body;
        throw errorForStatus(call, res.status, body, stringHeader(res, 'retry-after'), context, this.timing.now());
      },
      policy,
      this.timing,
      signal,
    );
  }

  private async send(call: string, kind: keyof typeof DEFAULT_SIGNING_PATHS, text: string, token: string, maxAnswerBytes: number, context: ErrorContext, signal?: AbortSignal): Promise<AxiosResponse<string>> {
    try {
      return await this.http.post<string>(this.path(kind), text, {
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8', accept: 'application/json' },
        maxContentLength: maxAnswerBytes,
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (err) {
      throw errorForNoAnswer(call, err, { ...context, answerBound: maxAnswerBytes }, signal);
    }
  }

  /**
   * A live token from the cache or the token endpoint, one request at a time. The request is shared
   * by every call waiting for it, so no one caller's signal cancels it (timeoutMs bounds it); a
   * cancelled caller stops waiting for it.
   */
  private async accessToken(signal?: AbortSignal): Promise<string> {
    if (this.token !== undefined && this.token.renewAt > this.timing.now()) return this.token.value;
    this.tokenRequest ??= this.fetchToken().finally(() => {
      this.tokenRequest = undefined;
    });
    if (signal === undefined) return this.tokenRequest;
    return raceAbort(this.tokenRequest, signal);
  }

  private async fetchToken(): Promise<string> {
    const call = 'oauth2/token';
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.config.clientId, client_secret: this.config.clientSecret });
    const context: ErrorContext = { connector: 'remote-signing', call };
    let res: AxiosResponse<string>;
    try {
      res = await this.http.post<string>(this.path('token'), form.toString(), {
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        maxContentLength: SIGNING_ANSWER_BOUNDS.baseBytes,
      });
    } catch (err) {
      throw errorForNoAnswer(call, err, context);
    }
    const body = parseJsonText(res.data);
    if (res.status === 400 || res.status === 401) {
      const { error } = cscErrorOf(body);
      throw new ConfigError('RSIGN_AUTH_FAILED', `${call}: the signing service refused the client credentials (${res.status}, ${error ?? 'no reason given'}): check clientId and clientSecret`, {
        ...context,
        status: res.status,
      });
    }
    if (res.status !== 200) throw errorForStatus(call, res.status, body, stringHeader(res, 'retry-after'), context, this.timing.now());
    const answer = this.parse(call, tokenAnswerSchema, body);
    const ttlMs = (answer.expires_in ?? 3600) * 1000;
    // renew before the service's expiry: a minute early, or halfway for short-lived tokens
    this.token = { value: answer.access_token, renewAt: this.timing.now() + ttlMs - Math.min(60_000, ttlMs / 2) };
    return answer.access_token;
  }
}

function checkSignHashRequest(request: SignHashRequest): void {
  const context: ErrorContext = { connector: 'remote-signing', call: 'signatures/signHash' };
  const count = request.hashes.length;
  if (count === 0 || count > MAX_HASHES_PER_REQUEST) {
    throw new BugError('RSIGN_HASH_COUNT', `signatures/signHash: ${count} hashes in one request; the contract takes 1 to ${MAX_HASHES_PER_REQUEST} (split the batch)`, { ...context, hashes: count });
  }
  const bad = request.hashes.findIndex((h) => !Buffer.isBuffer(h) || h.length !== 32);
  if (bad >= 0) throw new BugError('RSIGN_BAD_HASH', `signatures/signHash: hash ${bad} is not a 32-byte SHA-256 digest`, context);
  if (request.description.trim() === '') throw new BugError('RSIGN_BAD_REQUEST_ARGUMENT', 'signatures/signHash: the description the signer sees is empty', context);
  if (!/^[\x21-\x7e]{1,128}$/.test(request.clientRequestId)) {
    throw new BugError('RSIGN_BAD_REQUEST_ARGUMENT', 'signatures/signHash: clientRequestId must be 1 to 128 visible ASCII characters', context);
  }
}

/** a base64 DER certificate as PEM (64-character lines) */
export function derBase64ToPem(base64: string): string {
  const body = Buffer.from(base64, 'base64').toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${(body.match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
}

function dateField<K extends string>(key: K, value: string | undefined): { [P in K]?: Date } {
  if (value === undefined) return {};
  const time = Date.parse(value);
  return Number.isNaN(time) ? {} : ({ [key]: new Date(time) } as { [P in K]?: Date });
}

/** `promise`, or RSIGN_ABORTED as soon as `signal` aborts (the promise itself runs on) */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  const aborted = (): TransientError => new TransientError('RSIGN_ABORTED', 'oauth2/token: cancelled', { connector: 'remote-signing' }, { cause: signal.reason });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}


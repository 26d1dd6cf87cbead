import { Agent as HttpAgent } from 'node:http';
import { parseJsonText, stringHeader } from '../../src/core/http-answer.js';
import { Agent as HttpsAgent } from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { BugError, ConfigError, type ErrorContext } from '../../src/core/errors.js';
import { DEFAULT_HUB_PATHS, type MinistryHubConfig } from './config.js';
import { errorForNoAnswer, errorForStatus, hubErrorOf } from './http-errors.js';
import { batchAnswerSchema, hubRecordSchema, recordsPageSchema, tokenAnswerSchema, type BatchAnswer, type HubRecord, type RecordsPage } from './answers.js';

/** gzip on libuv's thread pool: a batch body is compressed off the event loop (and off the mapping) */
const gzipAsync = promisify(gzip);

/** Renew a cached token this long before the hub says it expires. */
const TOKEN_RENEW_MARGIN_MS = 60_000;

/**
 * Bounds on the size of the hub's answers, checked as the bytes arrive (after gzip is undone, so
 * a small compressed bomb is bounded too) and before anything is parsed: a broken or hostile hub
 * cannot make us buffer gigabytes. Each is generous for what the contract says comes back.
 */
export const ANSWER_BOUNDS = {
  /** any answer: an error body, a token */
  baseBytes: 64 * 1024,
  /** a batch answer: one result per record, rejections with their field errors */
  perBatchRecordBytes: 16 * 1024,
  /** a read-back page: one line (idbanghi, phienban, hash, receipt, dates) per record */
  perPageRecordBytes: 2 * 1024,
  /** one record read with its data and documents (a signed school record carries XML and PDF) */
  recordBytes: 16 * 1024 * 1024,
} as const;

/** most bytes the answer to a batch of `records` may have */
export function batchAnswerBound(records: number): number {
  return ANSWER_BOUNDS.baseBytes + ANSWER_BOUNDS.perBatchRecordBytes * records;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | number | undefined>;
  /** the exact JSON text to send */
  body?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  context: ErrorContext;
  /** statuses the caller handles itself (e.g. 404 of a record read) */
  passStatuses?: readonly number[];
  /** most bytes the answer may have (decompressed); a larger one is refused unread */
  maxAnswerBytes: number;
}

/**
 * Low-level HTTP to the ministry hub: keep-alive connections, OAuth2 client credentials with a
 * token cache, gzip bodies above a threshold, a timeout per call, and the contract's error mapping.
 * It does not retry: the engine does. The one exception is the contract's 401 rule (new token
 * once, send again).
 */
export class HubClient {
  private readonly http: AxiosInstance;
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private token: CachedToken | undefined;
  private tokenRequest: Promise<string> | undefined;

  constructor(
    private readonly config: MinistryHubConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets: config.maxSockets });
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: config.maxSockets });
    this.http = axios.create({
      baseURL: config.baseUrl.replace(/\/+$/, ''),
      timeout: config.timeoutMs,
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      // We read every status ourselves and parse JSON ourselves (to tell a malformed answer apart).
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
      proxy: false,
    });
  }

  /** the path of an endpoint for a dataset (and record), from the configured templates */
  path(kind: keyof typeof DEFAULT_HUB_PATHS, dataset = '', idbanghi = ''): string {
    const template = this.config.paths?.[kind] ?? DEFAULT_HUB_PATHS[kind];
    const segment = this.config.datasetPaths?.[dataset] ?? dataset;
    return template
      .replace('{dataset}', encodeURIComponent(segment))
      .replace('{idbanghi}', encodeURIComponent(idbanghi));
  }

  /** a live access token, from the cache or the token endpoint (one request at a time) */
  async accessToken(signal?: AbortSignal): Promise<string> {
    if (this.token !== undefined && this.token.expiresAt - TOKEN_RENEW_MARGIN_MS > this.now()) return this.token.value;
    this.tokenRequest ??= this.fetchToken(signal).finally(() => {
      this.tokenRequest = undefined;
    });
    return this.tokenRequest;
  }

  /**
   * Forgets the cached token if it is the one the hub refused (401): calls in flight when a token
   * is revoked all get a 401, and the first to come back fetches a new token that the others then
   * resend with, instead of each throwing the last one's away.
   */
  private invalidateToken(refused: string): void {
    if (this.token?.value === refused) this.token = undefined;
  }

  private async fetchToken(signal?: AbortSignal): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
    });
    if (this.config.scope !== undefined) form.set('scope', this.config.scope);
    const context: ErrorContext = { connector: 'ministry-hub', path: this.path('token') };
    let res: AxiosResponse<string>;
    try {
      res = await this.http.post<string>(this.path('token'), form.toString(), {
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        maxContentLength: ANSWER_BOUNDS.baseBytes,
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (err) {
      throw errorForNoAnswer(err, context, signal);
    }
    const body = parseJsonText(res.data);
    if (res.status === 400 || res.status === 401) {
      const { code } = hubErrorOf(body);
      throw new ConfigError('HUB_AUTH_FAILED', `the hub refused the client credentials (${res.status}, ${code ?? 'no reason given'}): check clientId and clientSecret`, {
        ...context,
        status: res.status,
      });
    }
    if (res.status !== 200) throw errorForStatus(res.status, body, stringHeader(res, 'retry-after'), context, this.now());
    const parsed = tokenAnswerSchema.safeParse(body);
    if (!parsed.success) throw new BugError('HUB_BAD_TOKEN_ANSWER', 'the hub answered the token request with an unreadable body', { ...context, status: 200 });
    const expiresInMs = (parsed.data.expires_in ?? 3600) * 1000;
    this.token = { value: parsed.data.access_token, expiresAt: this.now() + expiresInMs };
    return parsed.data.access_token;
  }

  /** sends one call with the bearer token; a 401 gets one new token and one resend */
  private async call(call: Call): Promise<{ status: number; body: unknown }> {
    const token = await this.accessToken(call.signal);
    let res = await this.send(call, token);
    if (res.status === 401) {
      this.invalidateToken(token);
      res = await this.send(call, await this.accessToken(call.signal));
    }
    const body = parseJsonText(res.data);
    if (res.status >= 200 && res.status < 300) return { status: res.status, body };
    if (call.passStatuses?.includes(res.status) === true) return { status: res.status, body };
    throw errorForStatus(res.status, body, stringHeader(res, 'retry-after'), call.context, this.now());
  }

  private async send(call: Call, token: string): Promise<AxiosResponse<string>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      'x-unit-code': this.config.unitCode,
      accept: 'application/json',
      ...call.headers,
    };
    let data: Buffer | undefined;
    if (call.body !== undefined) {
      data = Buffer.from(call.body, 'utf8');
      headers['content-type'] = 'application/json; charset=utf-8';
      if (data.length > this.config.gzipThresholdBytes) {
        data = await gzipAsync(data);
        headers['content-encoding'] = 'gzip';
      }
    }
    try {
      return await this.http.request<string>({
        method: call.method,
        url: call.path,
        headers,
        ...(call.query === undefined ? {} : { params: withoutUndefined(call.query) }),
        ...(data === undefined ? {} : { data }),
        ...(call.signal === undefined ? {} : { signal: call.signal }),
        maxContentLength: call.maxAnswerBytes,
      });
    } catch (err) {
      throw errorForNoAnswer(err, { ...call.context, answerBound: call.maxAnswerBytes }, call.signal);
    }
  }

  /**
   * `POST {batches}` with the exact body text and its idempotency key; answers the parsed 200 body.
   * `records` (how many the body carries) bounds the answer's size.
   */
  async postBatch(dataset: string, body: string, idempotencyKey: string, records: number, signal?: AbortSignal): Promise<BatchAnswer> {
    const context: ErrorContext = { connector: 'ministry-hub', dataset, records };
    const { body: answer } = await this.call({
      method: 'POST',
      path: this.path('batches', dataset),
      body,
      headers: { 'idempotency-key': idempotencyKey },
      context,
      maxAnswerBytes: batchAnswerBound(records),
      ...(signal === undefined ? {} : { signal }),
    });
    const parsed = batchAnswerSchema.safeParse(answer);
    if (!parsed.success) {
      throw new BugError('HUB_BAD_ANSWER', `the hub answered the batch with a body that does not follow the contract (${firstIssue(parsed.error.issues)})`, context);
    }
    return parsed.data;
  }

  /** one page of the read-back API */
  async listRecords(
    dataset: string,
    query: { cursor?: string | null; limit: number; updatedSince?: string },
    signal?: AbortSignal,
  ): Promise<RecordsPage> {
    const context: ErrorContext = { connector: 'ministry-hub', dataset };
    const { body } = await this.call({
      method: 'GET',
      path: this.path('records', dataset),
      query: {
        unitCode: this.config.unitCode,
        limit: query.limit,
        updatedSince: query.updatedSince,
        cursor: query.cursor ?? undefined,
      },
      context,
      maxAnswerBytes: ANSWER_BOUNDS.baseBytes + ANSWER_BOUNDS.perPageRecordBytes * query.limit,
      ...(signal === undefined ? {} : { signal }),
    });
    const parsed = recordsPageSchema.safeParse(body);
    if (!parsed.success) {
      throw new BugError('HUB_BAD_ANSWER', `the hub answered the read-back with a body that does not follow the contract (${firstIssue(parsed.error.issues)})`, context);
    }
    return parsed.data;
  }

  /** the current version of one record with its data, or null when the hub holds none (404) */
  async getRecord(dataset: string, idbanghi: string, signal?: AbortSignal): Promise<HubRecord | null> {
    const context: ErrorContext = { connector: 'ministry-hub', dataset, record: idbanghi };
    const { status, body } = await this.call({
      method: 'GET',
      path: this.path('record', dataset, idbanghi),
      context,
      passStatuses: [404],
      maxAnswerBytes: ANSWER_BOUNDS.recordBytes,
      ...(signal === undefined ? {} : { signal }),
    });
    if (status === 404) {
      // A 404 of the record means "not held"; a 404 of a wrong path is a config problem.
      const { code } = hubErrorOf(body);
      if (code !== undefined && code !== 'RECORD_NOT_FOUND' && code !== 'NOT_FOUND_RECORD') {
        throw errorForStatus(404, body, undefined, context, this.now());
      }
      return null;
    }
    const parsed = hubRecordSchema.safeParse(body);
    if (!parsed.success) {
      throw new BugError('HUB_BAD_ANSWER', `the hub answered the record read with a body that does not follow the contract (${firstIssue(parsed.error.issues)})`, context);
    }
    return parsed.data;
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function withoutUndefined(query: Record<string, string | number | undefined>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(query)) if (v !== undefined) out[k] = v;
  return out;
}

function firstIssue(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  if (issue === undefined) return 'unknown';
  return `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`;
}

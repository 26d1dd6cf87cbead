/**
 * HTTP to one kiosk (docs/contracts/cim.md, "lienthong → kiosk"): PUT a template, PUT or DELETE a
 * student snapshot, GET its health, with its bearer token. It does not retry: the lane does. Every
 * failure is classified once, here, into what the lane does with it.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { parseRetryAfter } from '../ministry-hub/http-errors.js';

/**
 * - unreachable: the kiosk refused the connection or cannot be reached: offline for the run
 * - unauthorized: 401/403: its token is wrong; nothing will change by sending again
 * - refused: 4xx for this change (400, 404 on a PUT, 422…): a refusal for good of this change
 * - transient: 5xx, 408, 429, a timeout, an answer dropped after the request went out: ask again
 */
export type KioskFailureKind = 'unreachable' | 'unauthorized' | 'refused' | 'transient';

export class KioskFailure extends Error {
  constructor(
    readonly kind: KioskFailureKind,
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'KioskFailure';
  }
}

/** socket errors that mean the kiosk is not there (before any request reached it) */
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT']);

export interface KioskHealthAnswer {
  kioskId: string;
  version: string | null;
  lastSyncAt: string | null;
}

export class KioskClient {
  private readonly http: AxiosInstance;
  private readonly agent: HttpAgent | HttpsAgent;

  constructor(
    private readonly kiosk: { id: string; url: string; token: string; timeoutMs: number; concurrency: number },
  ) {
    const secure = kiosk.url.startsWith('https:');
    this.agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: kiosk.concurrency }) : new HttpAgent({ keepAlive: true, maxSockets: kiosk.concurrency });
    this.http = axios.create({
      baseURL: kiosk.url.replace(/\/+$/, ''),
      timeout: kiosk.timeoutMs,
      ...(secure ? { httpsAgent: this.agent } : { httpAgent: this.agent }),
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
      proxy: false,
      headers: { Authorization: `Bearer ${kiosk.token}` },
    });
  }

  async health(signal?: AbortSignal): Promise<KioskHealthAnswer> {
    const body = await this.request('GET', '/api/v1/health', undefined, signal);
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new KioskFailure('transient', 'KIOSK_BAD_ANSWER', `kiosk ${this.kiosk.id}: its health answer is not JSON`);
    }
    const h = parsed as { kioskId?: unknown; version?: unknown; lastSyncAt?: unknown };
    if (typeof h.kioskId !== 'string') throw new KioskFailure('transient', 'KIOSK_BAD_ANSWER', `kiosk ${this.kiosk.id}: its health answer has no kioskId`);
    return { kioskId: h.kioskId, version: typeof h.version === 'string' ? h.version : null, lastSyncAt: typeof h.lastSyncAt === 'string' ? h.lastSyncAt : null };
  }

  async putTemplate(code: string, body: string, signal?: AbortSignal): Promise<void> {
    await this.request('PUT', `/api/v1/templates/${encodeURIComponent(code)}`, body, signal);
  }

  async putStudent(studentId: string, body: string, signal?: AbortSignal): Promise<void> {
    await this.request('PUT', `/api/v1/students/${encodeURIComponent(studentId)}`, body, signal);
  }

  /** removes a snapshot; one the kiosk does not have (404) is removed already */
  async deleteStudent(studentId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.request('DELETE', `/api/v1/students/${encodeURIComponent(studentId)}`, undefined, signal);
    } catch (err) {
      if (err instanceof KioskFailure && err.status === 404) return;
      throw err;
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private async request(method: 'GET' | 'PUT' | 'DELETE', path: string, body: string | undefined, signal?: AbortSignal): Promise<string> {
    let response;
    try {
      response = await this.http.request<string>({
        method,
        url: path,
        ...(body === undefined ? {} : { data: body, headers: { 'Content-Type': 'application/json' } }),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      throw this.networkFailure(err);
    }
    const status = response.status;
    if (status >= 200 && status < 300) return typeof response.data === 'string' ? response.data : '';
    const where = `kiosk ${this.kiosk.id}: ${method} ${path.replace(/\/students\/.*/, '/students/…')}`;
    if (status === 401 || status === 403) {
      throw new KioskFailure('unauthorized', 'KIOSK_UNAUTHORIZED', `${where}: ${status}: the kiosk does not accept its token`, status);
    }
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfter = parseRetryAfter(headerOf(response.headers, 'retry-after'));
      throw new KioskFailure('transient', status === 429 ? 'KIOSK_RATE_LIMITED' : 'KIOSK_UNAVAILABLE', `${where}: ${status}`, status, retryAfter);
    }
    throw new KioskFailure('refused', 'KIOSK_REFUSED', `${where}: ${status}: the kiosk refuses this change`, status);
  }

  private networkFailure(err: unknown): KioskFailure {
    const code = (err as { code?: unknown }).code;
    const cause = (err as { cause?: { code?: unknown } }).cause?.code;
    const c = typeof code === 'string' ? code : typeof cause === 'string' ? cause : 'UNKNOWN';
    if (UNREACHABLE.has(c)) return new KioskFailure('unreachable', 'KIOSK_OFFLINE', `kiosk ${this.kiosk.id} cannot be reached (${c})`);
    if (c === 'ERR_CANCELED') return new KioskFailure('transient', 'KIOSK_ABORTED', `kiosk ${this.kiosk.id}: the request was stopped`);
    // a reset or a timeout after the request went out: the kiosk may have applied it (PUT is idempotent)
    return new KioskFailure('transient', c === 'ECONNABORTED' ? 'KIOSK_TIMEOUT' : 'KIOSK_NETWORK', `kiosk ${this.kiosk.id}: no answer (${c})`);
  }
}

function headerOf(headers: unknown, name: string): string | undefined {
  const value = (headers as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

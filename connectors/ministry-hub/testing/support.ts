/** Helpers of the simulator's own tests: raw HTTP, so each test controls the exact bytes sent. */
import { gzipSync } from 'node:zlib';
import type { RecordEnvelope } from '../envelope.js';
import type { HubClientConfig } from '../simulator/options.js';
import { startHubSimulator, type HubSimulator, type HubSimulatorStartOptions } from '../simulator/server.js';

export const CLIENT: HubClientConfig = { clientId: 'dha-client', clientSecret: 's3cret-dha', unitCodes: ['DHA'] };
export const OTHER_CLIENT: HubClientConfig = {
  clientId: 'other-client',
  clientSecret: 's3cret-other',
  unitCodes: ['DHB'],
  datasets: ['hocvien-daihoc'],
};

export async function startTestHub(options: Partial<HubSimulatorStartOptions> = {}): Promise<HubSimulator> {
  return startHubSimulator({ clients: [CLIENT, OTHER_CLIENT], rateLimit: false, ...options });
}

export async function getToken(url: string, client: HubClientConfig = CLIENT): Promise<string> {
  const res = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }),
  });
  if (res.status !== 200) throw new Error(`token: ${res.status}`);
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}

export function batchBody(records: unknown[], overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ unitCode: 'DHA', schemaVersion: 'VanBangChungChi/2025', records, ...overrides });
}

export interface PostOptions {
  token: string;
  key?: string | null;
  unit?: string;
  dataset?: string;
  gzip?: boolean;
  signal?: AbortSignal;
}

export async function postBatch(url: string, body: string | Buffer, options: PostOptions): Promise<Response> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.token}`,
    'x-unit-code': options.unit ?? 'DHA',
    'content-type': 'application/json',
  };
  if (options.key !== null) headers['idempotency-key'] = options.key ?? `key-${Math.random()}`;
  let payload: Buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (options.gzip === true) {
    payload = gzipSync(payload);
    headers['content-encoding'] = 'gzip';
  }
  return fetch(`${url}/v1/${options.dataset ?? 'vanbangchungchi'}/batches`, {
    method: 'POST',
    headers,
    body: payload,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}

export async function getJson(url: string, path: string, token: string, unit = 'DHA'): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}`, 'x-unit-code': unit } });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown), headers: res.headers };
}

export interface BatchAnswer {
  batchId: string;
  results: {
    idbanghi: string;
    status: 'accepted' | 'stale' | 'rejected';
    phienban?: number;
    receiptId?: string;
    contentHash?: string;
    errors?: { field: string; code: string; message: string }[];
  }[];
}

export async function submit(url: string, token: string, records: RecordEnvelope[] | unknown[], key?: string): Promise<BatchAnswer> {
  const res = await postBatch(url, batchBody(records), { token, ...(key === undefined ? {} : { key }) });
  if (res.status !== 200) throw new Error(`batch: ${res.status} ${await res.text()}`);
  return (await res.json()) as BatchAnswer;
}

export async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code ?? '';
}

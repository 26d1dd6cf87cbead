import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonicalJson, sha256Hex } from '../../../src/core/hash.js';
import type { JsonValue } from '../../../src/core/records.js';
import { faultChangesSchema } from './admin-schema.js';
import { authenticate, issueToken } from './auth.js';
import { submitBatch } from './batches.js';
import { defaultDatasetValidators, type DatasetValidator } from './datasets.js';
import { FaultInjector, type FaultCounts, type FailureFault } from './faults.js';
import { HttpProblem, problemBody, readBody, sendJson, sleep } from './http-util.js';
import { DEFAULT_RATE_LIMIT, type FaultOptions, type HubClientConfig, type HubSimulatorOptions } from './options.js';
import { TokenBucketLimiter } from './rate-limiter.js';
import { HubStore, type AcceptedVersion } from './store.js';

export const DEFAULT_MAX_BATCH_RECORDS = 500;
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_READ_LIMIT = 1000;

export interface HubStats {
  requests: number;
  /** answers by HTTP status; requests held without an answer count under `held` */
  requestsByStatus: Record<string, number>;
  /** batches applied (replays not counted) */
  batches: number;
  replays: number;
  recordsAccepted: number;
  recordsStale: number;
  recordsRejected: number;
  tokensIssued: number;
  faults: FaultCounts;
}

/** Options of `HubSimulator.start`; `datasets` adds or replaces dataset validators. */
export interface HubSimulatorStartOptions extends HubSimulatorOptions {
  datasets?: ReadonlyMap<string, DatasetValidator>;
}

interface Caller {
  clientId: string;
  client: HubClientConfig;
  unitCode: string;
}

/**
 * The ministry data hub of docs/contracts/ministry-hub.md, in one process: OAuth2 tokens, batch
 * submission with idempotency and phienban rules, read-back, rate limit, and injected faults.
 * Admin endpoints under `/_admin/` let tests change faults and check what was accepted.
 */
export class HubSimulator {
  private server: Server | undefined;
  private store: HubStore | undefined;
  private faults = new FaultInjector();
  private limiter: TokenBucketLimiter | undefined;
  private clients = new Map<string, HubClientConfig>();
  private validators = defaultDatasetValidators();
  private now: () => number = Date.now;
  private tokenTtlSeconds = 3600;
  private maxBatchRecords = DEFAULT_MAX_BATCH_RECORDS;
  private maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private readonly held = new Set<ServerResponse>();
  private baseUrl = '';
  private counters = newCounters();

  get url(): string {
    if (this.server === undefined) throw new Error('the hub simulator is not started');
    return this.baseUrl;
  }

  async start(options: HubSimulatorStartOptions): Promise<{ url: string }> {
    if (this.server !== undefined) throw new Error('the hub simulator is already started');
    this.now = options.now ?? Date.now;
    this.clients = new Map(options.clients.map((c) => [c.clientId, c]));
    this.faults = new FaultInjector(options.faults, options.seed ?? 1);
    const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
    this.limiter = rateLimit === false ? undefined : new TokenBucketLimiter(rateLimit, this.now);
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
    this.maxBatchRecords = options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.validators = defaultDatasetValidators({ trustedCaPems: options.trustedCaPems ?? [], now: this.now });
    for (const [name, validator] of options.datasets ?? []) this.validators.set(name, validator);
    this.counters = newCounters();
    this.store = new HubStore(options.dbPath);

    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        // A bug of the simulator itself: answer 500 rather than hang the client.
        if (!res.headersSent) this.reply(res, 500, problemBody('INTERNAL', err instanceof Error ? err.message : String(err)));
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 5000;
    this.server = server;
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.baseUrl = `http://${shownHost}:${address.port}`;
    return { url: this.baseUrl };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    for (const res of this.held) res.destroy();
    this.held.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    this.store?.close();
    this.store = undefined;
  }

  /** changes the injected faults while running (also `POST /_admin/faults`) */
  setFaults(changes: Partial<FaultOptions>): FaultOptions {
    return this.faults.update(changes);
  }

  /** revokes every token issued so far: the next call of each client gets a 401 */
  revokeAllTokens(): number {
    return this.requireStore().revokeAllTokens(this.now());
  }

  stats(): HubStats {
    return { ...this.counters, requestsByStatus: { ...this.counters.requestsByStatus }, faults: { ...this.faults.counts } };
  }

  /** every accepted version of one record, oldest first */
  history(dataset: string, idbanghi: string): AcceptedVersion[] {
    return this.requireStore().history(dataset, idbanghi);
  }

  /** how many times each (idbanghi, phienban) was accepted; exactly-once means every count is 1 */
  acceptanceCounts(dataset: string): { idbanghi: string; phienban: number; count: number }[] {
    return this.requireStore().acceptanceCounts(dataset);
  }

  private requireStore(): HubStore {
    if (this.store === undefined) throw new Error('the hub simulator is not started');
    return this.store;
  }

  private reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.count(String(status));
    sendJson(res, status, body, headers);
  }

  private count(status: string): void {
    this.counters.requestsByStatus[status] = (this.counters.requestsByStatus[status] ?? 0) + 1;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counters.requests += 1;
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    const parts = url.pathname.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
    const method = req.method ?? 'GET';
    try {
      if (method === 'POST' && url.pathname === '/oauth2/token') return await this.handleToken(req, res);
      if (parts[0] === '_admin') return await this.handleAdmin(method, parts.slice(1), req, res);
      if (parts[0] === 'v1' && parts[1] !== undefined) {
        const dataset = parts[1];
        if (method === 'POST' && parts.length === 3 && parts[2] === 'batches') {
          return await this.handleBatch(dataset, req, res);
        }
        if (method === 'GET' && parts[2] === 'records' && parts.length === 3) {
          return await this.handleList(dataset, url.searchParams, req, res);
        }
        if (method === 'GET' && parts[2] === 'records' && parts.length === 4 && parts[3] !== undefined) {
          return await this.handleGetRecord(dataset, parts[3], req, res);
        }
      }
      throw new HttpProblem(404, 'NOT_FOUND', 'no such endpoint');
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      this.reply(res, err.status, problemBody(err.code, err.message), err.headers);
    }
  }

  private async handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await readBody(req, 64 * 1024)).toString('utf8');
    const answer = issueToken(this.clients, this.requireStore(), req, body, this.now(), this.tokenTtlSeconds);
    if (answer.ok) {
      this.counters.tokensIssued += 1;
      this.reply(res, 200, answer.body, { 'cache-control': 'no-store' });
    } else {
      const headers: Record<string, string> = answer.status === 401 ? { 'www-authenticate': 'Basic realm="hub"' } : {};
      this.reply(res, answer.status, answer.body, headers);
    }
  }

  /**
   * What every `/v1/` call goes through: injected revocation, the bearer token, the rate limit,
   * injected 429 bursts and latency, the unit and dataset the client may use. Answers the caller
   * and the failure (5xx or timeout) drawn for this request.
   */
  private async admit(dataset: string, req: IncomingMessage, isRead: boolean): Promise<{ caller: Caller; failure: FailureFault | null }> {
    const store = this.requireStore();
    const faulty = this.faults.applies(isRead);
    const keyHeader = req.headers['idempotency-key'];
    const random = this.faults.randomFor(faulty && !isRead && typeof keyHeader === 'string' ? keyHeader : undefined);
    if (faulty && this.faults.shouldRevokeTokens(random, this.now())) store.revokeAllTokens(this.now());

    const clientId = this.faults.current.refuseTokens ? undefined : authenticate(store, req, this.now());
    const client = clientId === undefined ? undefined : this.clients.get(clientId);
    if (clientId === undefined || client === undefined) {
      throw new HttpProblem(401, 'INVALID_TOKEN', 'the token is missing, expired or revoked', {
        'www-authenticate': 'Bearer error="invalid_token"',
      });
    }
    const waitMs = this.limiter?.take(clientId) ?? 0;
    if (waitMs > 0) {
      throw new HttpProblem(429, 'RATE_LIMITED', 'too many requests', { 'retry-after': String(Math.ceil(waitMs / 1000)) });
    }
    if (faulty) {
      const retryAfter = this.faults.throttle(clientId, random);
      if (retryAfter !== null) {
        throw new HttpProblem(429, 'RATE_LIMITED', 'too many requests', { 'retry-after': String(retryAfter) });
      }
      const latency = this.faults.latencyMs(random);
      if (latency > 0) await sleep(latency);
    }

    const unitHeader = req.headers['x-unit-code'];
    const unitCode = typeof unitHeader === 'string' ? unitHeader.trim() : '';
    if (unitCode === '') throw new HttpProblem(400, 'MISSING_UNIT_CODE', 'the X-Unit-Code header is required');
    if (!client.unitCodes.includes('*') && !client.unitCodes.includes(unitCode)) {
      throw new HttpProblem(403, 'UNIT_NOT_ALLOWED', 'this client may not act for this unit');
    }
    if (!this.validators.has(dataset)) throw new HttpProblem(404, 'UNKNOWN_DATASET', 'the hub has no such dataset');
    if (client.datasets !== undefined && !client.datasets.includes('*') && !client.datasets.includes(dataset)) {
      throw new HttpProblem(403, 'DATASET_NOT_ALLOWED', 'this client may not use this dataset');
    }
    return { caller: { clientId, client, unitCode }, failure: faulty ? this.faults.failure(random) : null };
  }

  /** answers the injected failure: a 5xx, or no answer at all (the client times out) */
  private fail(res: ServerResponse, failure: FailureFault): void {
    if (failure.kind === 'error') {
      this.reply(res, failure.status, problemBody('INJECTED_FAULT', 'the hub failed (injected fault)'));
      return;
    }
    this.count('held');
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }

  private async handleBatch(dataset: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { caller, failure } = await this.admit(dataset, req, false);
    const raw = await readBody(req, this.maxBodyBytes);
    if (failure !== null && !failure.afterApply) return this.fail(res, failure);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpProblem(400, 'MALFORMED_JSON', 'the body is not valid JSON');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new HttpProblem(400, 'MALFORMED_BATCH', 'the body must be a JSON object');
    }
    const body = parsed as { [key: string]: JsonValue };
    const records = body.records;
    if (!Array.isArray(records)) throw new HttpProblem(400, 'MALFORMED_BATCH', 'the batch has no records array');
    if (typeof body.unitCode !== 'string' || typeof body.schemaVersion !== 'string') {
      throw new HttpProblem(400, 'MALFORMED_BATCH', 'the batch needs unitCode and schemaVersion');
    }
    if (body.unitCode !== caller.unitCode) {
      throw new HttpProblem(400, 'UNIT_CODE_MISMATCH', 'unitCode of the batch differs from X-Unit-Code');
    }
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || key.trim() === '' || key.length > 255) {
      throw new HttpProblem(400, 'MISSING_IDEMPOTENCY_KEY', 'the Idempotency-Key header is required (at most 255 characters)');
    }
    if (records.length > this.maxBatchRecords || this.faults.forcesTooLarge(records.length)) {
      throw new HttpProblem(413, 'BATCH_TOO_LARGE', `the batch has more records than the hub accepts`);
    }
    const validator = this.validators.get(dataset);
    if (validator === undefined || !validator.schemaVersions.includes(body.schemaVersion)) {
      throw new HttpProblem(422, 'UNSUPPORTED_SCHEMA_VERSION', 'the hub does not support this schemaVersion for this dataset');
    }

    const outcome = await submitBatch(
      this.requireStore(),
      validator,
      {
        clientId: caller.clientId,
        dataset,
        unitCode: caller.unitCode,
        idempotencyKey: key,
        requestHash: sha256Hex(`${dataset}\n${caller.unitCode}\n${canonicalJson(body)}`),
        records,
      },
      this.now(),
    );
    if (outcome.replayed) this.counters.replays += 1;
    else if (outcome.status === 200) this.counters.batches += 1;
    this.counters.recordsAccepted += outcome.accepted;
    this.counters.recordsStale += outcome.stale;
    this.counters.recordsRejected += outcome.rejected;

    if (failure !== null) return this.fail(res, failure);
    this.count(String(outcome.status));
    sendJson(res, outcome.status, outcome.body);
  }

  private async handleList(dataset: string, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { caller, failure } = await this.admit(dataset, req, true);
    if (failure !== null) return this.fail(res, failure);
    const unitCode = query.get('unitCode') ?? caller.unitCode;
    if (!caller.client.unitCodes.includes('*') && !caller.client.unitCodes.includes(unitCode)) {
      throw new HttpProblem(403, 'UNIT_NOT_ALLOWED', 'this client may not read for this unit');
    }
    const limitText = query.get('limit');
    const limit = limitText === null ? MAX_READ_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_READ_LIMIT) {
      throw new HttpProblem(400, 'INVALID_LIMIT', `limit must be an integer from 1 to ${MAX_READ_LIMIT}`);
    }
    const cursor = query.get('cursor');
    const after = cursor === null || cursor === '' ? undefined : decodeCursor(cursor);
    const updatedSince = query.get('updatedSince') ?? undefined;
    const rows = this.requireStore().listRecords({ dataset, unitCode, after, updatedSince, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(last.idbanghi) : null;
    this.reply(res, 200, {
      items: page.map((r) => ({
        idbanghi: r.idbanghi,
        phienban: r.phienban,
        contentHash: r.contentHash,
        sukien: r.sukien,
        receiptId: r.receiptId,
        updatedAt: r.updatedAt,
      })),
      nextCursor,
    });
  }

  private async handleGetRecord(dataset: string, idbanghi: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { caller, failure } = await this.admit(dataset, req, true);
    if (failure !== null) return this.fail(res, failure);
    const record = this.requireStore().getRecord(dataset, idbanghi);
    const visible =
      record !== undefined && (caller.client.unitCodes.includes('*') || caller.client.unitCodes.includes(record.unitCode));
    if (!visible) throw new HttpProblem(404, 'RECORD_NOT_FOUND', 'the hub holds no such record');
    this.reply(res, 200, {
      idbanghi: record.idbanghi,
      sukien: record.sukien,
      phienban: record.phienban,
      thoigiancapnhat: record.thoigiancapnhat,
      contentHash: record.contentHash,
      receiptId: record.receiptId,
      updatedAt: record.updatedAt,
      unitCode: record.unitCode,
      data: JSON.parse(record.dataJson) as JsonValue,
      ...(record.tailieuJson === null ? {} : { tailieu: JSON.parse(record.tailieuJson) as JsonValue }),
    });
  }

  private async handleAdmin(method: string, parts: string[], req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [what, dataset, idbanghi] = parts;
    if (method === 'GET' && what === 'stats' && parts.length === 1) return this.reply(res, 200, this.stats());
    if (what === 'faults' && parts.length === 1) {
      if (method === 'GET') return this.reply(res, 200, this.faults.current);
      if (method === 'POST') {
        const text = (await readBody(req, 64 * 1024)).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text === '' ? '{}' : text);
        } catch {
          throw new HttpProblem(400, 'MALFORMED_JSON', 'the body is not valid JSON');
        }
        const parsed = faultChangesSchema.safeParse(json);
        if (!parsed.success) throw new HttpProblem(400, 'INVALID_FAULTS', parsed.error.message);
        const { revokeTokens, ...changes } = parsed.data;
        const revoked = revokeTokens === true ? this.revokeAllTokens() : 0;
        return this.reply(res, 200, { faults: this.setFaults(changes), revokedTokens: revoked });
      }
    }
    if (method === 'POST' && what === 'revoke-tokens' && parts.length === 1) {
      return this.reply(res, 200, { revokedTokens: this.revokeAllTokens() });
    }
    if (method === 'GET' && what === 'history' && dataset !== undefined && idbanghi !== undefined && parts.length === 3) {
      return this.reply(res, 200, { idbanghi, versions: this.history(dataset, idbanghi) });
    }
    if (method === 'GET' && what === 'acceptance-counts' && dataset !== undefined && parts.length === 2) {
      return this.reply(res, 200, { items: this.acceptanceCounts(dataset) });
    }
    throw new HttpProblem(404, 'NOT_FOUND', 'no such admin endpoint');
  }
}

function newCounters(): Omit<HubStats, 'faults'> {
  return {
    requests: 0,
    requestsByStatus: {},
    batches: 0,
    replays: 0,
    recordsAccepted: 0,
    recordsStale: 0,
    recordsRejected: 0,
    tokensIssued: 0,
  };
}

function encodeCursor(idbanghi: string): string {
  return Buffer.from(idbanghi, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new HttpProblem(400, 'INVALID_CURSOR', 'the cursor is not one the hub gave');
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/** Starts a simulator: what `lienthong demo` and the tests use. */
export async function startHubSimulator(options: HubSimulatorStartOptions): Promise<HubSimulator> {
  const simulator = new HubSimulator();
  await simulator.start(options);
  return simulator;
}

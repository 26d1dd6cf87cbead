import { X509Certificate, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { loadOrCreateCa } from '../../../documents/pki/demo-pki.js';
import { createTestCa, type TestCa } from '../../../documents/pki/test-pki.js';
import { HttpProblem, readBody, sendJson } from '../../ministry-hub/simulator/http-util.js';
import { SigningState, subjectDnOf, type ApprovalPolicy, type SimulatedSigner, type SimulatedSignerSpec, type Transaction } from './signing-state.js';

export const DEFAULT_TRANSACTION_TTL_MS = 10 * 60_000;
const SIMULATED_CA_NAME = 'lienthong Simulated Signing CA (not for production)';
const MAX_HASHES = 500;
const HASH_ALGORITHM_OID = '2.16.840.1.101.3.4.2.1';
const SIGN_ALGORITHM_OID = '1.2.840.113549.1.1.11';

export interface SigningSimulatorOptions {
  clients: readonly { clientId: string; clientSecret: string }[];
  host?: string;
  /** 0 (default): any free port */
  port?: number;
  tokenTtlSeconds?: number;
  /** how long a request waits for the signer before it is EXPIRED (the contract: 10 minutes) */
  transactionTtlMs?: number;
  /** the approval policy of signers that have none of their own (default: approve at once) */
  policy?: ApprovalPolicy;
  signers?: readonly SimulatedSignerSpec[];
  /** the service's CA (default: a new one) */
  ca?: TestCa;
  /** write the CA certificate (PEM) here on start, e.g. `DIR/pki/signing-ca.crt` */
  caCertPath?: string;
  /**
   * with caCertPath: the CA's key file. The CA there is reused when both files exist, else made
   * and written there: a demo restarted keeps one CA, so what was signed before still chains.
   */
  caKeyPath?: string;
  now?: () => number;
}

/** Faults for the next CSC calls (not the token endpoint), counted down as they are served. */
export interface SigningFaults {
  /** answer 429 with `Retry-After: retryAfterSeconds` */
  rateLimited?: { count: number; retryAfterSeconds: number };
  /** answer `status` (default 503) */
  serverErrors?: { count: number; status?: number };
  /** close the connection without an answer */
  resets?: number;
  /** answer 401 (as if the token were revoked), even to a fresh token */
  unauthorized?: number;
  /** hold the request without an answer (the client times out) */
  hangs?: number;
  /** signHash: make the transaction, then answer 503 (the client cannot know it was made) */
  failAfterCreate?: number;
}

export interface SigningSimulatorStats {
  requests: number;
  byPath: Record<string, number>;
  tokensIssued: number;
  transactionsCreated: number;
  /** signHash calls answered with an existing transaction (same clientRequestId) */
  replays: number;
}

/**
 * A remote signing service of docs/contracts/remote-signing.md in one process: OAuth2 client
 * credentials, the CSC calls, a CA of its own issuing each signer's certificate (`CCCD:<id>` in the
 * subject serialNumber), real RSA signatures, approval by policy or by hand (`approve`, `reject`,
 * or `POST /_control/transactions/{id}/approve|reject`), and injected faults.
 */
export class SigningSimulator {
  private server: Server | undefined;
  private state: SigningState | undefined;
  private caCert: TestCa | undefined;
  private clients = new Map<string, string>();
  private readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  private now: () => number = Date.now;
  private tokenTtlSeconds = 3600;
  private faults = { rateLimited: 0, retryAfterSeconds: 1, serverErrors: 0, serverErrorStatus: 503, resets: 0, unauthorized: 0, hangs: 0, failAfterCreate: 0 };
  private counters: SigningSimulatorStats = newStats();
  private baseUrl = '';

  get url(): string {
    if (this.server === undefined) throw new Error('the signing simulator is not started');
    return this.baseUrl;
  }

  /** the CA every signer's certificate chains to (PEM): what the client trusts */
  get caCertPem(): string {
    return this.requireCa().certPem;
  }

  async start(options: SigningSimulatorOptions): Promise<{ url: string }> {
    if (this.server !== undefined) throw new Error('the signing simulator is already started');
    this.now = options.now ?? Date.now;
    this.clients = new Map(options.clients.map((c) => [c.clientId, c.clientSecret]));
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
    this.caCert = options.ca ?? this.loadCa(options);
    this.state = new SigningState(this.caCert, this.now, options.transactionTtlMs ?? DEFAULT_TRANSACTION_TTL_MS);
    if (options.policy !== undefined) this.state.globalPolicy = options.policy;
    for (const spec of options.signers ?? []) this.state.addSigner(spec);
    if (options.caCertPath !== undefined && options.caKeyPath === undefined) {
      mkdirSync(dirname(options.caCertPath), { recursive: true });
      writeFileSync(options.caCertPath, this.caCert.certPem);
    }
    this.counters = newStats();
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: err instanceof Error ? err.message : String(err) });
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 5000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    this.baseUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    return { url: this.baseUrl };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** registers a signer: a key and a certificate from the simulator's CA (or `spec.ca`) */
  addSigner(spec: SimulatedSignerSpec): SimulatedSigner {
    return this.requireState().addSigner(spec);
  }

  /** the approval policy of one signer, or (no personal id) of every signer without their own */
  setPolicy(policy: ApprovalPolicy, personalId?: string): void {
    this.requireState().setPolicy(policy, personalId);
  }

  approve(transactionId: string): void {
    this.requireState().approve(transactionId);
  }

  reject(transactionId: string, reason: string): void {
    this.requireState().reject(transactionId, reason);
  }

  /** requests waiting for a decision, oldest first */
  pending(): Transaction[] {
    return this.requireState().pending();
  }

  /** sets the faults of the next calls (replacing those not yet served) */
  injectFaults(faults: SigningFaults): void {
    this.faults = {
      rateLimited: faults.rateLimited?.count ?? 0,
      retryAfterSeconds: faults.rateLimited?.retryAfterSeconds ?? 1,
      serverErrors: faults.serverErrors?.count ?? 0,
      serverErrorStatus: faults.serverErrors?.status ?? 503,
      resets: faults.resets ?? 0,
      unauthorized: faults.unauthorized ?? 0,
      hangs: faults.hangs ?? 0,
      failAfterCreate: faults.failAfterCreate ?? 0,
    };
  }

  /** forgets every token issued: the next call of each client gets a 401 */
  revokeTokens(): void {
    this.tokens.clear();
  }

  stats(): SigningSimulatorStats {
    return { ...this.counters, byPath: { ...this.counters.byPath } };
  }

  private loadCa(options: SigningSimulatorOptions): TestCa {
    if (options.caCertPath === undefined || options.caKeyPath === undefined) return createTestCa({ commonName: SIMULATED_CA_NAME });
    mkdirSync(dirname(options.caCertPath), { recursive: true });
    mkdirSync(dirname(options.caKeyPath), { recursive: true });
    return loadOrCreateCa(options.caCertPath, options.caKeyPath, SIMULATED_CA_NAME);
  }

  private requireState(): SigningState {
    if (this.state === undefined) throw new Error('the signing simulator is not started');
    return this.state;
  }

  private requireCa(): TestCa {
    if (this.caCert === undefined) throw new Error('the signing simulator is not started');
    return this.caCert;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://signing.invalid').pathname;
    this.counters.requests += 1;
    this.counters.byPath[path] = (this.counters.byPath[path] ?? 0) + 1;
    try {
      if (req.method !== 'POST' && !(req.method === 'GET' && path === '/_control/transactions')) throw new HttpProblem(405, 'invalid_request', 'only POST');
      const body = (await readBody(req, 1024 * 1024)).toString('utf8');
      if (path === '/oauth2/token') return this.token(body, res);
      if (path.startsWith('/_control/')) return this.control(path, req.method, body, res);
      if (!path.startsWith('/csc/v2/')) throw new HttpProblem(404, 'invalid_request', 'no such endpoint');
      const clientId = this.authenticate(req);
      if (this.injectedFault(res)) return;
      const json = parseObject(body);
      if (path === '/csc/v2/credentials/list') return this.list(json, res);
      if (path === '/csc/v2/credentials/info') return this.info(json, res);
      if (path === '/csc/v2/signatures/signHash') return this.signHash(clientId, json, res);
      if (path === '/csc/v2/signatures/status') return this.status(clientId, json, res);
      throw new HttpProblem(404, 'invalid_request', 'no such endpoint');
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      sendJson(res, err.status, { error: err.code, error_description: err.message }, err.headers);
    }
  }

  private token(body: string, res: ServerResponse): void {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') throw new HttpProblem(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    const expected = this.clients.get(form.get('client_id') ?? '');
    if (expected === undefined || !sameSecret(expected, form.get('client_secret') ?? '')) throw new HttpProblem(401, 'invalid_client', 'unknown client or wrong secret');
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { clientId: form.get('client_id') ?? '', expiresAt: this.now() + this.tokenTtlSeconds * 1000 });
    this.counters.tokensIssued += 1;
    sendJson(res, 200, { access_token: token, token_type: 'Bearer', expires_in: this.tokenTtlSeconds }, { 'cache-control': 'no-store' });
  }

  private authenticate(req: IncomingMessage): string {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const token = m?.[1] === undefined ? undefined : this.tokens.get(m[1]);
    if (token === undefined || token.expiresAt <= this.now()) throw new HttpProblem(401, 'invalid_token', 'no live access token', { 'www-authenticate': 'Bearer' });
    return token.clientId;
  }

  /** serves the next injected fault, if any: true when the request got it */
  private injectedFault(res: ServerResponse): boolean {
    if (this.faults.hangs > 0) {
      this.faults.hangs -= 1;
      // never answered: closed when the client gives up or the simulator stops
      return true;
    }
    if (this.faults.unauthorized > 0) {
      this.faults.unauthorized -= 1;
      sendJson(res, 401, { error: 'invalid_token', error_description: 'the access token was revoked' }, { 'www-authenticate': 'Bearer' });
      return true;
    }
    if (this.faults.resets > 0) {
      this.faults.resets -= 1;
      res.socket?.destroy();
      return true;
    }
    if (this.faults.rateLimited > 0) {
      this.faults.rateLimited -= 1;
      sendJson(res, 429, { error: 'rate_limited', error_description: 'too many requests' }, { 'retry-after': String(this.faults.retryAfterSeconds) });
      return true;
    }
    if (this.faults.serverErrors > 0) {
      this.faults.serverErrors -= 1;
      sendJson(res, this.faults.serverErrorStatus, { error: 'server_error', error_description: 'injected failure' });
      return true;
    }
    return false;
  }

  private list(json: Record<string, unknown>, res: ServerResponse): void {
    const userId = json.userId;
    if (typeof userId !== 'string' || !/^\d{12}$/.test(userId)) throw new HttpProblem(400, 'invalid_request', 'userId must be a 12-digit personal id');
    const signer = this.requireState().signers.get(userId);
    sendJson(res, 200, { credentialIds: signer === undefined ? [] : [signer.credentialId] });
  }

  private signerOf(json: Record<string, unknown>): SimulatedSigner {
    const id = json.credentialId;
    if (typeof id !== 'string' || id === '') throw new HttpProblem(400, 'invalid_request', 'credentialId is missing');
    const signer = this.requireState().credential(id);
    if (signer === undefined) throw new HttpProblem(404, 'invalid_request', `unknown credential ${id}`);
    return signer;
  }

  private info(json: Record<string, unknown>, res: ServerResponse): void {
    const signer = this.signerOf(json);
    const chain = json.certificates === 'chain' ? signer.chainPem : signer.chainPem.slice(0, 1);
    const leaf = new X509Certificate(signer.certPem);
    sendJson(res, 200, {
      key: { status: signer.keyStatus, algo: [SIGN_ALGORITHM_OID], len: 2048 },
      cert: { status: signer.certStatus, certificates: chain.map(pemToDerBase64), subjectDN: subjectDnOf(signer.certPem),
        serialNumber: leaf.serialNumber,
        validFrom: new Date(leaf.validFrom).toISOString(),
        validTo: new Date(leaf.validTo).toISOString(),
      },
    });
  }

  private signHash(clientId: string, json: Record<string, unknown>, res: ServerResponse): void {
    const signer = this.signerOf(json);
    const { hashes, description, clientRequestId } = json;
    if (!Array.isArray(hashes) || hashes.length === 0) throw new HttpProblem(400, 'invalid_request', 'hashes must be a non-empty list');
    if (hashes.length > MAX_HASHES) throw new HttpProblem(400, 'invalid_request', `at most ${MAX_HASHES} hashes per request`);
    const digests = hashes.map((h) => (typeof h === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(h) ? Buffer.from(h, 'base64') : Buffer.alloc(0)));
    if (digests.some((d) => d.length !== 32)) throw new HttpProblem(400, 'invalid_request', 'every hash must be a base64 SHA-256 digest');
    if (json.hashAlgorithmOID !== HASH_ALGORITHM_OID) throw new HttpProblem(400, 'invalid_request', 'hashAlgorithmOID must be SHA-256');
    if (json.signAlgo !== SIGN_ALGORITHM_OID) throw new HttpProblem(400, 'invalid_request', 'signAlgo must be sha256WithRSAEncryption');
    if (typeof description !== 'string' || description === '') throw new HttpProblem(400, 'invalid_request', 'description is missing');
    if (typeof clientRequestId !== 'string' || clientRequestId === '') throw new HttpProblem(400, 'invalid_request', 'clientRequestId is missing');
    if (signer.keyStatus !== 'enabled') throw new HttpProblem(400, 'invalid_request', 'the key is disabled');
    const made = this.requireState().create(clientId, signer, { hashes: digests, description, clientRequestId });
    if (made === undefined) throw new HttpProblem(400, 'invalid_request', 'clientRequestId was already used for a different request');
    if (made.replay) this.counters.replays += 1;
    else this.counters.transactionsCreated += 1;
    const t = made.transaction;
    if (this.faults.failAfterCreate > 0) {
      this.faults.failAfterCreate -= 1;
      sendJson(res, 503, { error: 'server_error', error_description: 'injected failure after the transaction was made' });
      return;
    }
    sendJson(res, 202, { transactionId: t.transactionId, expiresAt: new Date(t.expiresAt).toISOString() });
  }

  private status(clientId: string, json: Record<string, unknown>, res: ServerResponse): void {
    const id = json.transactionId;
    const t = typeof id === 'string' ? this.requireState().transaction(id) : undefined;
    // another client's transaction is as unknown as one that never was
    if (t === undefined || t.clientId !== clientId) throw new HttpProblem(404, 'invalid_request', 'unknown transaction');
    sendJson(res, 200, this.requireState().view(t));
  }

  /** the "signer's phone" for tests and the console demo */
  private control(path: string, method: string | undefined, body: string, res: ServerResponse): void {
    const state = this.requireState();
    if (method === 'GET' && path === '/_control/transactions') {
      sendJson(res, 200, {
        pending: state.pending().map((t) => ({ transactionId: t.transactionId, credentialId: t.credentialId, description: t.description, hashes: t.hashes.length, expiresAt: new Date(t.expiresAt).toISOString() })),
      });
      return;
    }
    const m = /^\/_control\/transactions\/([^/]+)\/(approve|reject)$/.exec(path);
    if (m === null) throw new HttpProblem(404, 'invalid_request', 'no such control endpoint');
    const json = body === '' ? {} : parseObject(body);
    try {
      if (m[2] === 'approve') state.approve(decodeURIComponent(m[1] ?? ''));
      else state.reject(decodeURIComponent(m[1] ?? ''), typeof json.reason === 'string' ? json.reason : 'rejected by the signer');
    } catch (err) {
      throw new HttpProblem(409, 'invalid_request', err instanceof Error ? err.message : String(err));
    }
    sendJson(res, 200, { ok: true });
  }
}

function newStats(): SigningSimulatorStats {
  return { requests: 0, byPath: {}, tokensIssued: 0, transactionsCreated: 0, replays: 0 };
}

function parseObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'invalid_request', 'the body is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HttpProblem(400, 'invalid_request', 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

function pemToDerBase64(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

function sameSecret(expected: string, given: string): boolean {
  return timingSafeEqual(createHash('sha256').update(expected).digest(), createHash('sha256').update(given).digest());
}

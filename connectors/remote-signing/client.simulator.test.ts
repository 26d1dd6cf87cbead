import { createHash, verify } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LienthongError } from '../../src/core/errors.js';
import { SeededRandom } from '../../src/core/seeded-random.js';
import { RemoteSigningClient, type RemoteSigningClientOptions, type RemoteSigningConfigInput } from './index.js';
import { SigningSimulator, type SimulatedSigner } from './simulator/index.js';

/** Every test talks real HTTP to the simulator; only the client's waits are recorded instead of slept where it says. */

const TEACHER = '001085012345';
const PRINCIPAL = '079190054321';
const simulator = new SigningSimulator();
let teacher: SimulatedSigner;
let principal: SimulatedSigner;
const clients: RemoteSigningClient[] = [];

beforeAll(async () => {
  await simulator.start({ clients: [{ clientId: 'school-1', clientSecret: 's3cret' }], transactionTtlMs: 10 * 60_000 });
  teacher = simulator.addSigner({ personalId: TEACHER, name: 'Nguyễn Thị Lan' });
  principal = simulator.addSigner({ personalId: PRINCIPAL, name: 'Trần Văn Minh', policy: { mode: 'manual' } });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await simulator.stop();
});
afterEach(() => {
  simulator.injectFaults({});
  simulator.setPolicy({ mode: 'auto' });
});

/** a client whose backoff waits are recorded and skipped (the clock does not move) */
function client(config: Partial<RemoteSigningConfigInput> = {}, options: RemoteSigningClientOptions = {}): { c: RemoteSigningClient; waits: number[] } {
  const waits: number[] = [];
  const rng = new SeededRandom(7);
  const c = new RemoteSigningClient(
    { baseUrl: simulator.url, clientId: 'school-1', clientSecret: 's3cret', pollInitialDelayMs: 20, pollMaxDelayMs: 80, ...config },
    {
      random: () => rng.next(),
      sleep: async (ms) => {
        waits.push(ms);
        await new Promise((r) => setTimeout(r, Math.min(ms, 25)));
      },
      ...options,
    },
  );
  clients.push(c);
  return { c, waits };
}

/** forge writes PEM with CRLF; the client answers LF */
const lf = (pem: string): string => pem.replace(/\r\n/g, '\n');
const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
let requestSeq = 0;
const requestId = (): string => `req-${Date.now()}-${++requestSeq}`;

async function failure(p: Promise<unknown>): Promise<LienthongError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LienthongError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('RemoteSigningClient against the simulator', () => {
  it('gets a token once, reuses it, and after a revocation gets one new token and resends', async () => {
    const { c } = client();
    const before = simulator.stats().tokensIssued;
    expect(await c.listCredentials(TEACHER)).toEqual([teacher.credentialId]);
    expect(await c.listCredentials(PRINCIPAL)).toEqual([principal.credentialId]);
    expect(simulator.stats().tokensIssued).toBe(before + 1);
    simulator.revokeTokens();
    expect(await c.listCredentials(TEACHER)).toEqual([teacher.credentialId]);
    expect(simulator.stats().tokensIssued).toBe(before + 2);
  });

  it('gives up after a second 401 with a fresh token (RSIGN_UNAUTHORIZED, configuration)', async () => {
    const { c } = client();
    await c.listCredentials(TEACHER);
    const before = simulator.stats().tokensIssued;
    simulator.injectFaults({ unauthorized: 2 });
    const err = await failure(c.listCredentials(TEACHER));
    expect(err.code).toBe('RSIGN_UNAUTHORIZED');
    expect(err.kind).toBe('config');
    expect(simulator.stats().tokensIssued).toBe(before + 1);
  });

  it('refuses wrong client credentials as configuration (RSIGN_AUTH_FAILED)', async () => {
    const { c } = client({ clientSecret: 'wrong' });
    const err = await failure(c.listCredentials(TEACHER));
    expect(err.code).toBe('RSIGN_AUTH_FAILED');
    expect(err.kind).toBe('config');
    expect(err.message).not.toContain('wrong');
  });

  it('lists no credential for an unknown person, refuses a malformed personal id before sending', async () => {
    const { c } = client();
    expect(await c.listCredentials('001099999999')).toEqual([]);
    const err = await failure(c.listCredentials('12345'));
    expect(err.code).toBe('SIGNING_KEY_ID_INVALID');
  });

  it('reads a credential: key and certificate status, the chain as PEM leaf first, subject and validity', async () => {
    const { c } = client();
    const info = await c.credentialInfo(teacher.credentialId);
    expect(info.keyStatus).toBe('enabled');
    expect(info.certStatus).toBe('valid');
    expect(info.keyAlgorithms).toEqual(['1.2.840.113549.1.1.11']);
    expect(info.chainPem).toHaveLength(2);
    expect(info.chainPem[0]).toBe(lf(teacher.certPem));
    expect(info.chainPem[1]).toBe(lf(simulator.caCertPem));
    expect(info.subjectDN).toContain(`CCCD:${TEACHER}`);
    expect(info.validFrom!.getTime()).toBeLessThan(Date.now());
    expect(info.validTo!.getTime()).toBeGreaterThan(Date.now());
  });

  it('turns 404 and 400 into permanent errors naming the call and the service description', async () => {
    const { c } = client();
    const notFound = await failure(c.credentialInfo('cred-nope'));
    expect(notFound.code).toBe('RSIGN_NOT_FOUND');
    expect(notFound.kind).toBe('rejected');
    expect(notFound.message).toMatch(/credentials\/info.*unknown credential cred-nope/);
    const bad = await failure(c.status(''));
    expect(bad.kind).toBe('rejected');
    expect(bad.message).toMatch(/signatures\/status/);
  });

  it('refuses more than 500 hashes (or a non-digest) as a programming error, sends 500', async () => {
    const { c } = client();
    const hashes = Array.from({ length: 501 }, (_, i) => digest(`h${i}`));
    const tooMany = await failure(c.signHash({ credentialId: teacher.credentialId, hashes, description: 'x', clientRequestId: requestId() }));
    expect(tooMany.code).toBe('RSIGN_HASH_COUNT');
    expect(tooMany.kind).toBe('bug');
    expect(tooMany.message).toMatch(/501 hashes.*1 to 500/);
    const short = await failure(c.signHash({ credentialId: teacher.credentialId, hashes: [Buffer.alloc(20)], description: 'x', clientRequestId: requestId() }));
    expect(short.code).toBe('RSIGN_BAD_HASH');
    const ok = await c.signHash({ credentialId: teacher.credentialId, hashes: hashes.slice(0, 500), description: 'Học bạ lớp 9A', clientRequestId: requestId() });
    const decision = await c.waitForDecision(ok.transactionId);
    expect(decision.status).toBe('APPROVED');
    if (decision.status === 'APPROVED') expect(decision.signatures).toHaveLength(500);
  });

  it('is idempotent by clientRequestId: the same id again answers the same transaction', async () => {
    const { c } = client();
    const request = { credentialId: principal.credentialId, hashes: [digest('a')], description: 'Học bạ 9A', clientRequestId: requestId() };
    const first = await c.signHash(request);
    const created = simulator.stats().transactionsCreated;
    const again = await c.signHash(request);
    expect(again).toEqual(first);
    expect(simulator.stats().transactionsCreated).toBe(created);
    const other = await c.signHash({ ...request, clientRequestId: requestId() });
    expect(other.transactionId).not.toBe(first.transactionId);
    // the same id for another request is refused, not silently answered with the old one
    const reused = await failure(c.signHash({ ...request, hashes: [digest('b')] }));
    expect(reused.code).toBe('RSIGN_BAD_REQUEST');
    expect(reused.kind).toBe('rejected');
    expect(reused.message).toMatch(/^signatures\/signHash: .*\(400, invalid_request: clientRequestId was already used for a different request\)/);
  });

  it('resends signHash after a 503 that came after the transaction was made: still one transaction', async () => {
    const { c, waits } = client();
    await c.listCredentials(TEACHER);
    const created = simulator.stats().transactionsCreated;
    simulator.injectFaults({ failAfterCreate: 1 });
    const tx = await c.signHash({ credentialId: principal.credentialId, hashes: [digest('once')], description: 'd', clientRequestId: requestId() });
    expect(waits).toHaveLength(1);
    expect(simulator.stats().transactionsCreated).toBe(created + 1);
    expect(simulator.pending().filter((t) => t.transactionId === tx.transactionId)).toHaveLength(1);
  });

  it('approves after a delay: signatures in request order verify against the certificate (node:crypto)', async () => {
    simulator.setPolicy({ mode: 'auto', delayMs: 150 });
    const { c } = client();
    const documents = ['SignedInfo 1', 'SignedInfo 2', 'SignedInfo 3'].map((s) => Buffer.from(s));
    const started = Date.now();
    const tx = await c.signHash({ credentialId: teacher.credentialId, hashes: documents.map((d) => createHash('sha256').update(d).digest()), description: '3 học bạ', clientRequestId: requestId() });
    expect(tx.expiresAt.getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
    expect((await c.status(tx.transactionId)).status).toBe('PENDING');
    const decision = await c.waitForDecision(tx.transactionId);
    expect(decision.status).toBe('APPROVED');
    if (decision.status !== 'APPROVED') return;
    expect(decision.approvedAt.getTime()).toBeGreaterThanOrEqual(started + 150 - 5);
    decision.signatures.forEach((sig, i) => {
      expect(verify('sha256', documents[i]!, teacher.certPem, sig)).toBe(true);
      expect(verify('sha256', documents[(i + 1) % 3]!, teacher.certPem, sig)).toBe(false);
    });
  });

  it('answers a rejection with the signer reason', async () => {
    simulator.setPolicy({ mode: 'reject', reason: 'Điểm môn Toán sai', delayMs: 30 }, TEACHER);
    try {
      const { c } = client();
      const tx = await c.signHash({ credentialId: teacher.credentialId, hashes: [digest('x')], description: 'd', clientRequestId: requestId() });
      expect(await c.waitForDecision(tx.transactionId)).toEqual({ status: 'REJECTED', reason: 'Điểm môn Toán sai' });
    } finally {
      simulator.setPolicy({ mode: 'auto' }, TEACHER);
    }
  });

  it('approves or rejects by hand (manual policy, the control endpoint)', async () => {
    const { c } = client();
    const a = await c.signHash({ credentialId: principal.credentialId, hashes: [digest('p1')], description: 'd', clientRequestId: requestId() });
    const b = await c.signHash({ credentialId: principal.credentialId, hashes: [digest('p2')], description: 'd', clientRequestId: requestId() });
    expect(simulator.pending().map((t) => t.transactionId)).toEqual(expect.arrayContaining([a.transactionId, b.transactionId]));
    simulator.approve(a.transactionId);
    const res = await fetch(`${simulator.url}/_control/transactions/${b.transactionId}/reject`, { method: 'POST', body: JSON.stringify({ reason: 'sai tên' }) });
    expect(res.status).toBe(200);
    expect((await c.status(a.transactionId)).status).toBe('APPROVED');
    expect(await c.status(b.transactionId)).toEqual({ status: 'REJECTED', reason: 'sai tên' });
  });

  it('answers PENDING after maxWaitMs, and EXPIRED once the service lets the request expire', async () => {
    const short = new SigningSimulator();
    await short.start({ clients: [{ clientId: 'school-1', clientSecret: 's3cret' }], transactionTtlMs: 1500, policy: { mode: 'never' } });
    try {
      const signer = short.addSigner({ personalId: TEACHER, name: 'Nguyễn Thị Lan' });
      const c = new RemoteSigningClient({ baseUrl: short.url, clientId: 'school-1', clientSecret: 's3cret', pollInitialDelayMs: 20, pollMaxDelayMs: 100 });
      clients.push(c);
      const tx = await c.signHash({ credentialId: signer.credentialId, hashes: [digest('x')], description: 'd', clientRequestId: requestId() });
      expect(await c.waitForDecision(tx.transactionId, { maxWaitMs: 60 })).toEqual({ status: 'PENDING' });
      expect(await c.waitForDecision(tx.transactionId)).toEqual({ status: 'EXPIRED' });
    } finally {
      await short.stop();
    }
  });

  it('cancels a wait with the signal (RSIGN_ABORTED)', async () => {
    const { c } = client({}, { sleep: (ms, signal) => new Promise((resolve, reject) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
    }) });
    // the principal approves by hand, and nobody does here
    const tx = await c.signHash({ credentialId: principal.credentialId, hashes: [digest('x')], description: 'd', clientRequestId: requestId() });
    const err = await failure(c.waitForDecision(tx.transactionId, { signal: AbortSignal.timeout(100) }));
    expect(err.code).toBe('RSIGN_ABORTED');
  });

  it('honours Retry-After on 429 exactly, then succeeds', async () => {
    const { c, waits } = client();
    await c.listCredentials(TEACHER); // token first: the faults hit CSC calls
    simulator.injectFaults({ rateLimited: { count: 2, retryAfterSeconds: 3 } });
    expect(await c.listCredentials(TEACHER)).toEqual([teacher.credentialId]);
    expect(waits).toEqual([3000, 3000]);
  });

  it('retries 5xx and resets with growing, jittered backoff, then succeeds', async () => {
    const { c, waits } = client({ retryInitialDelayMs: 100, retryMaxDelayMs: 1000 });
    await c.listCredentials(TEACHER);
    simulator.injectFaults({ serverErrors: { count: 3, status: 502 } });
    const info = await c.credentialInfo(teacher.credentialId);
    expect(info.keyStatus).toBe('enabled');
    expect(waits).toHaveLength(3);
    waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(50 * 2 ** i);
      expect(w).toBeLessThanOrEqual(100 * 2 ** i);
    });
    simulator.injectFaults({ resets: 1 });
    expect(await c.listCredentials(PRINCIPAL)).toEqual([principal.credentialId]);
    expect(waits).toHaveLength(4);
  });

  it('retries a call the service does not answer in time (timeoutMs), then succeeds', async () => {
    const { c, waits } = client({ timeoutMs: 150 });
    await c.listCredentials(TEACHER);
    simulator.injectFaults({ hangs: 1 });
    expect(await c.listCredentials(TEACHER)).toEqual([teacher.credentialId]);
    expect(waits).toHaveLength(1);
    simulator.injectFaults({ hangs: 1 });
    const { c: impatient } = client({ timeoutMs: 150, retryBudgetMs: 0 });
    expect((await failure(impatient.listCredentials(TEACHER))).code).toBe('RSIGN_TIMEOUT');
  });

  it('gives up when the retry budget is spent, with a transient error', async () => {
    let now = 0;
    const { c } = client({ retryBudgetMs: 2_000, retryInitialDelayMs: 500 }, { now: () => now, sleep: async (ms) => { now += ms; } });
    await c.listCredentials(TEACHER);
    simulator.injectFaults({ serverErrors: { count: 50 } });
    const err = await failure(c.listCredentials(TEACHER));
    expect(err.code).toBe('RSIGN_UNAVAILABLE');
    expect(err.kind).toBe('transient');
    expect(now).toBeLessThanOrEqual(2_000);
    // a Retry-After longer than the budget is not waited at all
    simulator.injectFaults({ rateLimited: { count: 1, retryAfterSeconds: 30 } });
    now = 0;
    expect((await failure(c.listCredentials(TEACHER))).code).toBe('RSIGN_RATE_LIMITED');
    expect(now).toBe(0);
  });

  it('refuses plain http to another machine unless allowInsecureHttp, and warns when allowed', () => {
    expect(() => new RemoteSigningClient({ baseUrl: 'http://ca.example.vn', clientId: 'a', clientSecret: 'b' })).toThrow(/RSIGN_INSECURE_HTTP|plain http/);
    const warnings: string[] = [];
    const c = new RemoteSigningClient({ baseUrl: 'http://ca.example.vn', clientId: 'a', clientSecret: 'b', allowInsecureHttp: true }, { warn: (m) => warnings.push(m) });
    c.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toContain('b,');
  });
});

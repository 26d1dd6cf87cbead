import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { packageRoot } from '../core/package-root.js';
import { jobSchema } from '../config/schema.js';
import type { DestinationConnector, SourceConnector } from '../core/connector.js';
import { silentLogger } from '../core/logger.js';
import type { Mapping } from '../core/mapping.js';
import type { DeliveryAnswer, RecordEvent, SourceRecord } from '../core/records.js';
import { acceptingDestination } from './testing/accepting-destination.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { targetId, type LedgerEntry, type OutboxItem, type StateStore } from '../store/store.js';
import { UpstreamGate, dependencyOrder, resolveUpstreams, waitingNotice } from './dependency.js';
import { runJob } from './runner.js';

const HUB = targetId('hub', 'test');
const PUB = targetId('pub', 'credentials');

interface Row {
  id: number;
  v: number;
  status?: RecordEvent;
}

function source(rows: () => Row[]): SourceConnector {
  return {
    type: 'fake',
    check: async () => ({ ok: true, message: 'ok' }),
    streams: async () => [{ name: 'rows', keyFields: ['id'], cursorField: 'v', supportsIncremental: true }],
    async *read(): AsyncIterable<SourceRecord> {
      for (const r of rows()) yield { stream: 'rows', key: String(r.id), data: { ...r }, cursorValue: { type: 'integer', value: String(r.v) } };
    },
    close: async () => undefined,
  };
}

const mapping: Mapping = {
  name: 'fake/1',
  dataset: 'test',
  schemaVersion: 'Test/1',
  map: (r) => ({ ok: true, idbanghi: `r${String(r.data.id)}`, sukien: (r.data.status as RecordEvent | undefined) ?? 'NEW', thoigiancapnhat: '2026-06-20T10:00:00', data: { id: Number(r.data.id), v: Number(r.data.v), cancelled: r.data.status === 'CANCEL' } }),
};

/** a hub double: rejects the ids in `reject`, answers the content hash it holds */
const hub = (reject: Set<string>) => acceptingDestination(reject);

/** a publisher double: remembers what it was given, in order, with the hub's state when it got it */
function publisher(hubStore: () => StateStore): DestinationConnector & { got: { idbanghi: string; version: number; event: string; hash: string; hubAccepted: boolean }[] } {
  const got: { idbanghi: string; version: number; event: string; hash: string; hubAccepted: boolean }[] = [];
  return {
    type: 'fake-publisher',
    maxBatchSize: 1000,
    got,
    check: async () => ({ ok: true, message: 'ok' }),
    encode: (r) => JSON.stringify({ idbanghi: r.idbanghi, version: r.version, event: r.event, documentHash: r.contentHash }),
    write: async (batch): Promise<DeliveryAnswer[]> => {
      const held = await hubStore().getLedgerEntries(HUB, batch.map((b) => b.idbanghi));
      for (const e of batch) {
        const m = JSON.parse(e.encoded) as { idbanghi: string; version: number; event: string; documentHash: string };
        got.push({ idbanghi: m.idbanghi, version: m.version, event: m.event, hash: m.documentHash, hubAccepted: held.get(m.idbanghi)?.status === 'accepted' });
      }
      return batch.map((e) => ({ idbanghi: e.idbanghi, status: 'delivered', receiptId: `cred-${e.idbanghi}` }));
    },
    close: async () => undefined,
  };
}

const fast = { batchSize: 2, concurrency: 2, rateLimit: { perSecond: 100_000, burst: 10_000 } };
function job(after: string | undefined = 'hub') {
  return jobSchema.parse({
    name: 'rows',
    source: { connection: 'db', stream: 'rows', mode: 'full', keyFields: ['id'] },
    mapping: { name: 'fake/1' },
    // the dependent is listed first: order in the file does not matter
    destinations: [
      { connection: 'pub', dataset: 'credentials', ...fast, ...(after === undefined ? {} : { after }) },
      { connection: 'hub', dataset: 'test', ...fast },
    ],
  });
}

const stores: StateStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

describe('a destination that waits for another (after:)', () => {
  it('takes a record only once the upstream accepted its current version, with the hash the upstream holds', async () => {
    const store = new SqliteStateStore(join(mkdtempSync(join(tmpdir(), 'lt-dep-')), 'state.db'));
    stores.push(store);
    let rows: Row[] = [1, 2, 3, 4, 5].map((id) => ({ id, v: 1 }));
    const reject = new Set(['r3']);
    const h = hub(reject);
    const p = publisher(() => store);
    const j = job();
    const run = () => runJob(j, { store, source: source(() => rows), mapping, destinations: [{ config: j.destinations[0]!, connector: p }, { config: j.destinations[1]!, connector: h }], unitCode: 'U', logger: silentLogger() });

    const first = await run();
    expect(p.got.map((g) => g.idbanghi).sort()).toEqual(['r1', 'r2', 'r4', 'r5']);
    expect(p.got.every((g) => g.hubAccepted)).toBe(true);
    const hubLedger = await store.getLedgerEntries(HUB, ['r1']);
    expect(p.got.find((g) => g.idbanghi === 'r1')?.hash).toBe(hubLedger.get('r1')?.hubContentHash);
    // r3, rejected at the hub, waits at the publisher: reported, the run is partial (exit 3)
    expect(first.outcome).toBe('partial');
    expect(first.counts.deferred).toBe(1);
    expect(first.notices.join('\n')).toMatch(/1 record\(s\) for pub\/credentials wait for hub\/test to accept them \(rejected there: 1\)/);
    const waiting = (await store.getLedgerEntries(PUB, ['r3'])).get('r3');
    expect(waiting).toMatchObject({ status: 'pending', lastError: { code: 'AWAITING_UPSTREAM' } });
    expect(waiting?.lastError?.message).toMatch(/rejected phienban 1/);

    // r3 fixed at the source and accepted; r1 changed: a new version, published again under its key;
    // r2 cancelled: a CANCEL for the publisher too
    reject.clear();
    rows = rows.map((r) => (r.id === 3 ? { ...r, v: 2 } : r.id === 1 ? { ...r, v: 2 } : r.id === 2 ? { ...r, status: 'CANCEL' as const } : r));
    p.got.length = 0;
    const second = await run();
    expect(second.outcome).toBe('succeeded');
    expect(p.got.map((g) => [g.idbanghi, g.version, g.event]).sort()).toEqual([
      ['r1', 2, 'UPDATE'],
      ['r2', 2, 'CANCEL'],
      ['r3', 2, 'UPDATE'],
    ]);
    expect(p.got.every((g) => g.hubAccepted)).toBe(true);
    const after = await store.getLedgerEntries(HUB, ['r1']);
    expect(p.got.find((g) => g.idbanghi === 'r1')?.hash).toBe(after.get('r1')?.hubContentHash);
    expect((await store.statusCounts(PUB)).accepted).toBe(5);
  });

  it('sends a record staged before a crash once the upstream holds it (the outbox drain goes through the gate)', async () => {
    const store = new SqliteStateStore(join(mkdtempSync(join(tmpdir(), 'lt-dep-')), 'state.db'));
    stores.push(store);
    const j = job();
    const rows: Row[] = [{ id: 1, v: 1 }];
    // the first run dies after the hub accepted and before the publisher sent: simulated here by a
    // publisher that stops the run (the kill -9 of a real process is test/e2e/vneid-lifecycle)
    const p = publisher(() => store);
    const dying: DestinationConnector = { ...p, write: async () => Promise.reject(new Error('killed')) };
    await runJob(j, { store, source: source(() => rows), mapping, destinations: [{ config: { ...j.destinations[0]!, retry: { ...j.destinations[0]!.retry, budgetMs: 0 } }, connector: dying }, { config: j.destinations[1]!, connector: hub(new Set()) }], unitCode: 'U', logger: silentLogger() });
    expect((await store.getLedgerEntries(HUB, ['r1'])).get('r1')?.status).toBe('accepted');
    expect((await store.getLedgerEntries(PUB, ['r1'])).get('r1')?.status).not.toBe('accepted');
    const h2 = hub(new Set());
    const second = await runJob(j, { store, source: source(() => rows), mapping, destinations: [{ config: j.destinations[0]!, connector: p }, { config: j.destinations[1]!, connector: h2 }], unitCode: 'U', logger: silentLogger() });
    expect(second.outcome).toBe('succeeded');
    expect(h2.received).toEqual([]); // nothing new for the hub
    expect(p.got.map((g) => g.idbanghi)).toEqual(['r1']);
  });
});

describe('the after: option', () => {
  const parse = (destinations: unknown[]) => jobSchema.safeParse({ name: 'j', source: { connection: 'db', mode: 'full', keyFields: ['id'] }, mapping: { name: 'm' }, destinations });
  const messages = (r: ReturnType<typeof parse>): string[] => (r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));

  it('names another destination by connection or connection/dataset', () => {
    expect(parse([{ connection: 'hub', dataset: 'a' }, { connection: 'v', dataset: 'c', after: 'hub' }]).success).toBe(true);
    expect(parse([{ connection: 'hub', dataset: 'a' }, { connection: 'v', dataset: 'c', after: 'hub/a' }]).success).toBe(true);
    // files without after: are unchanged
    expect(parse([{ connection: 'hub', dataset: 'a' }]).success).toBe(true);
  });

  it('says exactly what is wrong', () => {
    expect(messages(parse([{ connection: 'hub', dataset: 'a' }, { connection: 'v', dataset: 'c', after: 'hbu' }]))).toEqual([
      'destinations.1.after: "hbu" names no other destination of this job (its destinations: hub/a, v/c); write the connection name or connection/dataset of the destination to wait for',
    ]);
    expect(messages(parse([{ connection: 'hub', dataset: 'a', after: 'hub' }]))[0]).toMatch(/destinations\.0\.after: "hub" is this destination itself/);
    expect(messages(parse([{ connection: 'hub', dataset: 'a' }, { connection: 'hub', dataset: 'b' }, { connection: 'v', dataset: 'c', after: 'hub' }]))[0]).toMatch(/names 2 destinations of this job \(hub\/a, hub\/b\); write connection\/dataset/);
    expect(messages(parse([{ connection: 'a', dataset: 'x', after: 'b' }, { connection: 'b', dataset: 'y', after: 'a' }])).join('\n')).toMatch(/wait for each other in a circle/);
  });

  it('the shipped example job publishes to VNeID after the hub', () => {
    const example = YAML.parse(readFileSync(join(packageRoot(), 'jobs', 'examples', 'vneid', 'diplomas.yaml'), 'utf8')) as unknown;
    const parsed = jobSchema.parse(example);
    expect(parsed.destinations.map((d) => [d.connection, d.after])).toEqual([
      ['hub', undefined],
      ['vneid', 'hub'],
    ]);
  });

  it('orders upstreams first', () => {
    const { upstreams } = resolveUpstreams([{ connection: 'v', dataset: 'c', after: 'w' }, { connection: 'hub', dataset: 'a' }, { connection: 'w', dataset: 'd', after: 'hub' }]);
    expect(dependencyOrder(3, upstreams)).toEqual([1, 2, 0]);
  });
});

describe('UpstreamGate', () => {
  const item = (idbanghi: string, contentHash = `h-${idbanghi}`): OutboxItem => ({ target: PUB, idbanghi, sourceKey: idbanghi, phienban: 1, contentHash, envelopeJson: '{}' });
  const entry = (idbanghi: string, status: LedgerEntry['status'], contentHash = `h-${idbanghi}`): LedgerEntry => ({
    target: HUB, idbanghi, sourceKey: idbanghi, job: 'j', contentHash, phienban: 1, status, attempts: 1, lastError: status === 'rejected' ? { code: 'INVALID', message: 'no' } : null,
    receiptId: null, hubPhienban: null, hubContentHash: status === 'accepted' ? contentHash : null, createdAt: '', updatedAt: '', acceptedAt: null,
  });
  function gateOver(ledger: Map<string, LedgerEntry>, state = { fail: false }): { gate: UpstreamGate; released: string[] } {
    const released: string[] = [];
    const store = { getLedgerEntries: async (_t: string, ids: string[]) => (state.fail ? Promise.reject(new Error('disk full')) : new Map(ids.filter((i) => ledger.has(i)).map((i) => [i, ledger.get(i)!]))) } as unknown as StateStore;
    return { gate: new UpstreamGate(HUB, store, async (items) => void released.push(...items.map((i) => i.idbanghi))), released };
  }

  it('lets through what the upstream holds, releases the rest as it accepts them, and says why the others wait', async () => {
    const ledger = new Map([['a', entry('a', 'accepted')], ['b', entry('b', 'sent')], ['c', entry('c', 'rejected')], ['d', entry('d', 'accepted', 'h-old')]]);
    const { gate, released } = gateOver(ledger);
    expect((await gate.admit([item('a'), item('b'), item('c'), item('d'), item('e')])).map((i) => i.idbanghi)).toEqual(['a']);
    ledger.set('b', entry('b', 'accepted'));
    gate.upstreamAccepted(['b']);
    await gate.idle();
    expect(released).toEqual(['b']);
    const left = await gate.close();
    expect(left.map((l) => [l.item.idbanghi, l.reason.kind])).toEqual([
      ['c', 'rejected there'],
      ['d', 'another version there'],
      ['e', 'never staged there'],
    ]);
    expect(waitingNotice(PUB, HUB, left.map((l) => l.reason))).toBe('3 record(s) for pub/credentials wait for hub/test to accept them (rejected there: 1, another version there: 1, never staged there: 1); they stay pending and go once it does (lienthong status lists them)');
  });

  it('throws at idle what made a release fail, never leaving it unheard', async () => {
    const ledger = new Map([['a', entry('a', 'sent')]]);
    const state = { fail: false };
    const { gate } = gateOver(ledger, state);
    await gate.admit([item('a')]);
    // the store fails while the upstream's acceptance is being told
    state.fail = true;
    gate.upstreamAccepted(['a']);
    await expect(gate.idle()).rejects.toThrow('disk full');
  });
});

/**
 * Reconciliation over a real SqliteStateStore: a source with a record of every kind, a ledger
 * written through the store's own calls (stage, markSent, applyOutcomes, recordInvalid) and a hub
 * that holds older, other, cancelled and unknown copies. Every source record must be counted
 * exactly once, in the report object and in each of its four renderings.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobSchema } from '../config/schema.js';
import type { DestinationConnector, SourceConnector } from '../core/connector.js';
import { contentHash } from '../core/hash.js';
import type { Mapping } from '../core/mapping.js';
import type { FieldError, HeldRecord, SourceRecord } from '../core/records.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { targetId, type DeliveryOutcome } from '../store/store.js';
import { explainCode } from '../domain/error-codes.js';
import { reconcile, type RecordWarningsInput } from './reconcile.js';
import { PARTITION_KEYS, partitionSum, type ReconciliationReport } from './types.js';
import { CSV_BOM, renderReconciliationCsv, renderReconciliationHtml, renderReconciliationJson, renderReconciliationSummary } from './writers/index.js';

const T = targetId('hub', 'vb');
const JOB = 'diplomas';

interface Row {
  key: string;
  serial?: string;
  name?: string;
  v: number;
}

/** idbanghi `vb-<serial>`; no name → REQUIRED (with the idbanghi when the serial is there) */
const mapping: Mapping = {
  name: 'test/1',
  dataset: 'vb',
  schemaVersion: 'Test/1',
  map: (r) => {
    const serial = r.data.serial as string | undefined;
    const name = r.data.name as string | undefined;
    const idbanghi = serial === undefined ? undefined : `vb-${serial}`;
    if (idbanghi === undefined || name === undefined) {
      const errors: FieldError[] = [];
      if (idbanghi === undefined) errors.push({ field: 'data.sohieu', code: 'REQUIRED', message: 'no serial number' });
      if (name === undefined) errors.push({ field: 'data.hovaten', code: 'REQUIRED', message: 'no name' });
      return { ok: false, errors, ...(idbanghi === undefined ? {} : { idbanghi }) };
    }
    const warnings = r.data.v === 99 ? [{ field: 'data.v', code: 'DATE_RANGE', message: 'v looks odd' }] : undefined;
    return { ok: true, idbanghi, sukien: 'NEW', thoigiancapnhat: '2026-06-01T08:00:00', data: dataOf(r.data as unknown as Row), ...(warnings ? { warnings } : {}) };
  },
};

function dataOf(row: Row): { sohieu: string; hovaten: string; v: number } {
  return { sohieu: row.serial ?? '', hovaten: row.name ?? '', v: row.v };
}
const hashOf = (row: Row): string => contentHash(dataOf(row));

function source(rows: Row[]): SourceConnector {
  return {
    type: 'fake',
    check: async () => ({ ok: true, message: 'ok' }),
    streams: async () => [{ name: 'vb', keyFields: ['key'], supportsIncremental: false }],
    async *read(): AsyncIterable<SourceRecord> {
      for (const r of rows) yield { stream: 'vb', key: r.key, data: { ...r } };
    },
    close: async () => undefined,
  };
}

function hubOf(held: HeldRecord[]): DestinationConnector {
  return {
    type: 'fake-hub',
    maxBatchSize: 100,
    check: async () => ({ ok: true, message: 'ok' }),
    write: async () => [],
    async *readBack(): AsyncIterable<HeldRecord> {
      yield* held;
    },
    close: async () => undefined,
  };
}

const job = jobSchema.parse({
  name: JOB,
  source: { connection: 'db', stream: 'vb', mode: 'full', query: 'SELECT 1', keyFields: ['key'] },
  mapping: { name: 'test/1' },
  destinations: [{ connection: 'hub', dataset: 'vb' }],
  deadlines: [{ name: 'Đợt 1', date: '2026-06-30' }],
});

const held = (idbanghi: string, phienban: number, hash: string, sukien: HeldRecord['sukien'] = 'NEW'): HeldRecord => ({ idbanghi, phienban, contentHash: hash, sukien, receiptId: `rc-${idbanghi}`, updatedAt: '2026-06-01T08:00:00+07:00' });

// the source now
const rows: Row[] = [
  { key: 'A1', serial: '001', name: 'An', v: 1 }, // accepted, the hub agrees
  { key: 'A2', serial: '002', name: 'Bình', v: 2 }, // accepted at version 2, the hub still holds version 1
  { key: 'A3', serial: '003', name: 'Chi', v: 1 }, // accepted, the hub holds version 1 with other content
  { key: 'A4', serial: '004', name: 'Dũng', v: 1 }, // accepted, the hub has no copy
  { key: 'W1', serial: '005', name: 'Giang', v: 99 }, // accepted, with a warning
  { key: 'P1', serial: '010', name: 'Hà', v: 1 }, // staged
  { key: 'P2', serial: '011', name: 'Hải', v: 1 }, // sent, no answer yet
  { key: 'U1', serial: '020', name: 'Khoa', v: 1 }, // never staged
  { key: 'U2', serial: '021', name: 'Lan', v: 2 }, // changed since version 1 was accepted
  { key: 'R1', serial: '030', name: 'Minh', v: 1 }, // the hub refused it
  { key: 'D1', serial: '031', name: 'Nam', v: 1 }, // delivery gave up
  { key: 'C1', serial: '032', name: 'Oanh', v: 1 }, // version conflict
  { key: 'H1', serial: '040', v: 2 }, // invalid now; version 1 was accepted earlier: counted once, held back
  { key: 'H2', name: 'Phúc', v: 1 }, // invalid, no idbanghi at all
  { key: 'H3', serial: '042', name: 'Quân', v: 1 }, // H3 and H4 share one serial; H3's was accepted earlier
  { key: 'H4', serial: '042', name: 'Quang', v: 1 },
  { key: 'H5', serial: '043', name: 'Sơn', v: 1 }, // refused at signing by the last run
];
const G1: Row = { key: 'G1', serial: '050', name: 'Tâm', v: 1 };
const G2: Row = { key: 'G2', serial: '051', name: 'Tú', v: 1 };
const byKey = new Map(rows.map((r) => [r.key, r]));
const at = (key: string, patch: Partial<Row> = {}): Row => ({ ...(byKey.get(key) as Row), ...patch });

let store: SqliteStateStore;
beforeEach(async () => {
  store = new SqliteStateStore(join(mkdtempSync(join(tmpdir(), 'lt-reconcile-')), 'state.db'));
  const stage = async (key: string, row: Row, phienban: number): Promise<string> => {
    const idbanghi = `vb-${row.serial ?? ''}`;
    await store.stage([{ target: T, job: JOB, sourceKey: key, idbanghi, phienban, contentHash: hashOf(row), envelopeJson: '{}' }]);
    return idbanghi;
  };
  const settle = async (outcome: DeliveryOutcome): Promise<void> => {
    await store.markSent(T, [{ idbanghi: outcome.idbanghi, phienban: outcome.phienban }]);
    await store.applyOutcomes(T, [outcome]);
  };
  const accept = async (key: string, row: Row, phienban = 1): Promise<void> => {
    const idbanghi = await stage(key, row, phienban);
    await settle({ idbanghi, phienban, status: 'accepted', receiptId: `rc-${idbanghi}` });
  };
  for (const k of ['A1', 'A3', 'A4', 'W1']) await accept(k, at(k));
  await accept('A2', at('A2'), 2);
  await stage('P1', at('P1'), 1);
  const p2 = await stage('P2', at('P2'), 1);
  await store.markSent(T, [{ idbanghi: p2, phienban: 1 }]);
  await accept('U2', at('U2', { v: 1 }));
  await stage('R1', at('R1'), 1);
  await settle({ idbanghi: 'vb-030', phienban: 1, status: 'rejected', errors: [{ field: 'data.xeploai', code: 'SCHEMA_INVALID', message: 'not a grade' }] });
  await stage('D1', at('D1'), 1);
  await settle({ idbanghi: 'vb-031', phienban: 1, status: 'dead', code: 'RECORD_TOO_LARGE', message: 'too large for the hub' });
  await stage('C1', at('C1'), 1);
  await settle({ idbanghi: 'vb-032', phienban: 1, status: 'stale', hubPhienban: 3, hubContentHash: 'e'.repeat(64) });
  await accept('H1', at('H1', { name: 'Phương', v: 1 }));
  await accept('H3', at('H3'));
  // gone from the source: G1 still held at the hub; G2 withdrawn there (its CANCEL was accepted)
  await accept('G1', G1);
  await accept('G2', G2, 2);
  await store.recordInvalid([
    { job: JOB, sourceKey: 'H1', idbanghi: 'vb-040', errors: [{ field: 'data.hovaten', code: 'REQUIRED', message: 'no name' }], runId: 'r1', updatedAt: '2026-06-01T01:00:00Z' },
    { job: JOB, sourceKey: 'H3', idbanghi: 'vb-042', errors: [{ field: 'idbanghi', code: 'DUPLICATE_IDBANGHI', message: 'H4 too' }], runId: 'r1', updatedAt: '2026-06-01T01:00:00Z' },
    { job: JOB, sourceKey: 'H4', idbanghi: 'vb-042', errors: [{ field: 'idbanghi', code: 'DUPLICATE_IDBANGHI', message: 'H3 too' }], runId: 'r1', updatedAt: '2026-06-01T01:00:00Z' },
    { job: JOB, sourceKey: 'H5', idbanghi: 'vb-043', errors: [{ field: 'tailieu', code: 'SIGNATURE_INVALID', message: 'the signing key was refused' }], runId: 'r1', updatedAt: '2026-06-01T01:00:00Z' },
  ]);
});
afterEach(async () => {
  await store.close();
});

const hubCopies = (): HeldRecord[] => [
  held('vb-001', 1, hashOf(at('A1'))),
  held('vb-002', 1, hashOf(at('A2', { v: 1 }))),
  held('vb-003', 1, 'f'.repeat(64)),
  held('vb-005', 1, hashOf(at('W1'))),
  held('vb-021', 1, hashOf(at('U2', { v: 1 }))),
  held('vb-032', 3, 'e'.repeat(64)),
  held('vb-040', 1, hashOf(at('H1', { name: 'Phương', v: 1 }))),
  held('vb-042', 1, hashOf(at('H3'))),
  held('vb-050', 1, hashOf(G1)),
  held('vb-051', 2, hashOf(G2), 'CANCEL'),
  held('vb-900', 4, 'd'.repeat(64)),
];

const storedWarnings = (): RecordWarningsInput[] => [
  { sourceKey: 'W1', idbanghi: 'vb-005', warnings: [{ field: 'data.bangdiem.TOA.hk1', code: 'REGULAR_TEST_COUNT_MISMATCH', message: '3 regular tests, 4 expected' }] },
  // a record deleted at the source since: nothing to act on
  { sourceKey: 'GONE', idbanghi: 'vb-777', warnings: [{ field: 'data.x', code: 'REGULAR_TEST_COUNT_MISMATCH', message: 'old' }] },
];

/** `null`: the caller passes no stored warnings */
async function run(warnings: RecordWarningsInput[] | null = storedWarnings()): Promise<ReconciliationReport> {
  return reconcile(job, {
    store,
    source: source(rows),
    mapping,
    destination: { connection: 'hub', dataset: 'vb', connector: hubOf(hubCopies()) },
    unitCode: '0101',
    now: new Date('2026-06-20T03:00:00Z'),
    ...(warnings ? { warnings } : {}),
  });
}

/** the category each listed source key is in; accepted records are not listed */
function listedCategories(report: ReconciliationReport): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (key: string | undefined, category: string): void => {
    const set = out.get(key ?? '?') ?? new Set<string>();
    set.add(category);
    out.set(key ?? '?', set);
  };
  for (const i of report.issues) add(i.sourceKey, i.category);
  for (const w of report.waiting) add(w.sourceKey, w.category);
  return out;
}

describe('reconcile over a SqliteStateStore', () => {
  it('counts every source record exactly once, in the category the rules give it', async () => {
    const report = await run();
    expect(report.totals).toEqual({
      source: 17,
      accepted: 5,
      pending: 2,
      unsent: 2,
      rejectedByHub: 1,
      dead: 1,
      conflicts: 1,
      heldBack: 5,
      missingAtHub: 1,
      mismatched: 2,
      goneFromSource: 1,
      extraAtHub: 1,
      warnings: 1,
    });
    expect(partitionSum(report.totals)).toBe(report.totals.source);
    const listed = listedCategories(report);
    for (const [key, categories] of listed) expect([...categories], key).toHaveLength(1);
    const keysOf = (c: string): string[] => [...listed].filter(([, s]) => s.has(c)).map(([k]) => k).sort();
    expect(keysOf('heldBack')).toEqual(['H1', 'H2', 'H3', 'H4', 'H5']);
    expect(keysOf('pending')).toEqual(['P1', 'P2']);
    expect(keysOf('unsent')).toEqual(['U1', 'U2']);
    expect(keysOf('rejectedByHub')).toEqual(['R1']);
    expect(keysOf('dead')).toEqual(['D1']);
    expect(keysOf('conflicts')).toEqual(['C1']);
    // the accepted ones are the rest, and the ledger's status count (which includes held-back
    // H1 and H3's earlier versions and gone G1, G2) is not what the report counts
    expect(rows.length - listed.size).toBe(report.totals.accepted);
    expect(report.statusCounts.accepted).toBe(10);
  });

  it('holds a record invalid now back once, even though an earlier version was accepted', async () => {
    const report = await run();
    const h1 = report.issues.filter((i) => i.sourceKey === 'H1');
    expect(h1).toEqual([{ category: 'heldBack', idbanghi: 'vb-040', sourceKey: 'H1', code: 'REQUIRED', field: 'data.hovaten', message: 'no name', hubPhienban: 1 }]);
    expect(report.issues.find((i) => i.sourceKey === 'H2')).toMatchObject({ category: 'heldBack', code: 'REQUIRED', field: 'data.sohieu' });
    expect(report.issues.find((i) => i.sourceKey === 'H5')).toMatchObject({ category: 'heldBack', code: 'SIGNATURE_INVALID', field: 'tailieu' });
  });

  it('holds both rows of one idbanghi back, each listed with the other source key', async () => {
    const report = await run();
    const dup = report.issues.filter((i) => i.code === 'DUPLICATE_IDBANGHI');
    expect(dup.map((i) => [i.sourceKey, i.otherSourceKeys, i.hubPhienban])).toEqual([['H3', ['H4'], 1], ['H4', ['H3'], 1]]);
    expect(report.byCode.find((g) => g.code === 'DUPLICATE_IDBANGHI')).toEqual({ category: 'heldBack', code: 'DUPLICATE_IDBANGHI', records: 2, examples: ['H3', 'H4'] });
  });

  it('keeps the hub refusals apart from the records held back at the source', async () => {
    const report = await run();
    expect(report.byCode.filter((g) => g.category === 'rejectedByHub')).toEqual([{ category: 'rejectedByHub', code: 'SCHEMA_INVALID', records: 1, examples: ['R1'] }]);
    expect(report.byCode.filter((g) => g.category === 'heldBack').map((g) => [g.code, g.records])).toEqual([['DUPLICATE_IDBANGHI', 2], ['REQUIRED', 2], ['SIGNATURE_INVALID', 1]]);
    expect(report.issues.find((i) => i.sourceKey === 'C1')).toMatchObject({ category: 'conflicts', code: 'VERSION_CONFLICT' });
    expect(report.issues.find((i) => i.sourceKey === 'D1')).toMatchObject({ category: 'dead', code: 'RECORD_TOO_LARGE' });
  });

  it('lists a hub copy older than the ledger, or other content, with both versions', async () => {
    const report = await run();
    expect(report.mismatched).toEqual([
      { idbanghi: 'vb-002', sourceKey: 'A2', ledgerPhienban: 2, hubPhienban: 1, ledgerHash: hashOf(at('A2')), hubHash: hashOf(at('A2', { v: 1 })), kind: 'older' },
      { idbanghi: 'vb-003', sourceKey: 'A3', ledgerPhienban: 1, hubPhienban: 1, ledgerHash: hashOf(at('A3')), hubHash: 'f'.repeat(64), kind: 'content' },
    ]);
    expect(report.missingAtHub).toEqual([{ idbanghi: 'vb-004', sourceKey: 'A4', ledgerPhienban: 1 }]);
  });

  it('counts records held at the hub but gone from the source apart from records the ledger never knew', async () => {
    const report = await run();
    expect(report.goneFromSource).toEqual([{ idbanghi: 'vb-050', sourceKey: 'G1', ledgerStatus: 'accepted', hubPhienban: 1 }]);
    expect(report.extraAtHub).toEqual([{ idbanghi: 'vb-900', phienban: 4 }]);
  });

  it('lists the stored warnings of the records the source still has, by code', async () => {
    const report = await run();
    expect(report.warnings).toEqual([{ sourceKey: 'W1', idbanghi: 'vb-005', code: 'REGULAR_TEST_COUNT_MISMATCH', field: 'data.bangdiem.TOA.hk1', message: '3 regular tests, 4 expected' }]);
    expect(report.byCode.filter((g) => g.category === 'warnings')).toEqual([{ category: 'warnings', code: 'REGULAR_TEST_COUNT_MISMATCH', records: 1, examples: ['W1'] }]);
    expect(report.codes.map((c) => c.code)).toContain('REGULAR_TEST_COUNT_MISMATCH');
  });

  it("without stored warnings, lists the mapping's warnings on the source as it is now", async () => {
    const report = await run(null);
    expect(report.warnings).toEqual([{ sourceKey: 'W1', idbanghi: 'vb-005', code: 'DATE_RANGE', field: 'data.v', message: 'v looks odd' }]);
    expect(report.totals.warnings).toBe(1);
  });

  it('explains every code it shows, in both languages', async () => {
    const report = await run(null);
    const shown = new Set([...report.issues.map((i) => i.code), ...report.warnings.map((w) => w.code), 'MISSING_AT_HUB', 'VERSION_MISMATCH', 'CONTENT_MISMATCH', 'GONE_FROM_SOURCE', 'EXTRA_AT_HUB']);
    expect(report.codes.map((c) => c.code).sort()).toEqual([...shown].sort());
    for (const c of report.codes) {
      expect(c.explained, c.code).toBe(true);
      expect(c).toMatchObject(explainCode(c.code) ?? {});
      expect(c.vi).not.toBe(c.en);
    }
  });

  it('gives deadline progress from the same partition', async () => {
    const report = await run();
    expect(report.deadlines).toEqual([{ name: 'Đợt 1', date: '2026-06-30', daysLeft: 10, accepted: 5, waiting: 4, failed: 3, heldBack: 5 }]);
  });

  it('adds up in JSON, CSV, HTML and the terminal summary', async () => {
    const report = await run();
    const json = JSON.parse(renderReconciliationJson(report)) as ReconciliationReport;
    expect(PARTITION_KEYS.reduce((s, k) => s + json.totals[k], 0)).toBe(17);
    expect(json.totals.source).toBe(17);

    const csvTotals = new Map(
      renderReconciliationCsv(report).slice(CSV_BOM.length).split('\r\n').filter((l) => l.startsWith('total,')).map((l) => {
        const cells = l.split(',');
        return [cells[4], Number(cells[11])] as const;
      }),
    );
    expect(PARTITION_KEYS.reduce((s, k) => s + (csvTotals.get(k) ?? NaN), 0)).toBe(csvTotals.get('source'));
    expect(csvTotals.get('source')).toBe(17);

    const html = renderReconciliationHtml(report);
    const card = (k: string): number => Number(new RegExp(`data-total="${k}"><div class="value"><span class="l-vi" lang="vi">(\\d+)</span>`).exec(html)?.[1]);
    expect(PARTITION_KEYS.reduce((s, k) => s + card(k), 0)).toBe(card('source'));
    expect(card('source')).toBe(17);

    for (const lang of ['vi', 'en'] as const) {
      const text = renderReconciliationSummary(report, lang);
      expect(text).toContain(lang === 'vi' ? 'Cộng các cột: 17 = 17 bản ghi ở nguồn' : 'The columns add up: 17 = 17 source records');
    }
  });
});

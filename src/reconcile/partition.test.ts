import { describe, expect, it } from 'vitest';
import { duplicateError } from '../engine/chunk-mapper.js';
import type { HeldRecord } from '../core/records.js';
import type { LedgerEntry } from '../store/store.js';
import { groupByCode, partition, type PartitionInput, type SourceRow } from './partition.js';
import { PARTITION_KEYS } from './types.js';

function entry(idbanghi: string, sourceKey: string, over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    target: 'hub/vb',
    idbanghi,
    sourceKey,
    job: 'j',
    contentHash: `h-${sourceKey}`,
    phienban: 1,
    status: 'accepted',
    attempts: 1,
    lastError: null,
    receiptId: null,
    hubPhienban: null,
    hubContentHash: null,
    createdAt: '',
    updatedAt: '',
    acceptedAt: null,
    ...over,
  };
}

const held = (idbanghi: string, phienban = 1, contentHash = 'x'): HeldRecord => ({ idbanghi, phienban, contentHash, sukien: 'NEW', receiptId: 'r', updatedAt: '' });

function input(rows: SourceRow[], ledger: LedgerEntry[], hub: HeldRecord[] = []): PartitionInput {
  return {
    job: 'j',
    rows,
    ledger: new Map(ledger.map((e) => [e.idbanghi, e])),
    heldByRun: new Map(),
    hub: new Map(hub.map((h) => [h.idbanghi, h])),
    warnings: new Map(),
  };
}

const sum = (counts: Record<string, number>): number => PARTITION_KEYS.reduce((s, k) => s + (counts[k] ?? 0), 0);

describe('partition', () => {
  it('holds back a re-keyed record (the ledger knows its id under a key the source lost) and does not call it gone', () => {
    const p = partition(input([{ key: 'NEW', idbanghi: 'vb-1', hash: 'h-OLD' }], [entry('vb-1', 'OLD')], [held('vb-1', 1, 'h-OLD')]));
    expect(p.counts.heldBack).toBe(1);
    expect(p.issues[0]).toMatchObject({ code: 'DUPLICATE_IDBANGHI', sourceKey: 'NEW', otherSourceKeys: ['OLD'], hubPhienban: 1 });
    expect(p.goneFromSource).toEqual([]);
  });

  it('holds every source record that claims one id, in the words the run uses (three claims: all held, each naming the others)', () => {
    const rows = [{ key: 'A', idbanghi: 'vb-1', hash: 'h1' }, { key: 'B', idbanghi: 'vb-1', hash: 'h2' }, { key: 'C', idbanghi: 'vb-1', hash: 'h3' }];
    const p = partition(input(rows, []));
    expect(p.counts.heldBack).toBe(3);
    expect(p.issues.map((i) => [i.sourceKey, i.otherSourceKeys])).toEqual([['A', ['B', 'C']], ['B', ['A', 'C']], ['C', ['A', 'B']]]);
    expect(p.issues[0]).toMatchObject({ field: 'idbanghi', message: duplicateError(['B', 'C']).message });
    const two = partition(input(rows.slice(0, 2), []));
    expect(two.issues[0]?.message).toBe(duplicateError('B').message);
  });

  it('calls the old id of a record whose idbanghi changed gone from the source, and sends the new one', () => {
    const p = partition(input([{ key: 'K', idbanghi: 'vb-2', hash: 'h' }], [entry('vb-1', 'K')], [held('vb-1', 1, 'h-K')]));
    expect(p.counts.unsent).toBe(1);
    expect(p.goneFromSource).toEqual([{ idbanghi: 'vb-1', sourceKey: 'K', ledgerStatus: 'accepted', hubPhienban: 1 }]);
  });

  it('does not call a record gone while a row whose idbanghi is unknown (invalid) may be it', () => {
    const p = partition(input([{ key: 'K', errors: [{ field: 'data.sohieu', code: 'REQUIRED', message: 'no serial' }] }], [entry('vb-1', 'K')], [held('vb-1', 1, 'h-K')]));
    expect(p.counts.heldBack).toBe(1);
    expect(p.goneFromSource).toEqual([]);
  });

  it("leaves another job's ledger rows on the same dataset to that job", () => {
    const p = partition(input([], [entry('vb-9', 'X', { job: 'other' })], [held('vb-9', 1, 'other-hash')]));
    expect(p.goneFromSource).toEqual([]);
    expect(p.mismatched).toEqual([]);
    expect(p.extraAtHub).toEqual([]);
  });

  it('counts a source key read twice as two rows of the same category, so the sum still equals the rows', () => {
    const rows = [{ key: 'K', idbanghi: 'vb-1', hash: 'h-K' }, { key: 'K', idbanghi: 'vb-1', hash: 'h-K' }];
    const p = partition(input(rows, [entry('vb-1', 'K')], [held('vb-1', 1, 'h-K')]));
    expect(p.counts.accepted).toBe(2);
    expect(sum(p.counts)).toBe(rows.length);
  });

  it('holds back three rows with one idbanghi, each naming the two others', () => {
    const rows = ['A', 'B', 'C'].map((key) => ({ key, idbanghi: 'vb-1', hash: `h-${key}` }));
    const p = partition(input(rows, []));
    expect(p.issues.map((i) => [i.sourceKey, i.otherSourceKeys])).toEqual([['A', ['B', 'C']], ['B', ['A', 'C']], ['C', ['A', 'B']]]);
    expect(groupByCode(p.issues, [])).toEqual([{ category: 'heldBack', code: 'DUPLICATE_IDBANGHI', records: 3, examples: ['A', 'B', 'C'] }]);
  });

  it('counts a record with two errors once, and once in each code group', () => {
    const p = partition(input([{ key: 'K', errors: [{ field: 'a', code: 'REQUIRED', message: 'a' }, { field: 'b', code: 'REQUIRED', message: 'b' }, { field: 'c', code: 'DATE_RANGE', message: 'c' }] }], []));
    expect(p.counts.heldBack).toBe(1);
    expect(p.issues).toHaveLength(3);
    expect(groupByCode(p.issues, []).map((g) => [g.code, g.records])).toEqual([['DATE_RANGE', 1], ['REQUIRED', 1]]);
  });

  it('sees a newer hub copy of an accepted record as a mismatch too', () => {
    const p = partition(input([{ key: 'K', idbanghi: 'vb-1', hash: 'h-K' }], [entry('vb-1', 'K')], [held('vb-1', 3, 'other')]));
    expect(p.counts.accepted).toBe(1);
    expect(p.mismatched).toMatchObject([{ kind: 'newer', ledgerPhienban: 1, hubPhienban: 3 }]);
  });
});

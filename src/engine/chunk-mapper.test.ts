import { describe, expect, it } from 'vitest';
import { jobSchema } from '../config/schema.js';
import type { Mapping } from '../core/mapping.js';
import type { SourceRecord } from '../core/records.js';
import { ChunkMapper, duplicateError, mapRecord, type DuplicateHolds } from './chunk-mapper.js';

const job = jobSchema.parse({
  name: 'rows',
  source: { connection: 's', stream: 'rows', query: 'SELECT 1', keyFields: ['id'], cursorField: 'v' },
  mapping: { name: 'fake/1' },
  destinations: [{ connection: 'hub', dataset: 'test' }],
});

const mapping: Mapping = {
  name: 'fake/1',
  dataset: 'test',
  schemaVersion: 'Test/1',
  map: (r) => {
    if (r.data.boom) throw new Error('cannot read this row');
    return { ok: true, idbanghi: String(r.data.rid), sukien: 'NEW', thoigiancapnhat: '2026-06-20T10:00:00', data: { b: 2, a: Number(r.data.id) } };
  },
};

const rec = (key: string, rid: string, extra: Record<string, unknown> = {}): SourceRecord => ({ stream: 'rows', key, data: { id: Number(key), rid, ...extra } });
const context = { unitCode: 'U', options: {} };

describe('mapRecord', () => {
  it('hashes the data in its RFC 8785 form, and holds a record whose mapping throws', () => {
    const ok = mapRecord(rec('1', 'r1'), mapping, context, 'rows');
    expect(ok).toMatchObject({ ok: true, idbanghi: 'r1', dataJson: '{"a":1,"b":2}', warnings: undefined });
    expect(mapRecord(rec('2', 'r2', { boom: true }), mapping, context, 'rows')).toEqual({ ok: false, idbanghi: null, errors: [expect.objectContaining({ field: 'record', message: expect.stringContaining('the mapping failed on this record: cannot read this row') })] });
  });
});

describe('ChunkMapper duplicates', () => {
  const mapper = (holds: DuplicateHolds = new Map()): ChunkMapper => new ChunkMapper(job, 'run-1', context, mapping, false, holds);

  it('holds every record claiming one id in a chunk, a third one too', () => {
    const m = mapper();
    for (const r of [rec('1', 'x'), rec('2', 'x'), rec('3', 'y'), rec('4', 'x')]) m.add(r);
    const chunk = m.take();
    expect(chunk.mapped.map((r) => r.key)).toEqual(['3']);
    expect(chunk.invalid.map((i) => [i.sourceKey, i.errors[0]?.code]).sort()).toEqual([['1', 'DUPLICATE_IDBANGHI'], ['2', 'DUPLICATE_IDBANGHI'], ['4', 'DUPLICATE_IDBANGHI']]);
    expect(chunk.invalid.find((i) => i.sourceKey === '4')?.errors).toEqual([duplicateError('1')]);
  });

  it('holds a later claim on an id held in an earlier chunk (the ledger never saw it)', () => {
    const m = mapper();
    m.add(rec('1', 'x'));
    m.add(rec('2', 'x'));
    expect(m.take().invalid).toHaveLength(2);
    m.add(rec('3', 'x'));
    m.add(rec('4', 'z'));
    const next = m.take();
    expect(next.mapped.map((r) => r.key)).toEqual(['4']);
    expect(next.invalid.map((i) => i.sourceKey)).toEqual(['3']);
  });
});

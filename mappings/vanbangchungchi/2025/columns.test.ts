import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MappingContext } from '../../../src/core/mapping.js';
import type { SourceRecord } from '../../../src/core/records.js';
import { ACCEPTED_NOT_SENT } from './fields.js';
import { vanBangChungChiMapping } from './mapping.js';
import { columnsRead } from '../../shared/testing/columns-read.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const context: MappingContext = {
  unitCode: 'DHA',
  options: { tentruong: 'Trường Đại học A', noicap: 'Hà Nội', donvicap: 'Trường Đại học A', thongtu: '10/2026', paperSignerName: 'Trần Thị Bình', paperSignerTitle: 'Hiệu trưởng' },
};
const columns = vanBangChungChiMapping.columns ?? { required: [], optional: [] };
const goldenInputs = readdirSync(dir)
  .filter((f) => f.endsWith('.input.json'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as SourceRecord);
const clean = goldenInputs.find((r) => r.key === '1001') as SourceRecord;

/** Maps a record whose data records every column the mapping reads (or asks about). */
function mapRecordingReads(record: SourceRecord): Set<string> {
  return columnsRead(vanBangChungChiMapping, record, context);
}

describe('vanbangchungchi columns', () => {
  it('declares each column once, required or optional', () => {
    const all = [...columns.required, ...columns.optional];
    expect(new Set(all).size).toBe(all.length);
    expect(columns.required).toEqual(expect.arrayContaining(['updated_at', 'status', 'serial_no', 'full_name', 'national_id']));
    expect(columns.optional).toEqual(expect.arrayContaining(['birth_date', 'issue_date', 'decision_date', 'birth_ward_code']));
  });

  it('declares every column it reads, and reads every column it declares but the documented ones', () => {
    const declared = new Set([...columns.required, ...columns.optional]);
    const read = new Set<string>();
    for (const record of goldenInputs) for (const c of mapRecordingReads(record)) read.add(c);
    for (const c of read) expect(declared.has(c), `read but not declared: ${c}`).toBe(true);
    const unread = [...declared].filter((c) => !read.has(c)).sort();
    expect(unread).toEqual([...ACCEPTED_NOT_SENT].sort());
  });

  it('maps a row holding only the required columns', () => {
    const only = Object.fromEntries(columns.required.map((c) => [c, clean.data[c]]));
    const r = vanBangChungChiMapping.map({ ...clean, data: only }, context);
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it('cannot do without any required column', () => {
    for (const c of columns.required) {
      const data = { ...clean.data };
      delete data[c];
      expect(vanBangChungChiMapping.map({ ...clean, data }, context).ok, c).toBe(false);
    }
  });

  it('covers the columns of the README query', () => {
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8');
    const list = /Columns read: ([^.]+)\./s.exec(readme)?.[1] ?? '';
    const named = [...list.matchAll(/`([a-z_, \n]+)`/g)].flatMap((m) => (m[1] ?? '').split(/,\s*/));
    expect(named.sort()).toEqual([...columns.required, ...columns.optional].sort());
  });
});

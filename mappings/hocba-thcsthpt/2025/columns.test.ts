/**
 * Mapping.columns is exactly what the mapping reads: every clean golden row is read through a Proxy
 * that records each column asked for, so the declared list cannot drift from the code. Also: a missing
 * score says so (SCORE_MISSING), and non-blocking remarks come back in MappingResult.warnings.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MappingResult } from '../../../src/core/mapping.js';
import type { SourceRecord } from '../../../src/core/records.js';
import { goldenCase } from './testing/golden-cases.js';
import { hocBaThcsThptMapping } from './mapping.js';
import { columnsRead } from '../../shared/testing/columns-read.js';

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const allCases = readdirSync(goldenDir)
  .filter((f) => f.endsWith('.input.json'))
  .map((f) => f.replace(/\.input\.json$/, ''))
  .sort();
const cleanCases = allCases.filter((c) => c.startsWith('clean'));

/** Maps `record` and returns every column of `record.data` the mapping asked for (present or not). */
function columnsReadBy(record: SourceRecord, options: Record<string, unknown>): Set<string> {
  return columnsRead(hocBaThcsThptMapping, record, { unitCode: '0100004201', options });
}

const declared = hocBaThcsThptMapping.columns ?? { required: [], optional: [] };
const clean = goldenCase('clean-thcs-transferred');
const map = (data: Record<string, unknown>): MappingResult => hocBaThcsThptMapping.map({ ...clean.record, data }, clean.context);

describe('hocba-thcsthpt Mapping.columns', () => {
  it('declares exactly the columns the mapping reads, each once', () => {
    const all = [...declared.required, ...declared.optional];
    expect(new Set(all).size).toBe(all.length);
    const read = new Set<string>();
    // every golden row, dirty ones too: an error path must not read an undeclared column either
    for (const name of allCases) {
      const { record, context } = goldenCase(name);
      for (const c of columnsReadBy(record, context.options)) read.add(c);
    }
    expect([...read].sort()).toEqual([...all].sort());
    // the key column is the source's (keyFields), not the mapping's
    expect(all).not.toContain('enrolment_id');
  });

  it('every required column is needed by every clean row; every optional one is not', () => {
    expect(cleanCases.length).toBeGreaterThanOrEqual(5);
    for (const name of cleanCases) {
      const { record, context } = goldenCase(name);
      expect(hocBaThcsThptMapping.map(record, context).ok, name).toBe(true);
      const without = (column: string): MappingResult => {
        const data = { ...record.data };
        delete data[column];
        return hocBaThcsThptMapping.map({ ...record, data }, context);
      };
      for (const column of declared.required) expect(without(column).ok, `${name} without ${column}`).toBe(false);
      for (const column of declared.optional) expect(without(column).ok, `${name} without ${column}`).toBe(true);
    }
  });

  it('a misspelled column is not read: its field is reported, never sent empty in silence', () => {
    const { national_id, ...rest } = clean.record.data;
    const r = map({ ...rest, nationl_id: national_id });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => `${e.field}:${e.code}`)).toContain('data.sodinhdanh:DICT_REQUIRED');
  });
});

type Subject = Record<string, string | number | null>;
const subjects = (): Subject[] => JSON.parse(String(clean.record.data.subjects_json)) as Subject[];
const withSubject = (code: string, edit: (s: Subject) => Subject): Record<string, unknown> => ({
  ...clean.record.data,
  subjects_json: JSON.stringify(subjects().map((s) => (s.code === code ? edit(s) : s))),
});

describe('hocba-thcsthpt scores', () => {
  it('a missing midterm or final score is SCORE_MISSING ("bị thiếu / score missing"), not "not a number"', () => {
    const r = map(withSubject('TOA', (s) => ({ ...s, hk2_gk: null, stored_hk2: null, stored_year: null })));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.field}:${e.code}`)).toEqual(['data.bangdiem[TOA].diemhocky2:SCORE_MISSING']);
    expect(r.errors[0]?.message).toBe('TOA hk2.midterm: điểm giữa kỳ (ĐĐGgk) bị thiếu / score missing');
    const final = map(withSubject('VAN', (s) => ({ ...s, hk1_ck: '', stored_hk1: null, stored_year: null })));
    expect(!final.ok && final.errors.map((e) => `${e.code}:${e.message}`)).toEqual(['SCORE_MISSING:VAN hk1.final: điểm cuối kỳ (ĐĐGck) bị thiếu / score missing']);
  });

  it('a score that is there but is not a number is still SCORE_NOT_A_NUMBER', () => {
    const r = map(withSubject('TOA', (s) => ({ ...s, hk2_gk: 'vắng', stored_hk2: null, stored_year: null })));
    expect(!r.ok && r.errors.map((e) => `${e.field}:${e.code}`)).toEqual(['data.bangdiem[TOA].diemhocky2:SCORE_NOT_A_NUMBER']);
  });

  it('returns non-blocking remarks in MappingResult.warnings with the mapped record', () => {
    // NN1 has 105 periods: Đ6.2b asks for 4 regular scores in each term; hk1 has 3
    const r = map(withSubject('NN1', (s) => ({ ...s, hk1_tx4: null, stored_hk1: null, stored_hk2: null, stored_year: null })));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toEqual([
      { field: 'data.bangdiem[NN1].diemhocky1', code: 'REGULAR_TEST_COUNT_MISMATCH', message: expect.stringContaining('3 regular scores where Đ6.2b asks for 4') as unknown },
    ]);
    expect(JSON.stringify(r.warnings)).not.toMatch(/(?<!Đ)\d\.\d/); // no score in the remark (Đ6.2b is the rule)
  });
});

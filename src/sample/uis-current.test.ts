import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlSource } from '../../connectors/sql/index.js';
import type { SourceRecord } from '../core/records.js';
import { letterGrade, toFourPoint } from '../domain/grading.js';
import { summariseTranscript } from '../domain/transcript.js';
import {
  generateUisDatabase,
  UIS_STUDENT_SNAPSHOT_QUERY,
  UIS_STUDENT_STATUS,
  uisCourseResultsQuery,
  uisStudentCodes,
  updateUisStudent,
  type UisManifest,
} from './uis.js';

const dir = mkdtempSync(join(tmpdir(), 'lienthong-uis-current-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, unknown>;

function all(path: string, sql: string, params: unknown[] = []): Row[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as Row[];
  } finally {
    db.close();
  }
}

async function collect(iterable: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of iterable) out.push(r);
  return out;
}

describe('the sample UIS current students (SQLite)', () => {
  const path = join(dir, 'uis.sqlite');
  let manifest: UisManifest;

  beforeAll(async () => {
    manifest = await generateUisDatabase({ driver: 'sqlite', path }, { records: 50, seed: 7, currentStudents: 120 });
  });

  it('writes current students with every status, a programme, a faculty and a cohort', () => {
    const rows = all(path, UIS_STUDENT_SNAPSHOT_QUERY.replace(':watermark', "''"));
    expect(rows).toHaveLength(120);
    expect(manifest.currentStudents?.students).toBe(120);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set([1, 2, 3, 4]));
    for (const r of rows) {
      expect(String(r.student_code)).toMatch(/^\d{2}9\d{5}$/);
      expect(String(r.cohort)).toMatch(/^K\d{2}$/);
      expect(r.programme_name).toBeTruthy();
      expect(String(r.faculty_name)).toMatch(/^Khoa /);
      expect(String(r.updated_at) <= String(manifest.currentStudents?.maxUpdatedAt)).toBe(true);
    }
    expect(new Set(rows.map((r) => r.student_code)).size).toBe(120);
  });

  it('keeps the graduates exactly as before (current students come from their own random sequence)', async () => {
    const other = join(dir, 'without.sqlite');
    await generateUisDatabase({ driver: 'sqlite', path: other }, { records: 50, seed: 7, currentStudents: 0 });
    const q = 'SELECT * FROM diplomas d JOIN students s ON s.student_id = d.student_id ORDER BY d.diploma_id';
    expect(all(other, q)).toEqual(all(path, q));
    expect(all(other, 'SELECT COUNT(*) AS n FROM current_students')).toEqual([{ n: 0 }]);
  });

  it('is deterministic for a seed', async () => {
    const again = join(dir, 'again.sqlite');
    await generateUisDatabase({ driver: 'sqlite', path: again }, { records: 50, seed: 7, currentStudents: 120 });
    for (const t of ['current_students', 'course_results', 'courses', 'faculties']) {
      expect(all(again, `SELECT * FROM ${t} ORDER BY 1`)).toEqual(all(path, `SELECT * FROM ${t} ORDER BY 1`));
    }
  });

  it('stores course results whose 4-point value and letter follow TT 08/2021, enough for a transcript', () => {
    const results = all(path, 'SELECT * FROM course_results');
    expect(results.length).toBeGreaterThan(1000);
    for (const r of results) {
      expect(r.score4).toBe(toFourPoint(String(r.score10)));
      expect(r.letter_grade).toBe(letterGrade(String(r.score10)));
    }
    const graduate = all(path, 'SELECT student_code FROM current_students WHERE status = 4 ORDER BY student_id')[0];
    expect(graduate).toBeDefined();
    const lines = all(path, uisCourseResultsQuery().replace(':student_code', '?'), [graduate?.student_code]);
    const summary = summariseTranscript(lines.map((l) => ({ courseCode: String(l.course_code), credits: Number(l.credits), score10: String(l.score10), attempt: Number(l.attempt) })));
    // a graduate passed the whole curriculum: ten general courses and fourteen of the faculty
    expect(summary.lines).toHaveLength(24);
    expect(summary.lines.every((l) => l.passed)).toBe(true);
    expect(Number(summary.gpa4)).toBeGreaterThan(1);
    expect(summary.classification).not.toBeNull();
    expect(lines.every((l) => typeof l.name_en === 'string' && typeof l.name_vi === 'string')).toBe(true);
  });

  it('updateUisStudent makes the next incremental read return exactly that student', async () => {
    const [code] = await uisStudentCodes({ driver: 'sqlite', path }, UIS_STUDENT_STATUS.studying);
    const source = createSqlSource({
      driver: 'sqlite',
      url: path,
      streams: [{ name: 's', query: UIS_STUDENT_SNAPSHOT_QUERY, keyFields: ['student_code'], cursorField: 'updated_at' }],
    });
    try {
      const change = await updateUisStudent({ driver: 'sqlite', path }, code as string, { status: UIS_STUDENT_STATUS.suspended }, '2026-10-01T12:00:00');
      expect(change.updatedAt > String(manifest.currentStudents?.maxUpdatedAt)).toBe(true);
      const next = await collect(source.read({ stream: 's', mode: 'incremental', cursor: { type: 'text', value: String(manifest.currentStudents?.maxUpdatedAt) } }));
      expect(next.map((r) => r.data.student_code)).toEqual([code]);
      expect(next[0]?.data.status).toBe(2);
    } finally {
      await source.close();
    }
  });
});

const PG = process.env.LIENTHONG_TEST_PG;
const MYSQL = process.env.LIENTHONG_TEST_MYSQL;

describe.each([
  ['PostgreSQL', 'postgres' as const, PG],
  ['MariaDB', 'mysql' as const, MYSQL],
])('current students in %s', (_label, driver, url) => {
  it.skipIf(!url)('loads the same snapshot rows as SQLite', async () => {
    const name = `lt_cur_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
    const target = driver === 'postgres' ? { driver, url: url as string, schema: name } : { driver, url: url as string, prefix: `${name}_` };
    const sqlitePath = join(dir, `${driver}.sqlite`);
    await generateUisDatabase({ driver: 'sqlite', path: sqlitePath }, { records: 20, seed: 3, currentStudents: 40 });
    await generateUisDatabase(target, { records: 20, seed: 3, currentStudents: 40 });
    const query = driver === 'postgres' ? UIS_STUDENT_SNAPSHOT_QUERY.replaceAll('FROM ', `FROM ${name}.`).replaceAll('JOIN ', `JOIN ${name}.`) : UIS_STUDENT_SNAPSHOT_QUERY.replaceAll('FROM ', `FROM ${name}_`).replaceAll('JOIN ', `JOIN ${name}_`);
    const source = createSqlSource({ driver, url: url as string, streams: [{ name: 's', query, keyFields: ['student_code'], cursorField: 'updated_at' }] });
    try {
      const records = await collect(source.read({ stream: 's', mode: 'full' }));
      expect(records.map((r) => r.data)).toEqual(all(sqlitePath, UIS_STUDENT_SNAPSHOT_QUERY.replace(':watermark', "''")));
    } finally {
      await source.close();
      await drop(driver, url as string, name);
    }
  });
});

async function drop(driver: 'postgres' | 'mysql', url: string, name: string): Promise<void> {
  if (driver === 'postgres') {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
    await client.end();
  } else {
    const mysql = (await import('mysql2/promise')).default;
    const conn = await mysql.createConnection({ uri: url });
    for (const t of ['course_results', 'current_students', 'courses', 'faculties', 'diplomas', 'students', 'graduation_decisions', 'programmes']) {
      await conn.query(`DROP TABLE IF EXISTS ${name}_${t}`);
    }
    await conn.end();
  }
}

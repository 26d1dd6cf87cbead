/**
 * End to end on a UIS unlike the sample: Vietnamese table and column names (one with diacritics),
 * text statuses in Vietnamese, DD/MM/YYYY birth dates, and the update time as timestamptz
 * (PostgreSQL), DATETIME(6) (MariaDB) or text (SQLite). The job aliases the columns to what the
 * mapping reads; two kiosks, one offline for the first runs.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { KioskSimulator } from './simulator/server.js';
import { kioskJob, resolvedKiosk, startKiosks, studentChanges } from './testing/support.js';

const PG = process.env.LIENTHONG_TEST_PG;
const MYSQL = process.env.LIENTHONG_TEST_MYSQL;
const dir = mkdtempSync(join(tmpdir(), 'lt-kiosk-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Driver = 'sqlite' | 'postgres' | 'mysql';
const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const TABLE = `sinh_vien_${suffix}`;

/** [ma_sv, ho_ten, ngay_sinh (DD/MM/YYYY), nganh, khoa, khoa_hoc, trạng_thái, cap_nhat_luc (+07)] */
const ROWS: [string, string, string, string, string, string, string, string][] = [
  ['SV2201', 'Nguyễn Thị Hoà', '14/03/2004', 'Kế toán', 'Khoa Kinh tế', 'K67', 'Đang học', '2026-09-01 08:00:00.100001'],
  ['SV2202', 'Trần Văn Đức', '02/11/2003', 'Luật', 'Khoa Luật', 'K66', 'Bảo lưu', '2026-09-01 08:00:00.100002'],
  ['SV2203', 'Lê Minh Khôi', '30/06/2004', 'Kế toán', 'Khoa Kinh tế', 'K67', 'Thôi học', '2026-09-01 08:00:00.100003'],
  ['SV2204', 'Phạm Thu Trang', '21/01/2002', 'Luật', 'Khoa Luật', 'K65', 'Đã tốt nghiệp', '2026-09-01 08:00:00.100004'],
  ['SV2205', 'Hoàng Gia Bảo', '09/09/2005', 'Ngôn ngữ Anh', 'Khoa Ngoại ngữ', 'K68', 'đang học', '2026-09-01 08:00:00.100005'],
];

interface Uis {
  driver: Driver;
  url: string;
  exec(sql: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

async function openUis(driver: Driver, url: string): Promise<Uis> {
  if (driver === 'sqlite') {
    const db = new Database(url);
    return { driver, url, exec: async (sql, params = []) => void db.prepare(sql).run(...params), close: async () => void db.close() };
  }
  if (driver === 'postgres') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return {
      driver,
      url,
      exec: async (sql, params = []) => {
        let n = 0;
        await client.query(sql.replace(/\?/g, () => `$${++n}`), params);
      },
      close: () => client.end(),
    };
  }
  const conn = await mysql.createConnection({ uri: url, charset: 'UTF8MB4_UNICODE_CI' });
  return { driver, url, exec: async (sql, params = []) => void (await conn.query(sql, params)), close: () => conn.end() };
}

const q = (driver: Driver, name: string): string => (driver === 'mysql' ? `\`${name}\`` : `"${name}"`);

function ddl(driver: Driver): string {
  const when = driver === 'postgres' ? 'TIMESTAMPTZ(6)' : driver === 'mysql' ? 'DATETIME(6)' : 'TEXT';
  const v = driver === 'mysql' ? 'VARCHAR(200)' : 'TEXT';
  const tail = driver === 'mysql' ? ' DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' : '';
  return `CREATE TABLE ${TABLE} (ma_sv ${v} PRIMARY KEY, ho_ten ${v}, ngay_sinh ${v}, nganh ${v}, khoa ${v}, khoa_hoc ${v}, ${q(driver, 'trạng_thái')} ${v}, cap_nhat_luc ${when})${tail}`;
}

/** the update time as each database takes it: with the offset for timestamptz, wall clock otherwise */
const at = (driver: Driver, naive: string): string => (driver === 'postgres' ? `${naive}+07` : driver === 'sqlite' ? naive.replace(' ', 'T') : naive);

function query(driver: Driver): string {
  return `SELECT ma_sv AS student_code, ho_ten AS full_name, ngay_sinh AS birth_date, nganh AS programme_name, khoa AS faculty_name,
       khoa_hoc AS cohort, ${q(driver, 'trạng_thái')} AS status, cap_nhat_luc AS updated_at
FROM ${TABLE} WHERE cap_nhat_luc > :watermark ORDER BY cap_nhat_luc, ma_sv`;
}

const cases: [string, Driver, string | undefined][] = [
  ['SQLite (text times)', 'sqlite', join(dir, 'uis.sqlite')],
  ['PostgreSQL (timestamptz)', 'postgres', PG],
  ['MariaDB (DATETIME(6))', 'mysql', MYSQL],
];

describe.each(cases)('kiosks fed from a UIS unlike the sample: %s', (_label, driver, url) => {
  it.skipIf(!url)('maps Vietnamese statuses and dates, holds back an unknown status, and an offline kiosk catches up once, in order', async () => {
    const uis = await openUis(driver, url as string);
    const kiosks: KioskSimulator[] = await startKiosks(2, [{}, { startOffline: true }]);
    const [online, offline] = kiosks as [KioskSimulator, KioskSimulator];
    const h = kioskJob({ driver, url: url as string, query: query(driver), kiosks: kiosks.map((k, i) => resolvedKiosk(k, `kiosk-${i + 1}`)) });
    try {
      await uis.exec(ddl(driver));
      for (const r of ROWS) await uis.exec(`INSERT INTO ${TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [...r.slice(0, 7), at(driver, r[7])]);

      const first = await h.run();
      expect(first.exitCode).toBe(3);
      expect(first.counts).toMatchObject({ read: 5, invalid: 0 });
      expect(first.notices.join('\n')).toMatch(/kiosk kiosk-2 .* is offline/);
      expect(online.students.get('SV2201')).toEqual({
        studentId: 'SV2201',
        fullName: 'Nguyễn Thị Hoà',
        birthDate: '2004-03-14',
        programme: 'Kế toán',
        faculty: 'Khoa Kinh tế',
        cohort: 'K67',
        status: 'studying',
        updatedAt: '2026-09-01T08:00:00',
      });
      expect(online.students.get('SV2202')?.status).toBe('suspended');
      expect(online.students.get('SV2204')?.status).toBe('graduated');
      expect(online.students.get('SV2205')?.status).toBe('studying');
      expect(online.students.has('SV2203')).toBe(false); // withdrawn: never put

      // changes while kiosk-2 is away, each a microsecond after the last
      await uis.exec(`UPDATE ${TABLE} SET ${q(driver, 'trạng_thái')} = ?, cap_nhat_luc = ? WHERE ma_sv = ?`, ['Bảo lưu', at(driver, '2026-09-02 09:00:00.000001'), 'SV2201']);
      await uis.exec(`UPDATE ${TABLE} SET ${q(driver, 'trạng_thái')} = ?, cap_nhat_luc = ? WHERE ma_sv = ?`, ['Thôi học', at(driver, '2026-09-02 09:00:00.000002'), 'SV2205']);
      await uis.exec(`UPDATE ${TABLE} SET ${q(driver, 'trạng_thái')} = ?, cap_nhat_luc = ? WHERE ma_sv = ?`, ['Nghỉ ốm', at(driver, '2026-09-02 09:00:00.000003'), 'SV2204']);
      const second = await h.run();
      expect(second.exitCode).toBe(3);
      expect(second.counts.invalid).toBe(1); // the unknown status is held back, not sent as anything
      const held = [];
      for await (const r of h.store.listInvalid('kiosk-students')) held.push(r);
      expect(held.map((r) => [r.sourceKey, r.errors.map((e) => `${e.field} ${e.code}`)])).toEqual([['SV2204', ['data.status STUDENT_STATUS_UNKNOWN']]]);
      expect(online.students.get('SV2201')?.status).toBe('suspended');
      expect(online.students.has('SV2205')).toBe(false);

      await offline.goOnline();
      const third = await h.run();
      expect(third.counts.deferred).toBe(0);
      // every change once, in the order the online kiosk got them (coalesced: SV2201 once, latest)
      expect(studentChanges(offline)).toEqual(['SV2202:put:suspended', 'SV2204:put:graduated', 'SV2201:put:suspended']);
      expect(offline.received.filter((r) => r.method !== 'GET' && r.path.includes('/students/')).map((r) => `${r.method} ${r.path.split('/').pop()}`)).toEqual([
        'PUT SV2202',
        'PUT SV2204',
        'PUT SV2201',
      ]); // SV2205 left before kiosk-2 ever got it: its queued PUT is dropped, nothing to delete
      expect(online.received.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').pop())).toEqual(['SV2205']);
      expect([...offline.students.keys()].sort()).toEqual([...online.students.keys()].sort());
    } finally {
      for (const k of kiosks) await k.stop();
      await h.close();
      await uis.exec(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => undefined);
      await uis.close();
    }
  });
});

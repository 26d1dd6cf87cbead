/**
 * What MySQL/MariaDB writes for DATETIME(6), TIMESTAMP and DATE (as text, the source connector's
 * `dateStrings`), read as the diploma mapping reads it. Runs when LIENTHONG_TEST_MYSQL names a database.
 * Neither type carries an offset: DATETIME is the wall clock that was stored, TIMESTAMP is shown in
 * the session's time_zone; the job's sourceTimeZone names that zone.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlexibleDate } from './dates.js';
import { parseSourceTimestamp } from './timestamps.js';

const url = process.env.LIENTHONG_TEST_MYSQL;

describe.skipIf(!url)('MySQL/MariaDB text of times and dates', () => {
  let conn: mysql.Connection;
  beforeAll(async () => {
    conn = await mysql.createConnection({ uri: url, dateStrings: true });
  });
  afterAll(() => conn.end());

  it.each([
    ['+07:00', 'Asia/Ho_Chi_Minh'],
    ['+00:00', 'UTC'],
  ])('session time_zone %s read with sourceTimeZone %s', async (session, sourceTimeZone) => {
    await conn.query(`SET time_zone = '${session}'`);
    const [rows] = await conn.query(
      `SELECT CAST('2025-06-30 09:15:00.123456' AS DATETIME(6)) AS wall,
              CONVERT_TZ(CAST('2025-06-30 09:15:00.123456' AS DATETIME(6)), '+07:00', @@session.time_zone) AS shown,
              CAST('2001-05-03' AS DATE) AS birth_date,
              CAST('2001-05-03 00:00:00' AS DATETIME) AS birth_datetime`,
    );
    const row = (rows as Record<string, string>[])[0] as Record<string, string>;
    const ts = (v: string | undefined, timeZone?: string): string | undefined => {
      const r = parseSourceTimestamp(v, timeZone === undefined ? {} : { timeZone });
      return r.ok ? r.value : undefined;
    };
    expect(ts(row.wall)).toBe('2025-06-30T09:15:00');
    // a TIMESTAMP-like value shown in the session zone, read in the declared zone: the same instant
    expect(ts(row.shown, sourceTimeZone)).toBe('2025-06-30T09:15:00');
    const day = (v: string | undefined): string | undefined => {
      const r = parseFlexibleDate(v);
      return r.ok ? r.value.iso : undefined;
    };
    expect(day(row.birth_date)).toBe('2001-05-03');
    expect(day(row.birth_datetime)).toBe('2001-05-03');
  });
});

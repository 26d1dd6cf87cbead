/**
 * What PostgreSQL itself writes for timestamptz, timestamp and date, in several session time zones,
 * read as the diploma mapping reads it. Runs when LIENTHONG_TEST_PG names a database.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlexibleDate } from './dates.js';
import { parseSourceTimestamp } from './timestamps.js';

const url = process.env.LIENTHONG_TEST_PG;

describe.skipIf(!url)('PostgreSQL text of times and dates', () => {
  // every value as the text PostgreSQL sends, as the source connector keeps it
  const client = new pg.Client({ connectionString: url, types: { getTypeParser: () => (value: string) => value } as pg.CustomTypesConfig });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it.each(['Asia/Ho_Chi_Minh', 'UTC', 'Asia/Kolkata', 'America/St_Johns'])('session time zone %s', async (zone) => {
    await client.query(`SET TIME ZONE '${zone}'`);
    const { rows } = await client.query<Record<string, string>>(
      `SELECT timestamptz '2025-06-30 09:15:00.123456+07' AS updated,
              timestamptz '2001-05-03 00:00:00+07' AS birth_vn_midnight,
              timestamptz '1965-05-03 00:00:00+08' AS birth_south_1965,
              timestamp '2025-06-30 09:15:00.5' AS naive,
              date '2001-05-03' AS birth_date`,
    );
    const row = rows[0] as Record<string, string>;
    const ts = (v: string | undefined): string | undefined => {
      const r = parseSourceTimestamp(v);
      return r.ok ? r.value : undefined;
    };
    const day = (v: string | undefined): string | undefined => {
      const r = parseFlexibleDate(v);
      return r.ok ? r.value.iso : undefined;
    };
    expect(ts(row.updated)).toBe('2025-06-30T09:15:00');
    expect(ts(row.updated?.replace(' ', 'T'))).toBe('2025-06-30T09:15:00');
    expect(ts(row.naive)).toBe('2025-06-30T09:15:00');
    expect(day(row.birth_vn_midnight)).toBe('2001-05-03');
    expect(day(row.birth_south_1965)).toBe('1965-05-03');
    expect(day(row.birth_date)).toBe('2001-05-03');
  });
});

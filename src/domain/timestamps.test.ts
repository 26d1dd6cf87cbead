import { describe, expect, it } from 'vitest';
import { isValidTimeZone, parseSourceTimestamp } from './timestamps.js';

const ts = (input: unknown, timeZone?: string): string => {
  const r = parseSourceTimestamp(input, timeZone === undefined ? {} : { timeZone });
  return r.ok ? r.value : r.code;
};

describe('parseSourceTimestamp', () => {
  it('reads what PostgreSQL gives for timestamptz: hour-only offsets, microseconds, a space', () => {
    expect(ts('2025-06-30 09:15:00.123456+07')).toBe('2025-06-30T09:15:00');
    expect(ts('2025-06-30T09:15:00.999999+07')).toBe('2025-06-30T09:15:00');
    expect(ts('2025-06-30 02:15:00+00')).toBe('2025-06-30T09:15:00');
    expect(ts('2025-06-30 07:45:00+05:30')).toBe('2025-06-30T09:15:00');
    expect(ts('1905-01-01 00:00:00+07:06:40')).toBe('1904-12-31T23:53:20');
  });

  it('reads ISO 8601 with Z or an offset with and without a colon', () => {
    expect(ts('2025-06-30T02:15:00Z')).toBe('2025-06-30T09:15:00');
    expect(ts('2025-06-30T02:15:00.5z')).toBe('2025-06-30T09:15:00');
    expect(ts('2025-06-30T09:15:00+07:00')).toBe('2025-06-30T09:15:00');
    expect(ts('2025-06-30T04:15:00-0200')).toBe('2025-06-30T13:15:00');
    expect(ts('2025-06-30T23:30:00-01:00')).toBe('2025-07-01T07:30:00');
    // SQL Server datetimeoffset text: seven fractional digits and a space before the offset
    expect(ts('2025-06-30 09:15:00.1234567 +07:00')).toBe('2025-06-30T09:15:00');
  });

  it('takes a time without an offset in the declared source time zone (default Vietnam)', () => {
    expect(ts('2025-06-30 09:15:00.123456')).toBe('2025-06-30T09:15:00');
    expect(ts('2025-06-30T09:15')).toBe('2025-06-30T09:15:00');
    expect(ts('2025-06-30 09:15:00', 'UTC')).toBe('2025-06-30T16:15:00');
    expect(ts('2025-01-15 09:15:00', 'Europe/Paris')).toBe('2025-01-15T15:15:00');
    expect(ts('2025-06-30 09:15:00', 'Europe/Paris')).toBe('2025-06-30T14:15:00');
    // South Vietnam kept +08:00 until 1975: a wall-clock time of then is converted by the zone's history
    expect(ts('1970-06-30 09:15:00')).toBe('1970-06-30T08:15:00');
  });

  it('takes a date alone as midnight in the source time zone', () => {
    expect(ts('2025-06-30')).toBe('2025-06-30T00:00:00');
    expect(ts('2025-06-30', 'UTC')).toBe('2025-06-30T07:00:00');
  });

  it('takes a Date as an instant', () => {
    expect(ts(new Date('2025-06-30T02:15:00.789Z'))).toBe('2025-06-30T09:15:00');
    expect(ts(new Date('x'))).toBe('TIMESTAMP_INVALID');
  });

  it('refuses what is not a time, or does not exist', () => {
    for (const bad of ['', 'hôm qua', '2025-02-30 10:00:00', '2025-06-30 24:00:00', '2025-06-30T10:00:00+16', '30/06/2025', 12, null]) {
      expect(ts(bad), String(bad)).toBe('TIMESTAMP_INVALID');
    }
    expect(ts('2025-06-30 10:00:00', 'Mars/Olympus')).toBe('TIMESTAMP_INVALID');
  });

  it('never repeats the input in its message', () => {
    const r = parseSourceTimestamp('2025-02-30 10:00:00');
    expect(!r.ok && r.message).not.toContain('2025');
  });
});

describe('isValidTimeZone', () => {
  it('knows IANA zones', () => {
    expect(isValidTimeZone('Asia/Ho_Chi_Minh')).toBe(true);
    expect(isValidTimeZone('Asia/Saigon')).toBe(true);
    expect(isValidTimeZone('GMT+7')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { parseFlexibleDate, parseVietnamTimestamp, splitByPrecision, toVietnamTimestamp } from './dates.js';

const iso = (input: unknown): string | undefined => {
  const r = parseFlexibleDate(input);
  return r.ok ? `${r.value.precision}:${r.value.iso}` : r.code;
};

describe('parseFlexibleDate', () => {
  it('parses the forms schools and UIS type', () => {
    expect(iso('2001-05-03')).toBe('day:2001-05-03');
    expect(iso('03/05/2001')).toBe('day:2001-05-03');
    expect(iso('3/5/2001')).toBe('day:2001-05-03');
    expect(iso('03-05-2001')).toBe('day:2001-05-03');
    expect(iso('03.05.2001')).toBe('day:2001-05-03');
    expect(iso(' 2001/5/3 ')).toBe('day:2001-05-03');
    expect(iso('05/2001')).toBe('month:2001-05');
    expect(iso('2001-05')).toBe('month:2001-05');
    expect(iso('2001')).toBe('year:2001');
    expect(iso(2001)).toBe('year:2001');
  });

  it('reads timestamps and Dates in Vietnam time', () => {
    expect(iso('2001-05-03T00:00:00')).toBe('day:2001-05-03');
    expect(iso('2001-05-02T17:00:00Z')).toBe('day:2001-05-03');
    expect(iso('2001-05-03T00:00:00.000Z')).toBe('day:2001-05-03');
    expect(iso(new Date('2001-05-02T17:30:00Z'))).toBe('day:2001-05-03');
  });

  it('reads dates as real drivers and exports give them', () => {
    // a date kept in a timestamptz column: midnight as written is that date, whatever the offset
    expect(iso('2001-05-03 00:00:00+07')).toBe('day:2001-05-03');
    expect(iso('2001-05-03T00:00:00.000000+09:00')).toBe('day:2001-05-03');
    expect(iso('1965-05-03 00:00:00+08')).toBe('day:1965-05-03');
    expect(iso('2001-05-02 17:00:00+00')).toBe('day:2001-05-03');
    expect(iso('2001-05-02 22:30:00+05:30')).toBe('day:2001-05-03');
    // a South Vietnam midnight of 1965 was at +08:00: shown by a UTC session, it is still 3 May
    expect(iso('1965-05-02 16:00:00+00')).toBe('day:1965-05-03');
    expect(iso(new Date('1965-05-02T16:00:00Z'))).toBe('day:1965-05-03');
    // MySQL DATETIME, SQL Server CONVERT(…, 103) with a time, Oracle NUMBER(8)
    expect(iso('2001-05-03 00:00:00.000000')).toBe('day:2001-05-03');
    expect(iso('03/05/2001 00:00:00')).toBe('day:2001-05-03');
    expect(iso('3/5/2001 0:00')).toBe('day:2001-05-03');
    expect(iso('20010503')).toBe('day:2001-05-03');
    expect(iso(20010503)).toBe('day:2001-05-03');
    expect(iso('20010231')).toBe('DATE_INVALID');
    // a date column a driver made a JS Date of: UTC midnight is that date
    expect(iso(new Date(Date.UTC(2001, 4, 3)))).toBe('day:2001-05-03');
    expect(iso(new Date(Date.UTC(1960, 4, 3)))).toBe('day:1960-05-03');
    expect(iso('2001-02-30 00:00:00+07')).toBe('DATE_INVALID');
  });

  it('rejects impossible dates and never invents a day', () => {
    expect(iso('31/02/2001')).toBe('DATE_INVALID');
    expect(iso('29/02/2001')).toBe('DATE_INVALID');
    expect(iso('29/02/2000')).toBe('day:2000-02-29');
    expect(iso('13/2001')).toBe('DATE_INVALID');
    expect(iso('2001-00-10')).toBe('DATE_INVALID');
    expect(iso('1/2/01')).toBe('DATE_FORMAT');
    expect(iso('hôm qua')).toBe('DATE_FORMAT');
    expect(iso('')).toBe('DATE_EMPTY');
    expect(iso(null)).toBe('DATE_EMPTY');
    expect(iso(new Date('x'))).toBe('DATE_INVALID');
    expect(iso('1850')).toBe('DATE_RANGE');
  });

  it('does not echo the input in its messages', () => {
    const r = parseFlexibleDate('31/02/2001');
    expect(!r.ok && r.message).not.toContain('2001');
  });
});

describe('splitByPrecision', () => {
  it('fills exactly one of the three national fields', () => {
    const names = { day: 'ngaythangnamsinh', month: 'thangnamsinh', year: 'namsinh' };
    const r = parseFlexibleDate('05/2001');
    expect(r.ok && splitByPrecision(r.value, names)).toEqual({ thangnamsinh: '2001-05' });
  });
});

describe('toVietnamTimestamp', () => {
  it('formats in +07:00', () => {
    expect(toVietnamTimestamp(new Date('2025-01-01T00:00:00Z'))).toBe('2025-01-01T07:00:00');
    expect(toVietnamTimestamp('2025-01-01T20:30:00Z')).toBe('2025-01-02T03:30:00');
    expect(toVietnamTimestamp('2025-01-01T10:00:00+07:00')).toBe('2025-01-01T10:00:00');
    expect(toVietnamTimestamp('2025-03-04T10:11:12')).toBe('2025-03-04T10:11:12');
    expect(toVietnamTimestamp('2025-03-04 10:11:12.345')).toBe('2025-03-04T10:11:12');
    expect(toVietnamTimestamp('2025-03-04')).toBe('2025-03-04T00:00:00');
  });

  it('rejects what is not a timestamp', () => {
    expect(() => toVietnamTimestamp('yesterday')).toThrow(RangeError);
    expect(parseVietnamTimestamp('2025-02-30T00:00:00').ok).toBe(false);
    expect(parseVietnamTimestamp('2025-01-01T25:00:00').ok).toBe(false);
  });
});

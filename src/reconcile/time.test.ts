import { describe, expect, it } from 'vitest';
import { daysUntil, deadlineCountdown, isRealDate, vietnamNowIso, vietnamToday } from './time.js';

describe('isRealDate', () => {
  it('accepts dates that exist, leap days included', () => {
    for (const d of ['2026-01-31', '2026-06-30', '2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01']) expect(isRealDate(d), d).toBe(true);
  });

  it('refuses days a month does not have, and anything not YYYY-MM-DD', () => {
    for (const d of ['2026-02-30', '2025-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1-5', '26-01-05', '2026-01-05T00:00', ' 2026-01-05', '', '0000-01-01']) {
      expect(isRealDate(d), d).toBe(false);
    }
  });
});

describe('daysUntil', () => {
  // 2026-06-20 17:30 UTC is already 2026-06-21 00:30 in Vietnam
  const now = new Date('2026-06-20T17:30:00Z');

  it('counts whole days from today in Vietnam', () => {
    expect(vietnamToday(now)).toBe('2026-06-21');
    expect(vietnamNowIso(now)).toBe('2026-06-21T00:30:00+07:00');
    expect(daysUntil('2026-06-21', now)).toBe(0);
    expect(daysUntil('2026-06-30', now)).toBe(9);
    expect(daysUntil('2026-06-20', now)).toBe(-1);
    expect(daysUntil('2027-06-21', now)).toBe(365);
  });

  it('refuses an impossible deadline instead of rolling it over to March', () => {
    expect(() => daysUntil('2026-02-30', now)).toThrow(/real calendar date/);
  });
});

describe('deadlineCountdown', () => {
  it('gives the days left and the words for them in both languages', () => {
    const now = new Date('2026-06-20T03:00:00Z');
    expect(deadlineCountdown('2026-06-23', now)).toEqual({ daysLeft: 3, vi: 'còn 3 ngày', en: '3 days left' });
    expect(deadlineCountdown('2026-06-20', now)).toEqual({ daysLeft: 0, vi: 'hôm nay', en: 'today' });
    expect(deadlineCountdown('2026-06-18', now)).toEqual({ daysLeft: -2, vi: 'quá hạn 2 ngày', en: '2 days overdue' });
  });
});

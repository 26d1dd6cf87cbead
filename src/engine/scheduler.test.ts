import { describe, expect, it } from 'vitest';
import cron from 'node-cron';
import { missedRunSince } from './scheduler.js';

describe('missedRunSince', () => {
  // nightly at 02:00 Vietnam time = 19:00 UTC the day before
  const task = cron.createTask('0 2 * * *', () => undefined, { timezone: 'Asia/Ho_Chi_Minh' });
  const matches = (d: Date): boolean => task.match(d);

  it('finds a nightly run missed while the service was down', () => {
    const lastRun = new Date('2026-06-19T19:00:05Z'); // 20 June 02:00:05 in Hanoi
    const now = new Date('2026-06-21T01:00:00Z'); // 21 June 08:00 in Hanoi: the 21 June 02:00 run was missed
    expect(missedRunSince(matches, lastRun, now)).toBe(true);
  });

  it('finds nothing when the last run is after the last scheduled time', () => {
    const lastRun = new Date('2026-06-20T19:00:03Z'); // 21 June 02:00:03 Hanoi
    const now = new Date('2026-06-21T10:00:00Z');
    expect(missedRunSince(matches, lastRun, now)).toBe(false);
  });

  it('uses the schedule time zone, not UTC', () => {
    // 02:00 UTC is 09:00 in Hanoi: not a scheduled time
    const lastRun = new Date('2026-06-20T19:30:00Z');
    const now = new Date('2026-06-21T02:30:00Z');
    expect(missedRunSince(matches, lastRun, now)).toBe(false);
  });
});

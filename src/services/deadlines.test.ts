import { describe, expect, it } from 'vitest';
import { daysUntil } from '../reconcile/time.js';
import { deadlineStatus } from './deadlines.js';

const counts = { pending: 3, sent: 2, accepted: 40, stale: 1, rejected: 4, dead: 5 };

describe('deadlineStatus', () => {
  it('counts whole days in Vietnam time, as the reconciliation report does', () => {
    // 16:59 UTC is 23:59 in Hà Nội; a minute later it is the next day there
    for (const now of [new Date('2026-06-29T16:59:00Z'), new Date('2026-06-29T17:00:00Z'), new Date('2026-07-01T03:00:00Z')]) {
      expect(deadlineStatus({ name: 'd', date: '2026-06-30' }, counts, 0, now).daysLeft).toBe(daysUntil('2026-06-30', now));
    }
    expect(deadlineStatus({ name: 'd', date: '2026-06-30' }, counts, 0, new Date('2026-06-29T16:59:00Z'))).toMatchObject({ daysLeft: 1, en: expect.stringMatching(/^1 days? left$/) });
    expect(deadlineStatus({ name: 'd', date: '2026-06-30' }, counts, 0, new Date('2026-06-29T17:00:00Z'))).toMatchObject({ daysLeft: 0 });
    expect(deadlineStatus({ name: 'd', date: '2026-06-30' }, counts, 0, new Date('2026-07-02T01:00:00Z')).daysLeft).toBe(-2);
  });

  it('takes the counts of the ledger: pending is staged and not answered yet', () => {
    expect(deadlineStatus({ name: 'Báo cáo', date: '2026-06-30' }, counts, 7, new Date('2026-06-20T00:00:00Z'))).toEqual({
      name: 'Báo cáo',
      date: '2026-06-30',
      daysLeft: 10,
      countdown: expect.stringMatching(/^còn 10 ngày \/ 10 days left$/),
      vi: 'còn 10 ngày',
      en: '10 days left',
      accepted: 40,
      pending: 5,
      rejectedByHub: 4,
      heldBack: 7,
    });
    expect(deadlineStatus({ name: 'x', date: '2026-06-30' }, undefined, 0, new Date('2026-06-20T00:00:00Z'))).toMatchObject({ accepted: 0, pending: 0, rejectedByHub: 0 });
  });

  it('a date that does not exist is a configuration error', () => {
    expect(() => deadlineStatus({ name: 'x', date: '2026-02-30' }, counts, 0)).toThrow(expect.objectContaining({ code: 'DEADLINE_DATE_INVALID', kind: 'config' }));
  });
});

import { describe, expect, it } from 'vitest';
import { daysUntil } from '../reconcile/time.js';
import { jobSchema } from '../config/schema.js';
import type { ServiceContext } from './context.js';
import { deadlineStatus } from './deadlines.js';
import { jobDeadlines } from './status.js';

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
      grades: [],
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

describe('jobDeadlines', () => {
  it('counts a deadline for some grades with those grades only, the others with the whole target, and accepts configs without grades', async () => {
    const job = jobSchema.parse({
      name: 'hocba',
      source: { connection: 's', stream: 'rows', query: 'SELECT 1', keyFields: ['id'], cursorField: 'v' },
      mapping: { name: 'fake/1' },
      destinations: [{ connection: 'hub', dataset: 'test' }],
      deadlines: [
        { name: 'khối 5 và 9', date: '2026-06-15', grades: [5, 9] },
        { name: 'cả năm', date: '2026-06-30' },
      ],
    });
    const asked: unknown[] = [];
    const byGrade = { pending: 1, sent: 0, accepted: 7, stale: 0, rejected: 2, dead: 0 };
    const store = { statusCountsByGrade: async (target: string, grades: number[]) => (asked.push([target, grades]), byGrade) };
    const ctx = { store, loaded: {} } as unknown as ServiceContext;
    const targets = [{ target: 'hub/test', counts }];
    const [grades, all] = await jobDeadlines(ctx, job, targets, 3, new Date('2026-06-10T00:00:00Z'));
    expect(asked).toEqual([['hub/test', [5, 9]]]);
    expect(grades).toMatchObject({ name: 'khối 5 và 9', grades: [5, 9], accepted: 7, pending: 1, rejectedByHub: 2, heldBack: 3 });
    expect(all).toMatchObject({ name: 'cả năm', grades: [], accepted: 40, pending: 5, rejectedByHub: 4, heldBack: 3 });
  });

  it('refuses a grade outside 1–12 and an empty grade list in the configuration', () => {
    const base = { name: 'j', source: { connection: 's', stream: 'r', query: 'SELECT 1', keyFields: ['id'], cursorField: 'v' }, mapping: { name: 'm' }, destinations: [{ connection: 'hub', dataset: 't' }] };
    expect(jobSchema.safeParse({ ...base, deadlines: [{ name: 'x', date: '2026-06-30', grades: [13] }] }).success).toBe(false);
    expect(jobSchema.safeParse({ ...base, deadlines: [{ name: 'x', date: '2026-06-30', grades: [] }] }).success).toBe(false);
    expect(jobSchema.safeParse({ ...base, deadlines: [{ name: 'x', date: '2026-06-30', grades: [9] }] }).success).toBe(true);
  });
});

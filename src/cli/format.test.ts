import { describe, expect, it } from 'vitest';
import type { DryRunResult } from '../services/dry-run.js';
import type { JobStatus } from '../services/status.js';
import { cursorText, deadLetterLine, dryRunLines, statusLines } from './format.js';

describe('what the commands print', () => {
  it('status: one line per job, target, deadline and run', () => {
    const s: JobStatus = {
      job: 'diplomas',
      running: true,
      cursor: { type: 'timestamp', value: '2026-06-20T10:00:00' },
      invalid: 3,
      warnings: 2,
      targets: [{ target: 'hub/vb', counts: { pending: 1, sent: 0, accepted: 9, stale: 0, rejected: 0, dead: 0 } }],
      deadlines: [{ name: 'năm', date: '2026-06-30', daysLeft: 10, countdown: 'còn 10 ngày / 10 days left', vi: 'còn 10 ngày', en: '10 days left', accepted: 9, pending: 1, rejectedByHub: 0, heldBack: 3, grades: [] }],
      runs: [{ id: 'r1', job: 'diplomas', trigger: 'manual', startedAt: '2026-06-20T10:00:00Z', finishedAt: null, outcome: 'partial', counts: { read: 13, mapped: 10, invalid: 3, unchanged: 0, staged: 10, sent: 10, accepted: 9, conflicts: 0, rejected: 0, dead: 0, retried: 0, deferred: 1, warnings: 2, awaitingSignature: 0 }, error: null }],
    };
    expect(statusLines([s])).toEqual([
      'diplomas (running)   cursor: 2026-06-20T10:00:00 (timestamp)   held back at source: 3   with warnings: 2',
      '  hub/vb: pending 1, sent 0, accepted 9, stale 0, rejected 0, dead 0',
      '  hạn/deadline năm 2026-06-30: còn 10 ngày / 10 days left; accepted 9, pending 1, rejected by hub 0, held back 3',
      '  run r1 manual 2026-06-20T10:00:00Z partial: read 13, accepted 9, invalid 3, warnings 2, deferred 1, dead 0',
    ]);
    expect(cursorText(null)).toBe('(none)');
  });

  it('dry run: the header, each record, and the totals', () => {
    const r: DryRunResult = {
      job: 'diplomas', stream: 'diplomas', columns: 27, allRead: true, notes: [], limit: 2, from: 'beginning', signs: false, read: 2, valid: 1, invalid: 1, unchanged: 0,
      records: [
        { n: 1, sourceKey: '7', outcome: 'invalid', idbanghi: null, errors: [{ field: 'ngaysinh', code: 'INVALID_DATE', message: 'not a date' }] },
        { n: 2, sourceKey: '8', outcome: 'send', idbanghi: 'id-8', sukien: 'NEW', phienban: 1, thoigiancapnhat: '2026-06-20T10:00:00', warnings: [], data: { sodinhdanh: '********1234' } },
      ],
    };
    expect(dryRunLines(r)).toEqual([
      'query diplomas: 27 columns, all read by the job',
      'reading up to 2 record(s) from the beginning (dry run: nothing is written, signed or sent)',
      '',
      '[1] source 7: INVALID, would be held back',
      '    ngaysinh INVALID_DATE: not a date',
      '[2] source 8 → id-8 NEW phienban 1, thoigiancapnhat 2026-06-20T10:00:00',
      '    {"sodinhdanh":"********1234"}',
      '',
      'dry run of diplomas: read 2, valid 1 (unchanged 0), invalid 1; nothing was written or sent',
    ]);
  });

  it('dead letters: a line, or JSON with the ledger status', () => {
    const d = { target: 'hub/vb', idbanghi: 'id-1', sourceKey: '1', status: 'conflict' as const, phienban: 2, attempts: 1, error: { code: 'VERSION_CONFLICT', message: 'held elsewhere' } };
    expect(deadLetterLine(d, false)).toBe('hub/vb id-1 (source 1) conflict phienban 2 after 1 attempts: VERSION_CONFLICT held elsewhere');
    expect(JSON.parse(deadLetterLine(d, true))).toMatchObject({ status: 'stale', idbanghi: 'id-1' });
  });
});

/**
 * Compares what a source stored (its own averages and levels) with what Thông tư 22/2021 gives for
 * the same raw scores. Disagreements are returned as report lines; the stored values are never
 * overwritten (docs/domain/grading.md#tt22-secondary-school-assessment, "Disagreement").
 * Report lines hold the two values because a reviewer needs them; they are report data for the
 * school, not log or error text.
 */
import { Decimal } from 'decimal.js';
import { parseTt22Level } from '../grading.js';
import type { PupilYearResult } from './pupil-year.js';

export interface StoredSubjectRow {
  /** mamonhoc */
  subject: string;
  diemhocky1?: string | number | null;
  diemhocky2?: string | number | null;
  diemcanam?: string | number | null;
}

export interface StoredPupilYear {
  subjects?: readonly StoredSubjectRow[];
  hocky1?: string | null;
  hocky2?: string | null;
  canam?: string | null;
}

export interface DisagreementLine {
  subject?: string;
  field: string;
  stored: string | null;
  computed: string | null;
  code: 'STORED_RESULT_DISAGREES';
}

function sameSubjectValue(stored: string, computed: string): boolean {
  const s = stored.normalize('NFC').trim().replace(',', '.').toUpperCase();
  const c = computed.toUpperCase();
  if (/^\d+(\.\d+)?$/.test(s) && /^\d+(\.\d+)?$/.test(c)) return new Decimal(s).eq(c);
  return s === c;
}

function text(value: string | number | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const t = String(value).trim();
  return t === '' ? null : t;
}

/**
 * Lines for every stored value that differs from the computed one. A value missing on one side only
 * is a disagreement too; a value missing on both sides is not.
 */
export function compareStoredResults(stored: StoredPupilYear, computed: PupilYearResult): DisagreementLine[] {
  const lines: DisagreementLine[] = [];
  const bySubject = new Map(computed.subjects.map((s) => [s.subject, s]));
  for (const row of stored.subjects ?? []) {
    const mine = bySubject.get(row.subject);
    const pairs: [string, string | null, string | undefined][] = [
      ['diemhocky1', text(row.diemhocky1), mine?.hk1],
      ['diemhocky2', text(row.diemhocky2), mine?.hk2],
      ['diemcanam', text(row.diemcanam), mine?.year],
    ];
    for (const [field, s, c] of pairs) {
      if (s === null && c === undefined) continue;
      if (s !== null && c !== undefined && sameSubjectValue(s, c)) continue;
      lines.push({ subject: row.subject, field, stored: s, computed: c ?? null, code: 'STORED_RESULT_DISAGREES' });
    }
  }
  const levels: [string, string | null, string | undefined][] = [
    ['hocky1', text(stored.hocky1), computed.hk1?.level.code],
    ['hocky2', text(stored.hocky2), computed.hk2?.level.code],
    ['canam', text(stored.canam), computed.year?.level.code],
  ];
  for (const [field, s, c] of levels) {
    if (s === null && c === undefined) continue;
    if (s !== null && c !== undefined && parseTt22Level(s)?.code === c) continue;
    lines.push({ field, stored: s, computed: c ?? null, code: 'STORED_RESULT_DISAGREES' });
  }
  return lines;
}

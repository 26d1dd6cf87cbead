/**
 * The pupil's earlier years and schools (`quatrinhhoctap`), from the source's `history_json`
 * column: one element per earlier school year. This is what links a pupil's records across
 * years and schools.
 */
import { z } from 'zod';
import type { FieldError, JsonObject } from '../../../src/core/records.js';
import { fullDate, schoolYear, text, type Outcome } from './transforms.js';

const cell = z.union([z.string(), z.number(), z.null()]).optional();

/** One element of `history_json`. */
export const HistoryItemSchema = z.object({
  school_year: cell,
  class_name: cell,
  school_name: cell,
  province_name: cell,
  transfer_date: cell,
});

const RULES: ReadonlyArray<readonly [to: string, from: keyof z.infer<typeof HistoryItemSchema>, via: (field: string, value: unknown) => Outcome]> = [
  ['namhoc', 'school_year', schoolYear],
  ['tenlop', 'class_name', text],
  ['tentruong', 'school_name', text],
  ['tentinh', 'province_name', text],
  ['ngaytrangthaichuyenden', 'transfer_date', fullDate],
];

export function mapHistory(raw: unknown, decode: (s: string) => string): { rows: JsonObject[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let list: unknown = raw;
  if (raw === undefined || raw === null || raw === '') list = [];
  else if (typeof raw === 'string') {
    try {
      list = JSON.parse(raw);
    } catch {
      list = undefined;
    }
  }
  if (!Array.isArray(list)) {
    return { rows: [], errors: [{ field: 'data.quatrinhhoctap', code: 'HISTORY_INVALID', message: 'quatrinhhoctap: the history column is not a JSON list' }] };
  }
  // oldest first, as the paper record lists them (the database may aggregate in any order)
  const yearOf = (e: unknown): string => (typeof e === 'object' && e !== null && 'school_year' in e ? String(e.school_year) : '');
  const ordered = [...(list as unknown[])].sort((a, b) => yearOf(a).localeCompare(yearOf(b)));
  const rows = ordered.map((element, i): JsonObject => {
    const row: JsonObject = {};
    const parsed = HistoryItemSchema.safeParse(element);
    if (!parsed.success) {
      errors.push({ field: `data.quatrinhhoctap[${i}]`, code: 'HISTORY_INVALID', message: `quatrinhhoctap[${i}]: not an object with text values` });
      return row;
    }
    for (const [to, from, via] of RULES) {
      const value = parsed.data[from];
      const out = via(to, typeof value === 'string' ? decode(value) : value);
      if ('values' in out) Object.assign(row, out.values);
      else errors.push({ field: `data.quatrinhhoctap[${i}].${to}`, code: out.code, message: `quatrinhhoctap[${i}].${out.message}` });
    }
    return row;
  });
  return { rows, errors };
}

/**
 * The subject list (`bangdiem`) and the learning results of one pupil-year, from the source's
 * `subjects_json` column: raw scores in, Thông tư 22/2021 averages and levels out (computed with
 * decimal arithmetic, half up, by `computePupilYear`), compared with what the school stored.
 *
 * A stored value that differs from the computed one is an error (STORED_RESULT_DISAGREES): the
 * format says the mapping "reports any disagreement with the source's own stored result instead of
 * silently overwriting it", so the record is held back until an administrator fixes the source.
 * Messages never carry a score.
 */
import { z } from 'zod';
import type { FieldError, JsonObject } from '../../../src/core/records.js';
import { checkCccd } from '../../../src/domain/cccd.js';
import { detectLikelyMojibake } from '../../../src/domain/encoding.js';
import {
  compareStoredResults,
  computePupilYear,
  type PupilYearResult,
  type StoredSubjectRow,
  type SubjectYearInput,
  type TermInput,
} from '../../../src/domain/tt22/index.js';
import { asText, idNumber, personName } from './transforms.js';

const cell = z.union([z.string(), z.number(), z.null()]).optional();
const TERM_CELLS = ['tx1', 'tx2', 'tx3', 'tx4', 'gk', 'ck'] as const;

/** One element of `subjects_json` (the keys the SELECT's JSON object uses; see the README). */
export const SubjectItemSchema = z.object({
  code: cell,
  name: cell,
  sort: cell,
  /** DIEM / score: assessed with scores; NHANXET / comment: comments only (Đ5.3a) */
  assessment: cell,
  periods: cell,
  exempt: cell,
  teacher_name: cell,
  teacher_national_id: cell,
  /** 1 (or true, "1", "x"): the teacher has left; the principal signs the subject in their place (KyThay) */
  teacher_left: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  ...Object.fromEntries(['hk1', 'hk2'].flatMap((t) => TERM_CELLS.map((c) => [`${t}_${c}`, cell]))),
  hk1_comment: cell,
  hk2_comment: cell,
  stored_hk1: cell,
  stored_hk2: cell,
  stored_year: cell,
  remark: cell,
});
type Cell = z.infer<typeof cell>;
type SubjectItem = Record<string, Cell>;

export interface StoredLevels {
  hocky1?: string;
  hocky2?: string;
  canam?: string;
}

export interface SubjectsOutcome {
  bangdiem: JsonObject[];
  /** computed learning levels (T / K / Đ / CĐ) */
  levels: StoredLevels;
  errors: FieldError[];
  warnings: FieldError[];
  /** the raw computation, for callers that want the year title */
  computed?: PupilYearResult;
  /** subjects whose teacher has left (teacher_left), in bangdiem order: the principal signs them */
  signedByPrincipal: string[];
}

const PERIOD_FIELD: Readonly<Record<string, string>> = { hk1: 'diemhocky1', hk2: 'diemhocky2', year: 'diemcanam' };
/** Problems that only warn: the average is still computed and correct for the scores given. */
const WARNING_CODES: ReadonlySet<string> = new Set(['REGULAR_TEST_COUNT_MISMATCH']);
/** Consequences of another, already reported problem. */
const CONSEQUENCE_CODES: ReadonlySet<string> = new Set(['LEVEL_NOT_COMPUTED']);

const subjectPath = (code: string, field: string): string => `data.bangdiem[${code}].${field}`;

function parseList(raw: unknown): unknown[] | undefined {
  if (raw === undefined || raw === null || raw === '') return [];
  if (Array.isArray(raw)) return raw;
  if (typeof raw !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed : parsed === null ? [] : undefined;
  } catch {
    return undefined;
  }
}

function cellText(value: Cell, decode: (s: string) => string): string | undefined {
  return asText(typeof value === 'string' ? decode(value) : value);
}

function assessmentOf(mark: string | undefined): 'scored' | 'comment' | undefined {
  const m = mark?.toUpperCase();
  if (m === 'DIEM' || m === 'SCORE' || m === 'SCORED') return 'scored';
  if (m === 'NHANXET' || m === 'COMMENT') return 'comment';
  return undefined;
}

/**
 * A term of a scored subject: its raw scores, or — when the source kept no raw score for that
 * term — the stored term average as the only score (average of x is x), so the year and the levels
 * can still be computed from what the school recorded.
 */
function scoredTerm(item: SubjectItem, term: 'hk1' | 'hk2', stored: string | undefined): TermInput | undefined {
  const value = (c: string): string | undefined => asText(item[`${term}_${c}`]);
  const regular = (['tx1', 'tx2', 'tx3', 'tx4'] as const).map(value).filter((v): v is string => v !== undefined);
  const midterm = value('gk');
  const final = value('ck');
  if (regular.length === 0 && midterm === undefined && final === undefined) {
    return stored === undefined ? undefined : { regular: [stored], midterm: stored, final: stored };
  }
  return { regular, midterm: midterm ?? '', final: final ?? '' };
}

const SCORE_NAMES: Readonly<Record<string, string>> = { midterm: 'điểm giữa kỳ (ĐĐGgk)', final: 'điểm cuối kỳ (ĐĐGck)' };

/**
 * When the Thông tư 22 problem at `field` (`hk1.midterm`, `hk2.final`) is about a score the source left
 * empty (scoredTerm passes an empty cell as ''), the score's Vietnamese name; otherwise undefined.
 */
function missingScore(input: SubjectYearInput | undefined, field: string): string | undefined {
  const [term, part] = field.split('.');
  if ((term !== 'hk1' && term !== 'hk2') || (part !== 'midterm' && part !== 'final')) return undefined;
  const scores = input?.[term];
  if (scores === undefined || typeof scores === 'string') return undefined;
  return scores[part] === '' ? SCORE_NAMES[part] : undefined;
}

export function mapSubjects(raw: unknown, storedLevels: StoredLevels, conductYear: string | undefined, decode: (s: string) => string): SubjectsOutcome {
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];
  const list = parseList(raw);
  if (list === undefined) {
    return { bangdiem: [], levels: {}, errors: [{ field: 'data.bangdiem', code: 'SUBJECTS_INVALID', message: 'bangdiem: the subjects column is not a JSON list' }], warnings, signedByPrincipal: [] };
  }
  const items: { code: string; item: SubjectItem; sort: number }[] = [];
  const seen = new Set<string>();
  list.forEach((element, i) => {
    const parsed = SubjectItemSchema.safeParse(element);
    if (!parsed.success) {
      errors.push({ field: `data.bangdiem[${i}]`, code: 'SUBJECT_INVALID', message: `bangdiem[${i}]: not a subject object with text or number values` });
      return;
    }
    const item = parsed.data as SubjectItem;
    const code = cellText(item.code, decode);
    if (code === undefined) {
      errors.push({ field: `data.bangdiem[${i}].mamonhoc`, code: 'DICT_REQUIRED', message: `bangdiem[${i}]: mamonhoc is missing` });
      return;
    }
    if (seen.has(code)) {
      errors.push({ field: subjectPath(code, 'mamonhoc'), code: 'SUBJECT_DUPLICATE', message: `bangdiem: subject ${code} appears twice` });
      return;
    }
    seen.add(code);
    const sort = Number(asText(item.sort) ?? Number.MAX_SAFE_INTEGER);
    items.push({ code, item, sort: Number.isFinite(sort) ? sort : Number.MAX_SAFE_INTEGER });
  });
  // subjects in the school's catalogue order, whatever order the database aggregated them in
  items.sort((a, b) => a.sort - b.sort || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  const inputs: SubjectYearInput[] = [];
  const storedRows: StoredSubjectRow[] = [];
  for (const { code, item } of items) {
    const name = cellText(item.name, decode);
    const kind = assessmentOf(asText(item.assessment));
    const stored = { hk1: cellText(item.stored_hk1, decode), hk2: cellText(item.stored_hk2, decode), year: cellText(item.stored_year, decode) };
    const exempt = asText(item.exempt) === '1' || [stored.hk1, stored.hk2, stored.year].every((s) => s?.toUpperCase() === 'M');
    const input: SubjectYearInput = { subject: code };
    if (name !== undefined) input.name = name;
    if (kind !== undefined) input.assessment = kind;
    const periods = Number(asText(item.periods));
    if (Number.isInteger(periods) && periods > 0) input.periodsPerYear = periods;
    if (exempt) input.exempt = true;
    else if (kind === 'comment' || (kind === undefined && asText(item.hk1_tx1) === undefined && asText(item.hk1_comment) !== undefined)) {
      const hk1 = cellText(item.hk1_comment, decode) ?? stored.hk1;
      const hk2 = cellText(item.hk2_comment, decode) ?? stored.hk2;
      if (hk1 !== undefined) input.hk1 = hk1;
      if (hk2 !== undefined) input.hk2 = hk2;
    } else {
      const hk1 = scoredTerm(item, 'hk1', stored.hk1);
      const hk2 = scoredTerm(item, 'hk2', stored.hk2);
      if (hk1 !== undefined) input.hk1 = hk1;
      if (hk2 !== undefined) input.hk2 = hk2;
    }
    inputs.push(input);
    const row: StoredSubjectRow = { subject: code };
    if (stored.hk1 !== undefined) row.diemhocky1 = stored.hk1;
    if (stored.hk2 !== undefined) row.diemhocky2 = stored.hk2;
    if (stored.year !== undefined) row.diemcanam = stored.year;
    storedRows.push(row);
  }

  const computed = computePupilYear(conductYear === undefined ? { subjects: inputs } : { subjects: inputs, conduct: { year: conductYear } });
  const inputOf = new Map(inputs.map((i) => [i.subject, i]));
  for (const p of computed.problems) {
    if (CONSEQUENCE_CODES.has(p.code)) continue;
    const period = p.field.split('.')[0] ?? '';
    const field = p.subject === undefined ? `data.${period}` : subjectPath(p.subject, PERIOD_FIELD[period] ?? period);
    const missing = p.subject === undefined ? undefined : missingScore(inputOf.get(p.subject), p.field);
    if (p.code === 'SCORE_NOT_A_NUMBER' && missing !== undefined) {
      // an empty cell is a score nobody entered, not a malformed one: say so
      errors.push({ field, code: 'SCORE_MISSING', message: `${p.subject ?? ''} ${p.field}: ${missing} bị thiếu / score missing` });
      continue;
    }
    (WARNING_CODES.has(p.code) ? warnings : errors).push({ field, code: p.code, message: `${p.subject ?? ''}${p.subject ? ' ' : ''}${p.message}` });
  }

  // The school's stored values against the computed ones; a value the school did not store, or
  // one that could not be computed (already reported above), is not compared.
  const storedPupilYear = { subjects: storedRows, hocky1: storedLevels.hocky1 ?? null, hocky2: storedLevels.hocky2 ?? null, canam: storedLevels.canam ?? null };
  for (const line of compareStoredResults(storedPupilYear, computed)) {
    if (line.stored === null || line.computed === null) continue;
    const field = line.subject === undefined ? `data.${line.field}` : subjectPath(line.subject, line.field);
    errors.push({
      field,
      code: 'STORED_RESULT_DISAGREES',
      message: `${line.subject === undefined ? '' : `${line.subject} `}${line.field}: stored and computed values differ (Thông tư 22/2021); fix the source, the computed value is not sent over it`,
    });
  }

  const results = new Map(computed.subjects.map((s) => [s.subject, s]));
  const bangdiem: JsonObject[] = items.map(({ code, item }) => {
    const row: JsonObject = { mamonhoc: code };
    const name = cellText(item.name, decode);
    if (name !== undefined) row.tenmonhoc = name;
    const r = results.get(code);
    if (r?.hk1 !== undefined) row.diemhocky1 = r.hk1;
    if (r?.hk2 !== undefined) row.diemhocky2 = r.hk2;
    if (r?.year !== undefined) row.diemcanam = r.year;
    const remark = cellText(item.remark, decode);
    if (remark !== undefined) row.nxetmonhoc = remark;
    for (const [field, via, value] of [
      ['gvbm', personName, item.teacher_name],
      ['soddcngvbm', idNumber, item.teacher_national_id],
    ] as const) {
      const out = via(field, typeof value === 'string' ? decode(value) : value);
      if ('values' in out) Object.assign(row, out.values);
    }
    // Every subject is signed by its teacher: both the name and the personal id are required.
    if (row.gvbm === undefined || row.soddcngvbm === undefined) {
      for (const field of ['gvbm', 'soddcngvbm'] as const) {
        if (row[field] === undefined) errors.push({ field: subjectPath(code, field), code: 'SUBJECT_TEACHER_MISSING', message: `${code} ${field}: the subject has no teacher (name and personal id are required)` });
      }
    }
    if (typeof row.soddcngvbm === 'string') errors.push(...checkCccd(row.soddcngvbm, { field: subjectPath(code, 'soddcngvbm') }));
    if (typeof item.teacher_name === 'string') {
      const verdict = detectLikelyMojibake(decode(item.teacher_name));
      if (verdict.suspicious) errors.push(mojibakeError(subjectPath(code, 'gvbm'), 'gvbm', verdict.likelyEncoding));
    }
    return row;
  });

  const levels: StoredLevels = {};
  if (computed.hk1 !== undefined) levels.hocky1 = computed.hk1.level.code;
  if (computed.hk2 !== undefined) levels.hocky2 = computed.hk2.level.code;
  if (computed.year !== undefined) levels.canam = computed.year.level.code;
  const signedByPrincipal: string[] = [];
  for (const { code, item } of items) {
    const left = teacherLeft(item.teacher_left);
    if (left === 'invalid') errors.push({ field: subjectPath(code, 'teacher_left'), code: 'SUBJECT_TEACHER_LEFT_INVALID', message: `${code} teacher_left: not 0/1 (or true/false): say whether the subject's teacher has left` });
    else if (left) signedByPrincipal.push(code);
  }
  return { bangdiem, levels, errors, warnings, computed, signedByPrincipal };
}

const ENCODING_LABEL: Readonly<Record<string, string>> = {
  tcvn3: 'TCVN3 (ABC)',
  vni: 'VNI-Windows',
  'windows-1258': 'Windows-1258',
  viscii: 'VISCII',
  'utf8-read-as-cp1252': 'UTF-8 read as Windows-1252',
};

/** TEXT_MOJIBAKE: the text looks like legacy bytes read as Unicode. The message names the likely encoding, never the text. */
export function mojibakeError(path: string, field: string, likely: string | undefined): FieldError {
  const hint = likely === undefined ? '' : ` (likely ${ENCODING_LABEL[likely] ?? likely})`;
  return {
    field: path,
    code: 'TEXT_MOJIBAKE',
    message: `${field}: looks like legacy-encoded text read as Unicode${hint}; fix the source or set the job option sourceEncoding`,
  };
}

/**
 * The source's "the teacher has left" cell: 1, true, '1', 'x', 'có' (yes); 0, false, '', '0', null
 * (no); anything else is reported, not guessed (a wrong guess makes the wrong person sign).
 */
function teacherLeft(value: unknown): boolean | 'invalid' {
  if (value === undefined || value === null || value === false || value === 0) return false;
  if (value === true || value === 1) return true;
  if (typeof value !== 'string') return 'invalid';
  const v = value.trim().toLowerCase();
  if (v === '' || v === '0' || v === 'false' || v === 'không') return false;
  if (v === '1' || v === 'true' || v === 'x' || v === 'có') return true;
  return 'invalid';
}

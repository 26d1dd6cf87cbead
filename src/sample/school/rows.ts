/**
 * Builds the rows of the sample school one pupil at a time, from one seeded random sequence, so the
 * same seed always gives the same database and only the current batch is in memory.
 *
 * The school's own stored averages and result levels are what Thông tư 22/2021 gives for the raw
 * scores (computed with the project's calculator, as a correct school system would), except on the
 * rows made dirty on purpose.
 */
import iconv from 'iconv-lite';
import { encodeVni, repairMisdecoded } from '../../domain/encoding.js';
import { computePupilYear, type SubjectYearInput } from '../../domain/tt22/index.js';
import { birthPlace, preMergerWards } from '../birth-places.js';
import { cccdSerial, makeCccd } from '../cccd.js';
import { type SeededRandom, weightedTable } from '../../core/seeded-random.js';
import { vietnameseName, type Sex } from '../vietnamese-names.js';
import {
  CONDUCT_DRAW,
  ETHNICITY_DRAW,
  GRADES,
  HOMEROOM_COMMENTS,
  JOBS,
  OTHER_HIGH_SCHOOLS,
  OTHER_PROVINCES,
  OTHER_SCHOOLS,
  SUBJECT_REMARKS,
  UNKNOWN_ETHNICITIES,
  type SchoolLevel,
  type SubjectSpec,
} from './catalog.js';
import { RAW_SCORE_COLUMNS, SCHOOL_COLUMNS } from './schema.js';

/** The kinds of dirty data a legacy school database holds. */
export const SCHOOL_DIRTY_KINDS = [
  'missing_national_id',
  'national_id_birth_mismatch',
  'impossible_birth_date',
  'tcvn3_name',
  'vni_name',
  'unknown_ethnicity',
  'subject_without_teacher',
  'score_out_of_range',
  'score_malformed',
  'stored_average_disagrees',
  'stored_level_disagrees',
  'decimal_comma_score',
] as const;
export type SchoolDirtyKind = (typeof SCHOOL_DIRTY_KINDS)[number];

/**
 * Whether the mapping is expected to send the record anyway. A decimal comma is read as a decimal
 * point; everything else must be reported. TCVN3/VNI names are reported because the sample source
 * is declared Unicode (a whole-legacy source would set the job option `sourceEncoding`).
 */
export const SCHOOL_DIRTY_FIXABLE: Readonly<Record<SchoolDirtyKind, boolean>> = {
  missing_national_id: false,
  national_id_birth_mismatch: false,
  impossible_birth_date: false,
  tcvn3_name: false,
  vni_name: false,
  unknown_ethnicity: false,
  subject_without_teacher: false,
  score_out_of_range: false,
  score_malformed: false,
  stored_average_disagrees: false,
  stored_level_disagrees: false,
  decimal_comma_score: true,
};

export interface SchoolDirtyRow {
  /** the record key the sql source gives the pupil-year (enrolment_id) */
  key: string;
  kind: SchoolDirtyKind;
  fixable: boolean;
  /** the column (or `subject.column`) that holds the problem */
  field: string;
}

export type SqlValue = string | number | null;

export interface ClassPlan {
  classId: number;
  grade: number;
  name: string;
  homeroomTeacherId: number;
  /** subject code → teacher id */
  teacherOf: ReadonlyMap<string, number>;
}

export interface PupilYearRows {
  pupil: SqlValue[];
  enrolment: SqlValue[];
  scores: SqlValue[][];
  history: SqlValue[][];
  dirty: SchoolDirtyRow | null;
}

export interface PupilContext {
  level: SchoolLevel;
  /** first year of the school year, e.g. 2025 for 2025-2026 */
  startYear: number;
  subjectsByGrade: ReadonlyMap<number, readonly SubjectSpec[]>;
  /** offset of the CCCD tails, from the seed */
  cccdOffset: number;
  /** Vietnam wall-clock time of the first row's updated_at, in ms (naive, via UTC) */
  updatedAtBaseMs: number;
}

const ETHNICITIES = weightedTable(ETHNICITY_DRAW);
const CONDUCT = weightedTable(CONDUCT_DRAW);
const LEVEL_ORDER = ['T', 'K', 'Đ', 'CĐ'] as const;

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
/** A regular test: whole or half points, as teachers mark them. */
const regularScore = (x: number): string => String(Math.round(clamp(x, 0, 10) * 2) / 2);
/** A mid-term or end-of-term test: one decimal. */
const termScore = (x: number): string => (Math.round(clamp(x, 0, 10) * 10) / 10).toFixed(1);

/** TCVN3 text as a driver that read the legacy bytes as CP1252 hands it over; VNI where TCVN3 cannot round-trip. */
export function tcvn3Mojibake(text: string): string {
  const moji = iconv.decode(iconv.encode(text, 'tcvn'), 'win1252');
  return repairMisdecoded(moji, 'tcvn3') === text && !moji.includes('\ufffd') ? moji : encodeVni(text);
}

function historyFor(rng: SeededRandom, ctx: PupilContext, pupilId: number, grade: number): SqlValue[][] {
  const firstGrade = GRADES[ctx.level][0] ?? grade;
  const school = rng.pick(ctx.level === 'THCS' ? OTHER_SCHOOLS : OTHER_HIGH_SCHOOLS);
  const province = rng.pick(OTHER_PROVINCES);
  const rows: SqlValue[][] = [];
  for (let g = firstGrade; g < grade; g++) {
    const y = ctx.startYear - (grade - g);
    const last = g === grade - 1;
    rows.push([pupilId, `${y}-${y + 1}`, `${g}A${rng.int(1, 6)}`, school, province, last ? `${ctx.startYear}-08-${String(rng.int(10, 28)).padStart(2, '0')}` : null]);
  }
  return rows;
}

/** One pupil's row, their enrolment in `cls` for the school year, their subject rows and history. */
export function makePupilYear(rng: SeededRandom, ctx: PupilContext, id: number, cls: ClassPlan, dirtyKind: SchoolDirtyKind | null): PupilYearRows {
  const sex: Sex = rng.chance(0.5) ? 'male' : 'female';
  const name = vietnameseName(rng, sex);
  const family = name.split(' ')[0] ?? 'Nguyễn';
  // on time for the grade, a few a year older
  const birthYear = ctx.startYear - (cls.grade + 5) - (rng.chance(0.04) ? 1 : 0);
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);
  let birthDate = rng.chance(0.1)
    ? `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${birthYear}`
    : `${birthYear}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const born = birthPlace(rng);
  const homeWards = preMergerWards().get('01') ?? [];
  const home = rng.pick(homeWards);
  let nationalId: string | null = makeCccd(born.provinceCode, birthYear, sex, cccdSerial(id, ctx.cccdOffset));
  let storedName = name;
  let ethnicity = rng.weighted(ETHNICITIES);
  const fatherName = `${family} ${vietnameseName(rng, 'male').split(' ').slice(1).join(' ')}`;
  const motherName = vietnameseName(rng, 'female');

  // subjects and raw scores
  const subjects = ctx.subjectsByGrade.get(cls.grade) ?? [];
  const ability = clamp(rng.normal(6.9, 1.1), 3, 9.8);
  const exemptPe = rng.chance(0.01);
  const inputs: SubjectYearInput[] = [];
  const raw = new Map<string, Record<string, string | null>>();
  for (const subject of subjects) {
    const cells: Record<string, string | null> = Object.fromEntries(RAW_SCORE_COLUMNS.map((c) => [c, null]));
    if (subject.assessment === 'NHANXET') {
      const exempt = exemptPe && subject.code === 'GDT';
      cells.hk1_nx = exempt ? null : rng.chance(0.985) ? 'Đ' : 'CĐ';
      cells.hk2_nx = exempt ? null : rng.chance(0.99) ? 'Đ' : 'CĐ';
      raw.set(subject.code, cells);
      inputs.push(
        exempt
          ? { subject: subject.code, name: subject.name, assessment: 'comment', exempt: true }
          : { subject: subject.code, name: subject.name, assessment: 'comment', hk1: cells.hk1_nx ?? 'Đ', hk2: cells.hk2_nx ?? 'Đ' },
      );
      continue;
    }
    const level = ability + rng.normal(0, 0.7);
    const count = subject.periods <= 35 ? 2 : subject.periods <= 70 ? 3 : 4;
    const term = (prefix: 'hk1' | 'hk2', drift: number): { regular: string[]; midterm: string; final: string } => {
      const regular = Array.from({ length: count }, () => regularScore(level + drift + rng.normal(0, 1)));
      regular.forEach((r, i) => (cells[`${prefix}_tx${i + 1}`] = r));
      const midterm = termScore(level + drift + rng.normal(0, 0.9));
      const final = termScore(level + drift + rng.normal(0, 0.9));
      cells[`${prefix}_gk`] = midterm;
      cells[`${prefix}_ck`] = final;
      return { regular, midterm, final };
    };
    const hk1 = term('hk1', 0);
    const hk2 = term('hk2', 0.2);
    raw.set(subject.code, cells);
    inputs.push({ subject: subject.code, name: subject.name, assessment: 'scored', periodsPerYear: subject.periods, hk1, hk2 });
  }
  const conductHk1 = rng.weighted(CONDUCT);
  const conductHk2 = rng.chance(0.8) ? conductHk1 : rng.weighted(CONDUCT);
  const computed = computePupilYear({ subjects: inputs, conduct: { year: conductHk2 } });
  const stored = new Map(computed.subjects.map((x) => [x.subject, x]));
  let storedYearLevel: string | null = computed.year?.level.code ?? null;

  // the subject rows, in catalogue order
  const scoreRows = new Map<string, SqlValue[]>();
  for (const subject of subjects) {
    const cells = raw.get(subject.code) ?? {};
    const s = stored.get(subject.code);
    const exempt = s?.kind === 'exempt' ? 1 : 0;
    scoreRows.set(subject.code, [
      id,
      subject.code,
      cls.teacherOf.get(subject.code) ?? null,
      exempt,
      ...RAW_SCORE_COLUMNS.map((c) => cells[c] ?? null),
      cells.hk1_nx ?? null,
      cells.hk2_nx ?? null,
      s?.hk1 ?? null,
      s?.hk2 ?? null,
      s?.year ?? null,
      rng.chance(0.3) ? rng.pick(SUBJECT_REMARKS) : null,
    ]);
  }
  const column = (name: string): number => (SCHOOL_COLUMNS.scores as readonly string[]).indexOf(name);
  const firstScored = subjects.find((x) => x.assessment === 'DIEM')?.code ?? 'TOA';
  const setCell = (subject: string, name: string, value: SqlValue): void => {
    const row = scoreRows.get(subject);
    if (row) row[column(name)] = value;
  };
  const cell = (subject: string, name: string): SqlValue => scoreRows.get(subject)?.[column(name)] ?? null;

  let dirty: SchoolDirtyRow | null = null;
  const mark = (kind: SchoolDirtyKind, field: string): void => {
    dirty = { key: String(id), kind, fixable: SCHOOL_DIRTY_FIXABLE[kind], field };
  };
  switch (dirtyKind) {
    case 'missing_national_id':
      nationalId = null;
      mark(dirtyKind, 'so_cccd');
      break;
    case 'national_id_birth_mismatch':
      nationalId = makeCccd(born.provinceCode, birthYear + 1, sex, cccdSerial(id, ctx.cccdOffset));
      mark(dirtyKind, 'so_cccd');
      break;
    case 'impossible_birth_date':
      birthDate = `${birthYear}-02-30`;
      mark(dirtyKind, 'ngay_sinh');
      break;
    // A name without diacritics (Mai Thanh Mai) reads the same in any encoding: the row stays
    // clean, and the next dirty row gets this kind (the kinds go round by the count of dirty rows).
    case 'tcvn3_name':
      storedName = tcvn3Mojibake(name);
      if (storedName !== name) mark(dirtyKind, 'ho_ten');
      break;
    case 'vni_name':
      storedName = encodeVni(name);
      if (storedName !== name) mark(dirtyKind, 'ho_ten');
      break;
    case 'unknown_ethnicity':
      ethnicity = rng.pick(UNKNOWN_ETHNICITIES);
      mark(dirtyKind, 'dan_toc');
      break;
    case 'subject_without_teacher': {
      const subject = rng.pick(subjects.filter((x) => x.assessment === 'DIEM')).code;
      setCell(subject, 'gv_id', null);
      mark(dirtyKind, `${subject}.gv_id`);
      break;
    }
    case 'score_out_of_range':
      setCell(firstScored, 'hk1_tx1', '11');
      mark(dirtyKind, `${firstScored}.hk1_tx1`);
      break;
    case 'score_malformed':
      setCell(firstScored, 'hk2_gk', '7,55');
      mark(dirtyKind, `${firstScored}.hk2_gk`);
      break;
    case 'stored_average_disagrees': {
      const year = Number(cell(firstScored, 'tb_cn'));
      setCell(firstScored, 'tb_cn', (year >= 10 ? year - 0.1 : year + 0.1).toFixed(1));
      mark(dirtyKind, `${firstScored}.tb_cn`);
      break;
    }
    case 'stored_level_disagrees': {
      const i = LEVEL_ORDER.indexOf((storedYearLevel ?? 'K') as (typeof LEVEL_ORDER)[number]);
      storedYearLevel = LEVEL_ORDER[i === 0 ? 1 : i - 1] ?? 'T';
      mark(dirtyKind, 'hl_cn');
      break;
    }
    case 'decimal_comma_score': {
      const value = String(cell(firstScored, 'hk1_ck') ?? '7.0');
      setCell(firstScored, 'hk1_ck', value.replace('.', ','));
      mark(dirtyKind, `${firstScored}.hk1_ck`);
      break;
    }
    case null:
      break;
  }

  const yearLevel = computed.year?.level.code;
  const promoted = yearLevel !== 'CĐ' && conductHk2 !== 'CĐ';
  const finalGrade = cls.grade === GRADES[ctx.level][GRADES[ctx.level].length - 1];
  const promotionText = !promoted
    ? 'Rèn luyện, kiểm tra lại trong hè'
    : finalGrade
      ? `Hoàn thành chương trình ${ctx.level}`
      : 'Được lên lớp';
  const ms = ctx.updatedAtBaseMs + (id - 1) * 1000;
  const endYear = ctx.startYear + 1;
  const pupil: SqlValue[] = [
    id,
    `HS${ctx.startYear}${String(id).padStart(5, '0')}`,
    storedName,
    birthDate,
    sex === 'male' ? 'Nam' : 'Nữ',
    ethnicity,
    'VN',
    nationalId,
    born.text,
    born.provinceCode,
    born.wardCode,
    rng.pick(OTHER_PROVINCES),
    `Số ${rng.int(1, 200)}, ${home.name}, ${home.district}, Thành phố Hà Nội`,
    '01',
    home.code,
    fatherName,
    rng.pick(JOBS),
    motherName,
    rng.pick(JOBS),
    `${id}/${ctx.startYear}`,
  ];
  const enrolment: SqlValue[] = [
    id,
    id,
    cls.classId,
    `${ctx.startYear}-${endYear}`,
    computed.hk1?.level.code ?? null,
    computed.hk2?.level.code ?? null,
    storedYearLevel,
    conductHk1,
    conductHk2,
    conductHk2,
    rng.int(0, 8),
    promoted ? 1 : 0,
    promotionText,
    computed.title ?? null,
    rng.pick(HOMEROOM_COMMENTS),
    0,
    1,
    `${endYear}-05-31`,
    `${endYear}-05-25`,
    new Date(ms).toISOString().slice(0, 19),
  ];
  const firstGrade = GRADES[ctx.level][0] ?? cls.grade;
  const transferred = cls.grade > firstGrade && rng.chance(0.08);
  return {
    pupil,
    enrolment,
    scores: [...scoreRows.values()],
    history: transferred ? historyFor(rng, ctx, id, cls.grade) : [],
    dirty,
  };
}

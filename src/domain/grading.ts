/**
 * Grading tables as versioned data (docs/domain/grading.md).
 *
 * Each table names its legal source and a version string. A cohort's records are classified with
 * the scale version that applied to that cohort (store it per cohort), never with "the latest".
 *
 * Boundary rule (documented choice): a 10-point course score is first rounded to one decimal,
 * half up, with decimal arithmetic (TT 08/2021 Đ10: course scores are rounded to one decimal);
 * the bands ("A 8.5–10", "B+ 8.0–8.4", …) are then read on that rounded value. So 8.45 → 8.5 → A,
 * 8.44 → 8.4 → B+, and there is no gap between 8.4 and 8.5. GPAs are rounded to two decimals, half
 * up, before classification (the universities' practice under TT 08/2021 Đ10.3, [ASSUMPTION]
 * where a regulation does not say).
 */
import { Decimal } from 'decimal.js';
import { DataError } from '../core/errors.js';

export type DecimalInput = Decimal.Value;

export type LetterGrade = 'A+' | 'A' | 'B+' | 'B' | 'C+' | 'C' | 'D+' | 'D' | 'F';

export type Classification = 'Xuất sắc' | 'Giỏi' | 'Khá' | 'Trung bình khá' | 'Trung bình' | 'Yếu' | 'Kém';

/** Discipline levels for students (Quy chế công tác sinh viên), mildest first. */
export const DISCIPLINE_LEVELS = ['none', 'khien-trach', 'canh-cao', 'dinh-chi-hoc-tap', 'buoc-thoi-hoc'] as const;
export type DisciplineLevel = (typeof DISCIPLINE_LEVELS)[number];

export interface LetterBand {
  letter: LetterGrade;
  /** lowest 10-point score (after rounding to one decimal) that earns this letter */
  min10: string;
  /** value on the 4-point scale */
  point4: string;
}

export interface ClassificationBand {
  classification: Classification;
  /** lowest value (inclusive) for this classification */
  min: string;
}

export interface GradingScale {
  version: string;
  source: string;
  /** letter bands, highest first; the last band must start at 0 */
  letters: readonly LetterBand[];
  /** classification on the 4-point scale, highest first; absent when the scale had none */
  classification4?: readonly ClassificationBand[];
  /** classification on the 10-point scale, highest first */
  classification10: readonly ClassificationBand[];
  /** the drop-one-level rule for the top classifications */
  dropOneLevel: {
    appliesTo: readonly Classification[];
    /** retaken credits above this share of the programme's credits drop the classification */
    maxRetakenCreditRatio: string;
    /** discipline at or above this level drops the classification */
    disciplineFrom: Exclude<DisciplineLevel, 'none'>;
  };
}

const TT08_2021: GradingScale = {
  version: 'tt08-2021',
  source: 'Thông tư 08/2021/TT-BGDĐT, Quy chế đào tạo trình độ đại học, Điều 10 (thang điểm) và Điều 14 (hạng tốt nghiệp) [docs/domain/grading.md]',
  letters: [
    { letter: 'A', min10: '8.5', point4: '4.0' },
    { letter: 'B+', min10: '8.0', point4: '3.5' },
    { letter: 'B', min10: '7.0', point4: '3.0' },
    { letter: 'C+', min10: '6.5', point4: '2.5' },
    { letter: 'C', min10: '5.5', point4: '2.0' },
    { letter: 'D+', min10: '5.0', point4: '1.5' },
    { letter: 'D', min10: '4.0', point4: '1.0' },
    { letter: 'F', min10: '0', point4: '0.0' },
  ],
  classification4: [
    { classification: 'Xuất sắc', min: '3.6' },
    { classification: 'Giỏi', min: '3.2' },
    { classification: 'Khá', min: '2.5' },
    { classification: 'Trung bình', min: '2.0' },
    { classification: 'Yếu', min: '1.0' },
    { classification: 'Kém', min: '0' },
  ],
  classification10: [
    { classification: 'Xuất sắc', min: '9.0' },
    { classification: 'Giỏi', min: '8.0' },
    { classification: 'Khá', min: '7.0' },
    { classification: 'Trung bình', min: '5.0' },
    { classification: 'Yếu', min: '4.0' },
    { classification: 'Kém', min: '0' },
  ],
  dropOneLevel: { appliesTo: ['Xuất sắc', 'Giỏi'], maxRetakenCreditRatio: '0.05', disciplineFrom: 'khien-trach' },
};

/**
 * The earlier credit-system rules, still needed for cohorts admitted under them. The 10-point
 * classification keeps "Trung bình khá" as its own level. [mem: verify against the cohort's own
 * regulation before relying on it; vocational (TT 09/2017/TT-BLĐTBXH) scales differ again and
 * belong in their own table]
 */
const QD43_2007: GradingScale = {
  version: 'qd43-2007',
  source: 'Quyết định 43/2007/QĐ-BGDĐT, Quy chế đào tạo đại học và cao đẳng hệ chính quy theo hệ thống tín chỉ, Điều 22 và 27 (trước sửa đổi của TT 57/2012) [mem]',
  letters: [
    { letter: 'A', min10: '8.5', point4: '4.0' },
    { letter: 'B', min10: '7.0', point4: '3.0' },
    { letter: 'C', min10: '5.5', point4: '2.0' },
    { letter: 'D', min10: '4.0', point4: '1.0' },
    { letter: 'F', min10: '0', point4: '0.0' },
  ],
  classification4: [
    { classification: 'Xuất sắc', min: '3.6' },
    { classification: 'Giỏi', min: '3.2' },
    { classification: 'Khá', min: '2.5' },
    { classification: 'Trung bình', min: '2.0' },
    { classification: 'Yếu', min: '1.0' },
    { classification: 'Kém', min: '0' },
  ],
  classification10: [
    { classification: 'Xuất sắc', min: '9.0' },
    { classification: 'Giỏi', min: '8.0' },
    { classification: 'Khá', min: '7.0' },
    { classification: 'Trung bình khá', min: '6.0' },
    { classification: 'Trung bình', min: '5.0' },
    { classification: 'Yếu', min: '4.0' },
    { classification: 'Kém', min: '0' },
  ],
  dropOneLevel: { appliesTo: ['Xuất sắc', 'Giỏi'], maxRetakenCreditRatio: '0.05', disciplineFrom: 'canh-cao' },
};

export const GRADING_SCALES = {
  'tt08-2021': TT08_2021,
  'qd43-2007': QD43_2007,
} as const satisfies Record<string, GradingScale>;

export type ScaleVersion = keyof typeof GRADING_SCALES;
export const DEFAULT_SCALE_VERSION: ScaleVersion = 'tt08-2021';

export function gradingScale(version: ScaleVersion = DEFAULT_SCALE_VERSION): GradingScale {
  const scale: GradingScale | undefined = (GRADING_SCALES as Record<string, GradingScale>)[version];
  if (scale === undefined) throw new DataError('UNKNOWN_GRADING_SCALE', `unknown grading scale version "${version}"`, { field: 'scaleVersion' });
  return scale;
}

function toDecimal(value: DecimalInput, field: string): Decimal {
  let d: Decimal;
  try {
    d = new Decimal(value);
  } catch (cause) {
    throw new DataError('SCORE_NOT_A_NUMBER', `${field} is not a number`, { field }, { cause });
  }
  if (!d.isFinite()) throw new DataError('SCORE_NOT_A_NUMBER', `${field} is not a finite number`, { field });
  return d;
}

/** Rounds half up (away from zero for the non-negative scores used here) to `places` decimals. */
export function roundHalfUp(value: DecimalInput, places: number): Decimal {
  return toDecimal(value, 'value').toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
}

function score10(value: DecimalInput): Decimal {
  const rounded = toDecimal(value, 'score10').toDecimalPlaces(1, Decimal.ROUND_HALF_UP);
  if (rounded.lt(0) || rounded.gt(10)) throw new DataError('SCORE_OUT_OF_RANGE', 'score10 is outside 0–10', { field: 'score10' });
  return rounded;
}

function letterBand(value: DecimalInput, version: ScaleVersion): LetterBand {
  const rounded = score10(value);
  const band = gradingScale(version).letters.find((b) => rounded.gte(b.min10));
  if (band === undefined) throw new DataError('SCALE_HAS_NO_BAND', `grading scale ${version} has no letter band for the score`, { field: 'score10' });
  return band;
}

/** Letter grade of a 10-point course score (rounded to one decimal half up first: 8.45 → A). */
export function letterGrade(value: DecimalInput, version: ScaleVersion = DEFAULT_SCALE_VERSION): LetterGrade {
  return letterBand(value, version).letter;
}

/** 4-point value of a 10-point course score, as a string with one decimal ("3.5"). */
export function toFourPoint(value: DecimalInput, version: ScaleVersion = DEFAULT_SCALE_VERSION): string {
  return letterBand(value, version).point4;
}

export interface ClassifyInput {
  gpa4?: DecimalInput;
  gpa10?: DecimalInput;
  /** retaken credits ÷ programme credits, e.g. 0.06 */
  retakenCreditRatio?: DecimalInput;
  /** the highest discipline the student received during the course */
  discipline?: DisciplineLevel;
  /** shorthand: true means a discipline at or above the scale's threshold */
  disciplined?: boolean;
}

export interface ClassifyResult {
  classification: Classification;
  /** the classification before the drop-one-level rule */
  baseClassification: Classification;
  dropped: boolean;
  basedOn: 'gpa4' | 'gpa10';
  scaleVersion: ScaleVersion;
}

/**
 * Classifies a GPA on the 4-point scale when `gpa4` is given (the credit-system rule), else on the
 * 10-point scale. Applies the drop-one-level rule: Xuất sắc/Giỏi fall one level when retaken credits
 * exceed 5% or the student was disciplined at or above the scale's threshold.
 */
export function classify(input: ClassifyInput, version: ScaleVersion = DEFAULT_SCALE_VERSION): ClassifyResult {
  const scale = gradingScale(version);
  let bands: readonly ClassificationBand[];
  let gpa: Decimal;
  let basedOn: 'gpa4' | 'gpa10';
  if (input.gpa4 !== undefined) {
    if (scale.classification4 === undefined) throw new DataError('SCALE_HAS_NO_4_POINT', `grading scale ${version} has no 4-point classification`, { field: 'gpa4' });
    bands = scale.classification4;
    gpa = toDecimal(input.gpa4, 'gpa4').toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    if (gpa.lt(0) || gpa.gt(4)) throw new DataError('SCORE_OUT_OF_RANGE', 'gpa4 is outside 0–4', { field: 'gpa4' });
    basedOn = 'gpa4';
  } else if (input.gpa10 !== undefined) {
    bands = scale.classification10;
    gpa = toDecimal(input.gpa10, 'gpa10').toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    if (gpa.lt(0) || gpa.gt(10)) throw new DataError('SCORE_OUT_OF_RANGE', 'gpa10 is outside 0–10', { field: 'gpa10' });
    basedOn = 'gpa10';
  } else {
    throw new DataError('GPA_MISSING', 'classification needs gpa4 or gpa10', { field: 'gpa4' });
  }
  const index = bands.findIndex((b) => gpa.gte(b.min));
  const base = bands[index];
  if (base === undefined) throw new DataError('SCALE_HAS_NO_BAND', `grading scale ${version} has no classification band for the GPA`, { field: basedOn });

  const rule = scale.dropOneLevel;
  const ratio = input.retakenCreditRatio === undefined ? undefined : toDecimal(input.retakenCreditRatio, 'retakenCreditRatio');
  const tooManyRetakes = ratio !== undefined && ratio.gt(rule.maxRetakenCreditRatio);
  const disciplined =
    input.disciplined === true ||
    (input.discipline !== undefined && DISCIPLINE_LEVELS.indexOf(input.discipline) >= DISCIPLINE_LEVELS.indexOf(rule.disciplineFrom));
  const dropped = rule.appliesTo.includes(base.classification) && (tooManyRetakes || disciplined);
  const final = dropped ? bands[index + 1] : base;
  return {
    classification: (final ?? base).classification,
    baseClassification: base.classification,
    dropped,
    basedOn,
    scaleVersion: version,
  };
}

// ---------------------------------------------------------------------------------------------
// Secondary school (Thông tư 22/2021/TT-BGDĐT)

export type Tt22LevelCode = 'T' | 'K' | 'Đ' | 'CĐ';

export interface Tt22Level {
  code: Tt22LevelCode;
  name: 'Tốt' | 'Khá' | 'Đạt' | 'Chưa đạt';
  /** 0 = best; used for "falls two levels" comparisons */
  rank: 0 | 1 | 2 | 3;
  /** the older results table's numeric code (`mahocluc` / `mahanhkiem` 1–4) */
  legacyCode: '1' | '2' | '3' | '4';
}

export const TT22_SOURCE = 'Thông tư 22/2021/TT-BGDĐT, Quy định đánh giá học sinh THCS và THPT, Điều 8 (rèn luyện) và Điều 9 (học tập) [docs/domain/grading.md]';
export const TT22_TABLE_VERSION = 'tt22-2021';

/** Learning result levels (kết quả học tập, Đ9) — highest first. */
export const TT22_RESULT_LEVELS: readonly Tt22Level[] = [
  { code: 'T', name: 'Tốt', rank: 0, legacyCode: '1' },
  { code: 'K', name: 'Khá', rank: 1, legacyCode: '2' },
  { code: 'Đ', name: 'Đạt', rank: 2, legacyCode: '3' },
  { code: 'CĐ', name: 'Chưa đạt', rank: 3, legacyCode: '4' },
];

/** Conduct levels (kết quả rèn luyện, Đ8) use the same four codes and names. */
export const TT22_CONDUCT_LEVELS: readonly Tt22Level[] = TT22_RESULT_LEVELS;

/** Comment-assessed subject results (Đ5.3a): Đạt / Chưa đạt, plus M for an exempt pupil. */
export const TT22_COMMENT_RESULTS = { Đ: 'Đạt', CĐ: 'Chưa đạt' } as const;
export const TT22_EXEMPT = 'M';

export function tt22Level(code: Tt22LevelCode): Tt22Level {
  const level = TT22_RESULT_LEVELS.find((l) => l.code === code);
  if (level === undefined) throw new DataError('UNKNOWN_TT22_LEVEL', 'unknown TT22 level code', { field: 'level' });
  return level;
}

export function tt22LevelByRank(rank: number): Tt22Level {
  const level = TT22_RESULT_LEVELS[Math.max(0, Math.min(3, rank))];
  if (level === undefined) throw new DataError('UNKNOWN_TT22_LEVEL', 'unknown TT22 level rank', { field: 'level' });
  return level;
}

/** Reads a stored level code leniently: "T", "Tốt", "1" (legacy numeric), any case and Unicode form. */
export function parseTt22Level(raw: string): Tt22Level | undefined {
  const text = raw.normalize('NFC').trim();
  const upper = text.toUpperCase();
  return TT22_RESULT_LEVELS.find((l) => l.code === upper || l.name.toUpperCase() === upper || l.legacyCode === text);
}

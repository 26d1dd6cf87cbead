/**
 * Builds the rows of the sample UIS one graduate at a time, from one seeded random sequence, so
 * the same seed always gives the same database and nothing but the current batch is in memory.
 */
import { birthPlace, NONEXISTENT_PROVINCE_CODES } from './birth-places.js';
import { cccdSerial, makeCccd, sexCenturyDigit } from './cccd.js';
import { DAY_MS, formatDay, formatNaive, parseNaive } from './naive-time.js';
import { type SeededRandom, weightedTable } from '../core/seeded-random.js';
import {
  classificationForGpa,
  ETHNICITY_DRAW,
  ETHNICITY_LEGACY,
  GENDER_LEGACY,
  PROGRAMME_DRAW,
  STATUS_DRAW,
  UNKNOWN_ETHNICITIES,
} from './uis-catalog.js';
import { vietnameseName, type Sex } from './vietnamese-names.js';

/** The kinds of dirty data a legacy UIS holds (docs/architecture.md#demo-and-sample-data). */
export const UIS_DIRTY_KINDS = [
  'missing_national_id',
  'national_id_mismatch',
  'national_id_11_digits',
  'impossible_birth_date',
  'unknown_ethnicity',
  'unknown_province',
  'duplicate_serial_no',
  'untidy_name',
  'overlong_birth_place',
  'missing_register_no',
] as const;
export type UisDirtyKind = (typeof UIS_DIRTY_KINDS)[number];

const DIRTY_FIELD: Record<UisDirtyKind, string> = {
  missing_national_id: 'national_id',
  national_id_mismatch: 'national_id',
  national_id_11_digits: 'national_id',
  impossible_birth_date: 'birth_date',
  unknown_ethnicity: 'ethnicity',
  unknown_province: 'birth_province_code',
  duplicate_serial_no: 'serial_no',
  untidy_name: 'full_name',
  overlong_birth_place: 'birth_place',
  missing_register_no: 'register_no',
};

export interface UisDirtyRow {
  diplomaId: number;
  studentId: number;
  kind: UisDirtyKind;
  /** the column that holds the problem */
  field: string;
  /** true when the mapping is expected to clean it up (untidy names); false when the row must be reported */
  fixable: boolean;
  /** for duplicate_serial_no: the (clean) diploma whose serial was reused */
  duplicateOf?: number;
}

export interface UisDecision {
  decisionId: number;
  decisionNo: string;
  decisionDate: string;
  signerName: string;
  signerNationalId: string;
  signerTitle: string;
}

type SqlValue = string | number | null;

export interface UisGraduateRows {
  student: SqlValue[];
  diploma: SqlValue[];
  updatedAt: string;
  dirty: UisDirtyRow | null;
}

export interface RowFactoryOptions {
  decisions: readonly UisDecision[];
  /** Vietnam wall-clock 'YYYY-MM-DDTHH:mm:ss': nothing is dated after it */
  now: string;
  dirtyRate: number;
  legacyRate: number;
  /** offset of the CCCD tails, from the seed */
  cccdOffset: number;
  /** when set, every row's updated_at comes from here (rows added after a sync) */
  updatedAtClock?: () => string;
}

/** Graduation decisions of a university over the years, with the rector or a vice-rector signing. */
export function generateDecisions(rng: SeededRandom, now: string, firstYear = 2017): UisDecision[] {
  const nowMs = parseNaive(now);
  const lastYear = Number(now.slice(0, 4));
  const signer = (title: string): Pick<UisDecision, 'signerName' | 'signerNationalId' | 'signerTitle'> => {
    const sex: Sex = rng.chance(0.3) ? 'female' : 'male';
    const year = rng.int(1962, 1976);
    return { signerName: vietnameseName(rng, sex), signerNationalId: makeCccd(rng.pick(['001', '026', '038', '040', '079']), year, sex, rng.int(0, 999_999)), signerTitle: title };
  };
  const rectors = [signer('Hiệu trưởng'), signer('Hiệu trưởng')];
  const vice = signer('Phó Hiệu trưởng');
  const decisions: UisDecision[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    for (const month of [3, 7, 10, 12]) {
      const day = rng.int(5, 25);
      const ms = Date.UTC(year, month - 1, day);
      const number = rng.int(100, 2999);
      const who = rng.chance(0.25) ? vice : (rectors[year <= 2021 ? 0 : 1] as typeof vice);
      // a decision needs room for the 0–5 days until issue before `now`
      if (ms + 6 * DAY_MS > nowMs) continue;
      decisions.push({ decisionId: decisions.length + 1, decisionNo: `${number}/QĐ-ĐHLT`, decisionDate: formatDay(ms), ...who });
    }
  }
  if (decisions.length === 0) throw new RangeError(`no graduation decision fits before ${now}`);
  return decisions;
}

const GRADUATION_DELAY = weightedTable<number>([
  [0, 70],
  [1, 20],
  [2, 7],
  [4, 3],
]);

export class UisRowFactory {
  private readonly decisionsByYear = new Map<number, UisDecision[]>();
  private readonly years: number[];
  private readonly nowMs: number;
  private dirtyCount = 0;
  /** the last clean diploma: the one a duplicate serial number copies */
  private lastClean: { diplomaId: number; serialNo: string; updatedAt: string } | null = null;

  constructor(
    private readonly rng: SeededRandom,
    private readonly options: RowFactoryOptions,
  ) {
    for (const d of options.decisions) {
      const year = Number(d.decisionDate.slice(0, 4));
      const list = this.decisionsByYear.get(year) ?? [];
      list.push(d);
      this.decisionsByYear.set(year, list);
    }
    this.years = [...this.decisionsByYear.keys()].sort((a, b) => a - b);
    this.nowMs = parseNaive(options.now);
  }

  /** One graduate: a student row and a diploma row, both with id `id`. */
  next(id: number): UisGraduateRows {
    const rng = this.rng;
    const sex: Sex = rng.chance(0.55) ? 'female' : 'male';
    let fullName = vietnameseName(rng, sex);
    const birthYear = rng.int(1995, 2004);
    const birthMs = Date.UTC(birthYear, 0, 1) + rng.int(0, 364) * DAY_MS;
    let birthDate = formatDay(birthMs);
    const place = birthPlace(rng);
    let birthPlaceText = place.text;
    let provinceCode = place.provinceCode;
    let ethnicity = rng.weighted(ETHNICITY_DRAW);
    let gender = sex === 'male' ? 'Nam' : 'Nữ';
    const programme = rng.weighted(PROGRAMME_DRAW);
    let nationalId: string | null = makeCccd(place.provinceCode, birthYear, sex, cccdSerial(id, this.options.cccdOffset));

    const decision = this.decisionFor(birthYear + 22 + rng.weighted(GRADUATION_DELAY));
    const graduationYear = Number(decision.decisionDate.slice(0, 4));
    const admissionYear = graduationYear - (programme.degreeName === 'Bằng Kỹ sư' ? 5 : 4);
    const studentCode = `${String(admissionYear).slice(2)}${String(id).padStart(6, '0')}`;
    const issueMs = Math.min(parseNaive(decision.decisionDate) + rng.int(0, 5) * DAY_MS, this.nowMs);
    const classification = classificationForGpa(Math.min(4, Math.max(2, rng.normal(2.95, 0.38))));
    const status = rng.weighted(STATUS_DRAW);
    let serialNo = `DH${String(graduationYear).slice(2)}${String(id).padStart(7, '0')}`;
    let registerNo: string | null = `VB${graduationYear}-${String(id).padStart(6, '0')}`;
    const diplomaUuid = rng.uuid();
    // entered during office hours on the issue day; revoked/cancelled/corrected ones changed later
    let updatedMs = issueMs + rng.int(8 * 3600, 18 * 3600 - 1) * 1000;
    if (status !== 1) updatedMs += rng.int(30, 400) * DAY_MS;
    // nothing after `now`: a late change lands in the month before it instead
    if (updatedMs > this.nowMs) updatedMs = Math.max(issueMs, this.nowMs - rng.int(0, 30 * 86_400) * 1000);
    let updatedAt = this.options.updatedAtClock ? this.options.updatedAtClock() : formatNaive(updatedMs);

    let dirty: UisDirtyRow | null = null;
    if (rng.chance(this.options.dirtyRate)) {
      let kind = UIS_DIRTY_KINDS[this.dirtyCount++ % UIS_DIRTY_KINDS.length] as UisDirtyKind;
      if (kind === 'duplicate_serial_no' && this.lastClean === null) kind = UIS_DIRTY_KINDS[this.dirtyCount++ % UIS_DIRTY_KINDS.length] as UisDirtyKind;
      dirty = { diplomaId: id, studentId: id, kind, field: DIRTY_FIELD[kind], fixable: kind === 'untidy_name' };
      switch (kind) {
        case 'missing_national_id':
          nationalId = rng.chance(0.7) ? null : '';
          break;
        case 'national_id_mismatch': {
          const id12 = nationalId;
          if (rng.chance(0.5)) {
            // the sex/century digit of the other sex, or of the wrong century
            const right = sexCenturyDigit(birthYear, sex);
            const wrong = rng.chance(0.5) ? right ^ 1 : (right + 2) % 4;
            nationalId = `${id12.slice(0, 3)}${wrong}${id12.slice(4)}`;
          } else {
            const yy = String((birthYear + rng.int(1, 3)) % 100).padStart(2, '0');
            nationalId = `${id12.slice(0, 4)}${yy}${id12.slice(6)}`;
          }
          break;
        }
        case 'national_id_11_digits':
          // the leading zero lost to a spreadsheet that took the id for a number
          nationalId = nationalId.slice(1);
          break;
        case 'impossible_birth_date': {
          const day = rng.pick([30, 31]);
          birthDate = rng.chance(0.6) ? `${day}/02/${birthYear}` : `${birthYear}-02-${day}`;
          break;
        }
        case 'unknown_ethnicity':
          ethnicity = rng.pick(UNKNOWN_ETHNICITIES);
          break;
        case 'unknown_province':
          provinceCode = rng.pick(NONEXISTENT_PROVINCE_CODES);
          break;
        case 'duplicate_serial_no': {
          const original = this.lastClean as { diplomaId: number; serialNo: string; updatedAt: string };
          serialNo = original.serialNo;
          dirty.duplicateOf = original.diplomaId;
          // read after the original (ORDER BY updated_at, diploma_id), so this row is the one flagged
          if (updatedAt < original.updatedAt) updatedAt = original.updatedAt;
          break;
        }
        case 'untidy_name':
          fullName = untidy(rng, fullName);
          break;
        case 'overlong_birth_place': {
          let text = `Thôn ${rng.int(1, 12)}, ${birthPlaceText}`;
          while (text.length <= 260) text += `; nơi đăng ký khai sinh: ${birthPlaceText}`;
          birthPlaceText = text;
          break;
        }
        case 'missing_register_no':
          registerNo = rng.chance(0.7) ? null : '';
          break;
      }
    } else {
      // legacy but valid spellings, which the mapping must understand
      if (rng.chance(this.options.legacyRate)) birthDate = legacyBirthDate(rng, birthDate);
      if (rng.chance(this.options.legacyRate)) gender = rng.pick(GENDER_LEGACY[gender as 'Nam' | 'Nữ']);
      const aliases = ETHNICITY_LEGACY[ethnicity];
      if (aliases && rng.chance(this.options.legacyRate)) ethnicity = rng.pick(aliases);
      if (status === 1) this.lastClean = { diplomaId: id, serialNo, updatedAt };
    }

    return {
      student: [id, studentCode, fullName, birthDate, gender, ethnicity, nationalId, birthPlaceText, provinceCode, place.wardCode, 'VN', programme.programmeId],
      diploma: [id, id, decision.decisionId, serialNo, registerNo, classification, graduationYear, formatDay(issueMs), diplomaUuid, status, updatedAt],
      updatedAt,
      dirty,
    };
  }

  /** a decision of `year`, or of the nearest year that has one */
  private decisionFor(year: number): UisDecision {
    const nearest = this.years.reduce((best, y) => (Math.abs(y - year) < Math.abs(best - year) ? y : best), this.years[0] as number);
    return this.rng.pick(this.decisionsByYear.get(nearest) as UisDecision[]);
  }
}

/** 'YYYY-MM-DD' → 'DD/MM/YYYY' (most), 'MM/YYYY' or 'YYYY' as old records hold it */
function legacyBirthDate(rng: SeededRandom, iso: string): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  const r = rng.next();
  if (r < 0.6) return `${d}/${m}/${y}`;
  if (r < 0.8) return `${m}/${y}`;
  return y;
}

/** Double spaces, decomposed (NFD) letters or stray spaces: fixable by normalisation. */
function untidy(rng: SeededRandom, name: string): string {
  switch (rng.int(0, 2)) {
    case 0:
      return name.replace(' ', '  ');
    case 1:
      // every Vietnamese name here has a letter with a diacritic, so NFD always changes it
      return name.normalize('NFD') === name ? `${name} ` : name.normalize('NFD');
    default:
      return ` ${name}  `;
  }
}

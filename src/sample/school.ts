/**
 * The sample school database: a legacy-flavoured secondary school (THCS or THPT) with its teachers,
 * classes, pupils, subjects per grade (Thông tư 22/2021), raw test scores, the school's own stored
 * averages and results, conduct, homeroom comments, promotion and the earlier years of pupils who
 * came from another school. In SQLite, PostgreSQL or MySQL/MariaDB, for demos, tests and benchmarks.
 *
 *   const manifest = await generateSchoolDatabase({ driver: 'sqlite', path: 'school.sqlite' }, { pupils: 2000, seed: 1 });
 *   manifest.dirty  // every pupil-year made dirty on purpose: its record key, kind and whether the mapping can fix it
 *
 * The same seed always gives the same database. Pupils are generated and written in batches inside
 * transactions, so a large school never sits in memory at once. A job reads it with the dialect's
 * SELECT (`schoolPupilYearQuery`, or the SCHOOL_PUPIL_YEAR_QUERY_* constants), keyed by
 * `enrolment_id` with `updated_at` as the watermark, and maps it with `mappings/hocba-thcsthpt/2025`.
 */
import { isSchoolYear } from '../domain/dates.js';
import { SeededRandom } from '../core/seeded-random.js';
import { cccdSerial, makeCccd } from './cccd.js';
import { parseNaive } from './naive-time.js';
import { openUisDb, type UisDb, type UisTarget } from './uis-db.js';
import { vietnameseName, type Sex } from './vietnamese-names.js';
import { GRADES, LEVEL_CODE, subjectCodes, subjectsForGrade, type SchoolLevel, type SubjectSpec } from './school/catalog.js';
import { makePupilYear, SCHOOL_DIRTY_KINDS, type ClassPlan, type PupilContext, type SchoolDirtyRow, type SqlValue } from './school/rows.js';
import { SCHOOL_COLUMNS, schoolDdl, schoolDropStatements, schoolPupilYearQuery, schoolTableNames, type SchoolDialect, type SchoolTableNames } from './school/schema.js';

export {
  SCHOOL_PUPIL_YEAR_QUERY_MYSQL,
  SCHOOL_PUPIL_YEAR_QUERY_POSTGRES,
  SCHOOL_PUPIL_YEAR_QUERY_SQLITE,
  SCHOOL_COLUMNS,
  schoolPupilYearQuery,
  schoolTableNames,
  type SchoolDialect,
  type SchoolTableNames,
} from './school/schema.js';
export { SCHOOL_DIRTY_FIXABLE, SCHOOL_DIRTY_KINDS, type SchoolDirtyKind, type SchoolDirtyRow } from './school/rows.js';
export { subjectsForGrade, type SchoolLevel, type SubjectSpec } from './school/catalog.js';

/** Where the sample school is written (a table prefix or PostgreSQL schema keeps test runs apart). */
export type SchoolTarget = UisTarget;

export interface SchoolGenerateOptions {
  /** number of pupils (one pupil-year each, in the given school year) */
  pupils: number;
  seed: number;
  /** 'YYYY-YYYY', default '2025-2026' */
  schoolYear?: string;
  /** share of pupil-years made dirty; each gets one kind, the kinds in turn (default 0.02) */
  dirtyRate?: number;
  /** default 'THCS' (grades 6–9); 'THPT' is grades 10–12 */
  level?: SchoolLevel;
  /** pupils per transaction (default 1000) */
  batchSize?: number;
}

export interface SchoolManifest {
  /** pupil-years written (= rows the pupil-year SELECT returns) */
  total: number;
  /** every pupil-year made dirty on purpose */
  dirty: SchoolDirtyRow[];
  level: SchoolLevel;
  schoolCode: string;
  schoolYear: string;
  /** the highest updated_at written */
  maxUpdatedAt: string;
  /** the pupil-year SELECT for this target's database and table names */
  query: string;
  tables: SchoolTableNames;
}

const PUPILS_PER_CLASS = 40;
/** classes one subject teacher takes */
const CLASSES_PER_TEACHER = 6;
/** the subject whose (first non-homeroom) teacher has left, in every sample school: the demo shows KyThay */
export const LEFT_TEACHER_SUBJECT = 'GDP';
/** The sample school sits in Phường Ba Đình, Hà Nội (2025 codes). */
const SCHOOL_PLACE = { masogd: '01', tensogd: 'Sở Giáo dục và Đào tạo Hà Nội', tenxa: 'Phường Ba Đình', tentinh: 'Thành phố Hà Nội', maxa: '00004', matinh: '01', diadanh: 'Hà Nội' };

function teacherId(rng: SeededRandom, serial: number, offset: number): { name: string; nationalId: string } {
  const sex: Sex = rng.chance(0.7) ? 'female' : 'male';
  const year = rng.int(1970, 1998);
  return { name: vietnameseName(rng, sex), nationalId: makeCccd('001', year, sex, cccdSerial(900_000 + serial, offset)) };
}

/** Drops and re-creates the school tables of `target`, then fills them with `pupils` pupils of one school year. */
export async function generateSchoolDatabase(target: SchoolTarget, options: SchoolGenerateOptions): Promise<SchoolManifest> {
  if (!Number.isInteger(options.pupils) || options.pupils < 0) throw new RangeError('pupils must be a whole number ≥ 0');
  const schoolYear = options.schoolYear ?? '2025-2026';
  if (!isSchoolYear(schoolYear)) throw new RangeError('schoolYear must be YYYY-YYYY with consecutive years');
  const startYear = Number(schoolYear.slice(0, 4));
  const level = options.level ?? 'THCS';
  const dirtyRate = options.dirtyRate ?? 0.02;
  const rng = new SeededRandom(options.seed);
  const cccdOffset = rng.int(0, 999_999);

  const db = await openUisDb(target);
  const dialect: SchoolDialect = db.dialect;
  const tables = schoolTableNames(db.naming);
  try {
    for (const sql of schoolDropStatements(db.naming)) await db.exec(sql);
    for (const sql of schoolDdl(dialect, db.naming)) await db.exec(sql);

    // classes: the pupils spread evenly over the grades, at most 40 a class
    const grades = GRADES[level];
    const perGrade = grades.map((_, i) => Math.floor(options.pupils / grades.length) + (i < options.pupils % grades.length ? 1 : 0));
    const classSizes = grades.map((grade, i) => {
      const n = perGrade[i] ?? 0;
      const count = Math.max(1, Math.ceil(n / PUPILS_PER_CLASS));
      return { grade, sizes: Array.from({ length: count }, (_, k) => Math.floor(n / count) + (k < n % count ? 1 : 0)) };
    });
    const classCount = classSizes.reduce((sum, g) => sum + g.sizes.length, 0);

    // teachers: enough per subject for 6 classes each; each class gets a different homeroom teacher
    const teachers: SqlValue[][] = [];
    const teachersOf = new Map<string, number[]>();
    for (const code of subjectCodes(level)) {
      const ids: number[] = [];
      for (let k = 0; k < Math.max(1, Math.ceil(classCount / CLASSES_PER_TEACHER)); k++) {
        const id = teachers.length + 1;
        const t = teacherId(rng, id, cccdOffset);
        teachers.push([id, t.name, t.nationalId, code]);
        ids.push(id);
      }
      teachersOf.set(code, ids);
    }
    const homeroomOrder = teachers.map((t) => Number(t[0]));
    const classes: ClassPlan[] = [];
    for (const { grade, sizes } of classSizes) {
      sizes.forEach((_, k) => {
        const index = classes.length;
        const teacherOf = new Map<string, number>();
        for (const [code, ids] of teachersOf) teacherOf.set(code, ids[index % ids.length] ?? 1);
        classes.push({ classId: index + 1, grade, name: `${grade}A${k + 1}`, homeroomTeacherId: homeroomOrder[(index * 7) % homeroomOrder.length] ?? 1, teacherOf });
      });
    }
    // one teacher has left the school (da_nghi = 1): the principal signs their subject in their place
    // (KyThay). A teacher of LEFT_TEACHER_SUBJECT who is no class's homeroom teacher (those still sign).
    const homerooms = new Set(classes.map((c) => c.homeroomTeacherId));
    const left = (teachersOf.get(LEFT_TEACHER_SUBJECT) ?? []).find((id) => !homerooms.has(id));
    for (const row of teachers) row.push(row[0] === left ? 1 : 0);

    const principal = teacherId(rng, 0, cccdOffset);
    const schoolCode = `${SCHOOL_PLACE.masogd}${SCHOOL_PLACE.maxa}${level === 'THCS' ? '2' : '3'}01`;
    const schoolName = level === 'THCS' ? 'Trường THCS Thực Hành Liên Thông' : 'Trường THPT Thực Hành Liên Thông';
    const subjectsByGrade = new Map<number, SubjectSpec[]>(grades.map((g) => [g, subjectsForGrade(level, g)]));

    await db.begin();
    await db.insert(tables.school, SCHOOL_COLUMNS.school, [[
      schoolCode, schoolName, SCHOOL_PLACE.masogd, SCHOOL_PLACE.tensogd, LEVEL_CODE[level], SCHOOL_PLACE.tenxa, SCHOOL_PLACE.tentinh,
      SCHOOL_PLACE.maxa, SCHOOL_PLACE.matinh, SCHOOL_PLACE.diadanh, principal.name, principal.nationalId, 'Hiệu trưởng',
    ]]);
    await db.insert(tables.teachers, SCHOOL_COLUMNS.teachers, teachers);
    await db.insert(
      tables.subjects,
      SCHOOL_COLUMNS.subjects,
      [...subjectsByGrade].flatMap(([grade, list]) => list.map((x) => [grade, x.code, x.name, x.assessment, x.periods, x.sort])),
    );
    await db.insert(tables.classes, SCHOOL_COLUMNS.classes, classes.map((c) => [c.classId, schoolYear, c.grade, c.name, c.homeroomTeacherId]));
    await db.commit();

    const ctx: PupilContext = { level, startYear, subjectsByGrade, cccdOffset, updatedAtBaseMs: parseNaive(`${startYear + 1}-06-01T08:00:00`) };
    const classOfPupil: ClassPlan[] = classes.flatMap((c) => {
      const sizes = classSizes.find((g) => g.grade === c.grade)?.sizes ?? [];
      const k = Number(c.name.split('A')[1]) - 1;
      return Array.from({ length: sizes[k] ?? 0 }, () => c);
    });
    const dirty: SchoolDirtyRow[] = [];
    let maxUpdatedAt = '';
    const batchSize = options.batchSize ?? 1000;
    for (let start = 1; start <= options.pupils; start += batchSize) {
      const batch = { pupils: [] as SqlValue[][], enrolments: [] as SqlValue[][], scores: [] as SqlValue[][], history: [] as SqlValue[][] };
      for (let id = start; id < start + batchSize && id <= options.pupils; id++) {
        const cls = classOfPupil[id - 1];
        if (cls === undefined) break;
        const kind = rng.chance(dirtyRate) ? (SCHOOL_DIRTY_KINDS[dirty.length % SCHOOL_DIRTY_KINDS.length] ?? null) : null;
        const rows = makePupilYear(rng, ctx, id, cls, kind);
        batch.pupils.push(rows.pupil);
        batch.enrolments.push(rows.enrolment);
        batch.scores.push(...rows.scores);
        batch.history.push(...rows.history);
        if (rows.dirty) dirty.push(rows.dirty);
        const updatedAt = String(rows.enrolment[rows.enrolment.length - 1]);
        if (updatedAt > maxUpdatedAt) maxUpdatedAt = updatedAt;
      }
      await writeBatch(db, tables, batch);
    }
    return { total: options.pupils, dirty, level, schoolCode, schoolYear, maxUpdatedAt, query: schoolPupilYearQuery(dialect, db.naming), tables };
  } finally {
    await db.close();
  }
}

async function writeBatch(db: UisDb, tables: SchoolTableNames, batch: { pupils: SqlValue[][]; enrolments: SqlValue[][]; scores: SqlValue[][]; history: SqlValue[][] }): Promise<void> {
  await db.begin();
  await db.insert(tables.pupils, SCHOOL_COLUMNS.pupils, batch.pupils);
  await db.insert(tables.enrolments, SCHOOL_COLUMNS.enrolments, batch.enrolments);
  await db.insert(tables.scores, SCHOOL_COLUMNS.scores, batch.scores);
  if (batch.history.length > 0) await db.insert(tables.history, SCHOOL_COLUMNS.history, batch.history);
  await db.commit();
}

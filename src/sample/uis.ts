/**
 * The sample university information system (UIS): a legacy-flavoured database of graduates and
 * their diplomas, in SQLite, PostgreSQL or MySQL/MariaDB, for demos, tests and benchmarks.
 *
 *   const manifest = await generateUisDatabase({ driver: 'sqlite', path: 'uis.sqlite' }, { records: 10_000, seed: 1 });
 *   manifest.dirty  // every row made dirty on purpose, with its kind and whether the mapping can fix it
 *
 * The same seed (and `now`) always gives the same database. Rows are generated and written in
 * batches inside transactions, so 200,000 graduates never sit in memory at once.
 */
import { SeededRandom } from '../core/seeded-random.js';
import { formatNaive, parseNaive, vietnamNaive } from './naive-time.js';
import { CLASSIFICATIONS, PROGRAMMES } from './uis-catalog.js';
import { openUisDb, type UisDb, type UisTarget } from './uis-db.js';
import { generateDecisions, UisRowFactory, type UisDecision, type UisDirtyRow } from './uis-rows.js';
import { correctionRowsOf } from './uis-lifecycle.js';
import { UIS_COLUMNS, uisDdl, uisDiplomaQuery, uisDropStatements, type UisTableNames } from './uis-schema.js';
import { uisCurrentDdl, uisCurrentDropStatements } from './uis-current-schema.js';
import { writeCurrentStudents, type CurrentStudentsManifest } from './uis-current.js';

export { UIS_DIPLOMA_QUERY, uisDiplomaQuery, uisTableNames, UIS_COLUMNS } from './uis-schema.js';
export { UIS_DIRTY_KINDS, type UisDirtyKind, type UisDirtyRow } from './uis-rows.js';
export type { UisTarget } from './uis-db.js';
export { UIS_STUDENT_SNAPSHOT_QUERY, uisCourseResultsQuery, uisCurrentTableNames, uisStudentSnapshotQuery } from './uis-current-schema.js';
export { UIS_STUDENT_STATUS, UIS_STUDENT_STATUSES, updateUisStudent, uisStudentCodes, type CurrentStudentsManifest } from './uis-current.js';

/** Default `now`: fixed, so that a seed alone decides the database. Pass the real time for live demos. */
export const DEFAULT_SAMPLE_NOW = '2026-10-01T12:00:00';

export interface UisGenerateOptions {
  /** number of graduates (one student and one diploma each) */
  records: number;
  seed: number;
  /** share of rows made dirty; each dirty row gets one kind, the kinds in turn (default 0.02) */
  dirtyRate?: number;
  /** share of clean rows with legacy-but-valid spellings (DD/MM/YYYY, 'M', 'Khmer'…; default 0.05) */
  legacyRate?: number;
  /** Vietnam wall-clock time ('YYYY-MM-DDTHH:mm:ss') or an instant; nothing is dated later */
  now?: string | Date;
  /** rows per transaction (default 5000) */
  batchSize?: number;
  /** current students (with course results) written beside the graduates (default 60) */
  currentStudents?: number;
}

export interface UisManifest {
  /** diplomas written by this call */
  total: number;
  /** every row made dirty on purpose */
  dirty: UisDirtyRow[];
  /** the highest updated_at written */
  maxUpdatedAt: string;
  /** the diploma SELECT for these tables (with schema or prefix) */
  query: string;
  tables: UisTableNames;
  /** what generateUisDatabase wrote of the current students (absent from addUisDiplomas) */
  currentStudents?: CurrentStudentsManifest;
}

/** Removes the sample UIS of `target`: a PostgreSQL schema whole, else every table (tests clean up with it). */
export async function dropUisDatabase(target: UisTarget): Promise<void> {
  const db = await openUisDb(target);
  try {
    if (db.dialect === 'postgres' && db.naming.schema) await db.exec(`DROP SCHEMA IF EXISTS ${db.naming.schema} CASCADE`);
    else for (const sql of [...uisCurrentDropStatements(db.naming), ...uisDropStatements(db.naming)]) await db.exec(sql);
  } finally {
    await db.close();
  }
}

/** Drops and re-creates the UIS tables of `target`, then fills them with `records` graduates. */
export async function generateUisDatabase(target: UisTarget, options: UisGenerateOptions): Promise<UisManifest> {
  const now = vietnamNaive(options.now ?? DEFAULT_SAMPLE_NOW);
  const db = await openUisDb(target);
  try {
    for (const sql of [...uisCurrentDropStatements(db.naming), ...uisDropStatements(db.naming)]) await db.exec(sql);
    for (const sql of [...uisDdl(db.dialect, db.naming), ...uisCurrentDdl(db.dialect, db.naming)]) await db.exec(sql);
    const decisions = generateDecisions(new SeededRandom(options.seed ^ 0x5eed), now);
    await db.begin();
    await db.insert(
      db.tables.programmes,
      UIS_COLUMNS.programmes,
      PROGRAMMES.map((p) => [p.programmeId, p.programmeCode, p.programmeName, p.degreeName, p.trainingMode, p.gradingScale]),
    );
    await db.insert(db.tables.graduation_decisions, UIS_COLUMNS.graduation_decisions, decisions.map(decisionRow));
    await db.commit();
    const manifest = await writeGraduates(db, 1, options, decisions, now, undefined);
    const current = await writeCurrentStudents(db, { count: options.currentStudents ?? 60, seed: options.seed, now, decisions });
    return { ...manifest, currentStudents: current };
  } finally {
    await db.close();
  }
}

export interface UisAddOptions extends Omit<UisGenerateOptions, 'records'> {
  count: number;
}

/**
 * Adds `count` new graduates after the existing ones. Their updated_at values are later than any
 * in the database (and not before `now`), so the next incremental sync reads exactly these.
 */
export async function addUisDiplomas(target: UisTarget, options: UisAddOptions): Promise<UisManifest> {
  const db = await openUisDb(target);
  try {
    const [stats] = await db.query<{ max_id: number | string | null; max_updated: string | null }>(
      `SELECT MAX(diploma_id) AS max_id, MAX(updated_at) AS max_updated FROM ${db.tables.diplomas}`,
    );
    const firstId = Number(stats?.max_id ?? 0) + 1;
    const decisionRows = await db.query<Record<string, string | number>>(
      `SELECT decision_id, decision_no, decision_date, signer_name, signer_national_id, signer_title FROM ${db.tables.graduation_decisions} ORDER BY decision_id`,
    );
    const decisions: UisDecision[] = decisionRows.map((r) => ({
      decisionId: Number(r.decision_id),
      decisionNo: String(r.decision_no),
      decisionDate: String(r.decision_date),
      signerName: String(r.signer_name),
      signerNationalId: String(r.signer_national_id),
      signerTitle: String(r.signer_title),
    }));
    // new graduates belong to the latest decisions
    const latestYear = decisions.reduce((y, d) => Math.max(y, Number(d.decisionDate.slice(0, 4))), 0);
    const now = vietnamNaive(options.now ?? DEFAULT_SAMPLE_NOW);
    const clock = tickingClock(stats?.max_updated ?? null, now);
    return await writeGraduates(
      db,
      firstId,
      { ...options, records: options.count },
      decisions.filter((d) => Number(d.decisionDate.slice(0, 4)) === latestYear),
      now,
      clock,
    );
  } finally {
    await db.close();
  }
}

export interface UisUpdateOptions {
  count: number;
  seed: number;
  now?: string | Date;
}

export interface UisDiplomaChange {
  diplomaId: number;
  /** the columns changed */
  fields: string[];
  updatedAt: string;
}

/**
 * Changes `count` diplomas (chosen by the seed): a new classification, or a valid diploma marked
 * corrected (4) or revoked (2). Each changed row gets an updated_at later than any before, so an
 * incremental sync re-reads exactly these and sends them with phienban + 1. Only valid values are
 * written: a row that was invalid stays invalid, a valid row stays valid.
 */
export async function updateUisDiplomas(target: UisTarget, options: UisUpdateOptions): Promise<UisDiplomaChange[]> {
  const db = await openUisDb(target);
  try {
    const rows = await db.query<{ diploma_id: number | string; classification: string | null; status: number | string }>(
      `SELECT diploma_id, classification, status FROM ${db.tables.diplomas} ORDER BY diploma_id`,
    );
    const [stats] = await db.query<{ max_updated: string | null }>(`SELECT MAX(updated_at) AS max_updated FROM ${db.tables.diplomas}`);
    const clock = tickingClock(stats?.max_updated ?? null, vietnamNaive(options.now ?? DEFAULT_SAMPLE_NOW));
    const rng = new SeededRandom(options.seed);
    const chosen = sampleIndexes(rng, rows.length, Math.min(options.count, rows.length)).sort((a, b) => a - b);
    const changes: UisDiplomaChange[] = [];
    await db.begin();
    for (const index of chosen) {
      const row = rows[index] as (typeof rows)[number];
      const diplomaId = Number(row.diploma_id);
      const updatedAt = clock();
      const r = rng.next();
      if (Number(row.status) === 1 && r < 0.4) {
        const status = r < 0.25 ? 4 : 2;
        await db.run(`UPDATE ${db.tables.diplomas} SET status = ?, updated_at = ? WHERE diploma_id = ?`, [status, updatedAt, diplomaId]);
        // a correction goes with its decision (uis-lifecycle.ts), signed by the head who signed the diploma
        if (status === 4) await db.run(`INSERT INTO ${db.tables.diploma_corrections} (diploma_id, decision_no, decision_date, signer_name, signer_national_id, signer_title, reason) SELECT d.diploma_id, ?, ?, g.signer_name, g.signer_national_id, g.signer_title, ? FROM ${db.tables.diplomas} d JOIN ${db.tables.graduation_decisions} g ON g.decision_id = d.decision_id WHERE d.diploma_id = ?`, [`${diplomaId}-1/QĐ-HC`, updatedAt.slice(0, 10), 'Hiệu chỉnh thông tin người học', diplomaId]);
        changes.push({ diplomaId, fields: ['status', 'updated_at'], updatedAt });
      } else {
        const classification = rng.pick(CLASSIFICATIONS.filter((c) => c !== row.classification));
        await db.run(`UPDATE ${db.tables.diplomas} SET classification = ?, updated_at = ? WHERE diploma_id = ?`, [
          classification,
          updatedAt,
          diplomaId,
        ]);
        changes.push({ diplomaId, fields: ['classification', 'updated_at'], updatedAt });
      }
    }
    await db.commit();
    return changes;
  } finally {
    await db.close();
  }
}

async function writeGraduates(
  db: UisDb,
  firstId: number,
  options: UisGenerateOptions,
  decisions: readonly UisDecision[],
  now: string,
  clock: (() => string) | undefined,
): Promise<UisManifest> {
  if (!Number.isInteger(options.records) || options.records < 0) throw new RangeError('records must be a whole number ≥ 0');
  const rng = new SeededRandom(options.seed);
  const factory = new UisRowFactory(rng, {
    decisions,
    now,
    dirtyRate: options.dirtyRate ?? 0.02,
    legacyRate: options.legacyRate ?? 0.05,
    cccdOffset: rng.int(0, 999_999),
    ...(clock ? { updatedAtClock: clock } : {}),
  });
  const batchSize = options.batchSize ?? 5000;
  const dirty: UisDirtyRow[] = [];
  let maxUpdatedAt = '';
  const lastId = firstId + options.records - 1;
  for (let start = firstId; start <= lastId; start += batchSize) {
    const students: (string | number | null)[][] = [];
    const diplomas: (string | number | null)[][] = [];
    for (let id = start; id < start + batchSize && id <= lastId; id++) {
      const g = factory.next(id);
      students.push(g.student);
      diplomas.push(g.diploma);
      if (g.dirty) dirty.push(g.dirty);
      if (g.updatedAt > maxUpdatedAt) maxUpdatedAt = g.updatedAt;
    }
    await db.begin();
    await db.insert(db.tables.students, UIS_COLUMNS.students, students);
    await db.insert(db.tables.diplomas, UIS_COLUMNS.diplomas, diplomas);
    // every corrected diploma has its correction decision (uis-lifecycle.ts)
    const corrections = correctionRowsOf(diplomas, decisions);
    if (corrections.length > 0) await db.insert(db.tables.diploma_corrections, UIS_COLUMNS.diploma_corrections, corrections);
    await db.commit();
  }
  return { total: options.records, dirty, maxUpdatedAt, query: uisDiplomaQuery(db.naming), tables: db.tables };
}

function decisionRow(d: UisDecision): (string | number)[] {
  return [d.decisionId, d.decisionNo, d.decisionDate, d.signerName, d.signerNationalId, d.signerTitle];
}

/** Strictly increasing timestamps, one second apart, starting after `after` and not before `now`. */
function tickingClock(after: string | null, now: string): () => string {
  let ms = Math.max(parseNaive(now), after ? parseNaive(after) + 1000 : 0);
  return () => {
    const value = formatNaive(ms);
    ms += 1000;
    return value;
  };
}

/** `count` distinct indexes below `n` (partial Fisher–Yates over a sparse map). */
function sampleIndexes(rng: SeededRandom, n: number, count: number): number[] {
  const swapped = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const j = rng.int(i, n - 1);
    const atJ = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    out.push(atJ);
  }
  return out;
}

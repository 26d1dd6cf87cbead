/** The tables of the sample UIS and the diploma SELECT the job reads (docs/architecture.md#demo-and-sample-data). */

export type UisDialect = 'sqlite' | 'postgres' | 'mysql';

export interface UisTableNames {
  students: string;
  programmes: string;
  graduation_decisions: string;
  diplomas: string;
  /** the decision of each corrected diploma (status 4) */
  diploma_corrections: string;
  /** reissues of lost diplomas: the serial number each replaced */
  diploma_reissues: string;
}

export interface UisNaming {
  /** PostgreSQL schema or MySQL database holding the tables */
  schema?: string | undefined;
  /** a prefix for every table name, e.g. 'uis_' */
  prefix?: string | undefined;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Table names, qualified and checked (they are spliced into SQL, so only plain identifiers pass). */
export function uisTableNames(naming: UisNaming = {}): UisTableNames {
  const prefix = naming.prefix ?? '';
  if (prefix !== '' && !IDENT.test(prefix)) throw new RangeError(`table prefix must be a plain identifier: ${prefix}`);
  if (naming.schema !== undefined && !IDENT.test(naming.schema)) throw new RangeError(`schema must be a plain identifier: ${naming.schema}`);
  const q = (table: string): string => (naming.schema ? `${naming.schema}.${prefix}${table}` : `${prefix}${table}`);
  return {
    students: q('students'),
    programmes: q('programmes'),
    graduation_decisions: q('graduation_decisions'),
    diplomas: q('diplomas'),
    diploma_corrections: q('diploma_corrections'),
    diploma_reissues: q('diploma_reissues'),
  };
}

/** The diploma SELECT for tables named with `naming`; `:watermark` is bound by the sql connector. */
export function uisDiplomaQuery(naming: UisNaming = {}): string {
  const t = uisTableNames(naming);
  return `SELECT d.diploma_id, d.updated_at, s.student_code, s.full_name, s.birth_date, s.gender, s.ethnicity,
       s.national_id, s.birth_place, s.birth_province_code, s.birth_ward_code, s.nationality,
       p.programme_name, p.degree_name, p.training_mode, d.classification, d.graduation_year,
       g.decision_no, g.decision_date, d.serial_no, d.register_no, d.issue_date, d.diploma_uuid,
       g.signer_name, g.signer_national_id, g.signer_title, d.status,
       c.decision_no AS correction_decision_no, c.decision_date AS correction_decision_date,
       c.signer_name AS correction_signer_name, c.signer_national_id AS correction_signer_national_id,
       c.signer_title AS correction_signer_title, c.reason AS correction_reason, r.original_serial_no
FROM ${t.diplomas} d JOIN ${t.students} s ON s.student_id = d.student_id
JOIN ${t.programmes} p ON p.programme_id = s.programme_id
JOIN ${t.graduation_decisions} g ON g.decision_id = d.decision_id
LEFT JOIN ${t.diploma_corrections} c ON c.diploma_id = d.diploma_id
LEFT JOIN ${t.diploma_reissues} r ON r.diploma_id = d.diploma_id
WHERE d.updated_at > :watermark ORDER BY d.updated_at, d.diploma_id`;
}

/** The diploma SELECT of the default (unprefixed) sample database, for job definitions. */
export const UIS_DIPLOMA_QUERY = uisDiplomaQuery();

/** Column lists in insert order. */
export const UIS_COLUMNS = {
  programmes: ['programme_id', 'programme_code', 'programme_name', 'degree_name', 'training_mode', 'grading_scale'],
  graduation_decisions: ['decision_id', 'decision_no', 'decision_date', 'signer_name', 'signer_national_id', 'signer_title'],
  students: [
    'student_id',
    'student_code',
    'full_name',
    'birth_date',
    'gender',
    'ethnicity',
    'national_id',
    'birth_place',
    'birth_province_code',
    'birth_ward_code',
    'nationality',
    'programme_id',
  ],
  diplomas: [
    'diploma_id',
    'student_id',
    'decision_id',
    'serial_no',
    'register_no',
    'classification',
    'graduation_year',
    'issue_date',
    'diploma_uuid',
    'status',
    'updated_at',
  ],
  diploma_corrections: ['diploma_id', 'decision_no', 'decision_date', 'signer_name', 'signer_national_id', 'signer_title', 'reason'],
  diploma_reissues: ['diploma_id', 'original_serial_no', 'reason'],
} as const;

/** CREATE TABLE statements. Text is TEXT (VARCHAR with utf8mb4 on MySQL, which cannot index TEXT). */
export function uisDdl(dialect: UisDialect, naming: UisNaming = {}): string[] {
  const t = uisTableNames(naming);
  const v = (n: number): string => (dialect === 'mysql' ? `VARCHAR(${n})` : 'TEXT');
  const tail = dialect === 'mysql' ? ' DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' : '';
  const indexName = (name: string): string => `${(naming.prefix ?? '') + name}`;
  return [
    `CREATE TABLE ${t.programmes} (programme_id INTEGER PRIMARY KEY, programme_code ${v(32)}, programme_name ${v(255)},
      degree_name ${v(255)}, training_mode ${v(100)}, grading_scale ${v(10)})${tail}`,
    `CREATE TABLE ${t.graduation_decisions} (decision_id INTEGER PRIMARY KEY, decision_no ${v(64)}, decision_date ${v(32)},
      signer_name ${v(255)}, signer_national_id ${v(32)}, signer_title ${v(100)})${tail}`,
    `CREATE TABLE ${t.students} (student_id INTEGER PRIMARY KEY, student_code ${v(32)}, full_name ${v(255)}, birth_date ${v(32)},
      gender ${v(16)}, ethnicity ${v(64)}, national_id ${v(32)}, birth_place TEXT, birth_province_code ${v(8)},
      birth_ward_code ${v(8)}, nationality ${v(8)}, programme_id INTEGER)${tail}`,
    `CREATE TABLE ${t.diplomas} (diploma_id INTEGER PRIMARY KEY, student_id INTEGER, decision_id INTEGER, serial_no ${v(64)},
      register_no ${v(64)}, classification ${v(32)}, graduation_year INTEGER, issue_date ${v(32)}, diploma_uuid ${v(36)},
      status INTEGER, updated_at ${v(19)})${tail}`,
    `CREATE INDEX ${indexName('diplomas_updated_at')} ON ${t.diplomas} (updated_at, diploma_id)`,
    `CREATE TABLE ${t.diploma_corrections} (diploma_id INTEGER PRIMARY KEY, decision_no ${v(64)}, decision_date ${v(32)},
      signer_name ${v(255)}, signer_national_id ${v(32)}, signer_title ${v(100)}, reason ${v(255)})${tail}`,
    `CREATE TABLE ${t.diploma_reissues} (diploma_id INTEGER PRIMARY KEY, original_serial_no ${v(64)}, reason ${v(255)})${tail}`,
  ];
}

export function uisDropStatements(naming: UisNaming = {}): string[] {
  const t = uisTableNames(naming);
  return [t.diploma_reissues, t.diploma_corrections, t.diplomas, t.students, t.graduation_decisions, t.programmes].map((name) => `DROP TABLE IF EXISTS ${name}`);
}

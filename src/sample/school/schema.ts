/**
 * The tables of the sample school database and the pupil-year SELECT a học bạ job reads.
 *
 * The tables use the short Vietnamese names a legacy school management system would (`dm_` for
 * catalogues, `hs_` for pupil data); the SELECT renames the columns to the names the mapping
 * `mappings/hocba-thcsthpt/2025` reads, so another school system only needs its own SELECT.
 *
 * The SELECT streams ONE ROW PER PUPIL-YEAR: the subjects with their raw scores, and the earlier
 * years, are aggregated into JSON text columns (`subjects_json`, `history_json`) by correlated
 * subqueries, so the two lists never multiply each other and the sql source reads one row per
 * record. The JSON functions differ per database, hence one query per dialect.
 */
import type { UisDialect, UisNaming } from '../uis-schema.js';

export type SchoolDialect = UisDialect;
export type SchoolNaming = UisNaming;

export interface SchoolTableNames {
  school: string;
  teachers: string;
  subjects: string;
  classes: string;
  pupils: string;
  enrolments: string;
  scores: string;
  history: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Table names, qualified and checked (they are spliced into SQL, so only plain identifiers pass). */
export function schoolTableNames(naming: SchoolNaming = {}): SchoolTableNames {
  const prefix = naming.prefix ?? '';
  if (prefix !== '' && !IDENT.test(prefix)) throw new RangeError(`table prefix must be a plain identifier: ${prefix}`);
  if (naming.schema !== undefined && !IDENT.test(naming.schema)) throw new RangeError(`schema must be a plain identifier: ${naming.schema}`);
  const q = (table: string): string => (naming.schema ? `${naming.schema}.${prefix}${table}` : `${prefix}${table}`);
  return {
    school: q('dm_truong'),
    teachers: q('dm_giao_vien'),
    subjects: q('dm_mon_hoc'),
    classes: q('dm_lop'),
    pupils: q('hs_hoc_sinh'),
    enrolments: q('hs_lop_nam'),
    scores: q('hs_diem'),
    history: q('hs_qua_trinh'),
  };
}

/** Raw score columns of one subject row: up to 4 regular tests (ĐĐGtx), mid-term, end of term, per term. */
export const RAW_SCORE_COLUMNS = [
  'hk1_tx1', 'hk1_tx2', 'hk1_tx3', 'hk1_tx4', 'hk1_gk', 'hk1_ck',
  'hk2_tx1', 'hk2_tx2', 'hk2_tx3', 'hk2_tx4', 'hk2_gk', 'hk2_ck',
] as const;

/** Column lists in insert order. */
export const SCHOOL_COLUMNS = {
  school: [
    'ma_truong', 'ten_truong', 'ma_so', 'ten_so', 'ma_cap_hoc', 'ten_xa', 'ten_tinh', 'ma_xa', 'ma_tinh', 'dia_danh',
    'ten_hieu_truong', 'cccd_hieu_truong', 'chuc_vu_hieu_truong',
  ],
  teachers: ['gv_id', 'ho_ten', 'so_cccd', 'ma_mon', 'da_nghi'],
  subjects: ['khoi', 'ma_mon', 'ten_mon', 'hinh_thuc', 'so_tiet', 'thu_tu'],
  classes: ['lop_id', 'nam_hoc', 'khoi', 'ten_lop', 'gvcn_id'],
  pupils: [
    'hs_id', 'ma_hs', 'ho_ten', 'ngay_sinh', 'gioi_tinh', 'dan_toc', 'quoc_tich', 'so_cccd', 'noi_sinh', 'ma_tinh_ns',
    'ma_xa_ns', 'que_quan', 'dia_chi', 'ma_tinh_dc', 'ma_xa_dc', 'ho_ten_cha', 'nghe_cha', 'ho_ten_me', 'nghe_me', 'so_dang_bo',
  ],
  enrolments: [
    'hsl_id', 'hs_id', 'lop_id', 'nam_hoc', 'hl_hk1', 'hl_hk2', 'hl_cn', 'rl_hk1', 'rl_hk2', 'rl_cn', 'so_buoi_nghi',
    'len_lop', 'nd_len_lop', 'khen_thuong', 'nhan_xet_gvcn', 'khuyet_tat', 'trang_thai', 'ngay_ky', 'ngay_tao', 'updated_at',
  ],
  scores: [
    'hsl_id', 'ma_mon', 'gv_id', 'mien', ...RAW_SCORE_COLUMNS, 'hk1_nx', 'hk2_nx', 'tb_hk1', 'tb_hk2', 'tb_cn', 'nhan_xet',
  ],
  history: ['hs_id', 'nam_hoc', 'ten_lop', 'ten_truong', 'ten_tinh', 'ngay_chuyen_den'],
} as const;

/** CREATE TABLE statements. Text is TEXT (VARCHAR with utf8mb4 on MySQL, which cannot index TEXT). */
export function schoolDdl(dialect: SchoolDialect, naming: SchoolNaming = {}): string[] {
  const t = schoolTableNames(naming);
  const v = (n: number): string => (dialect === 'mysql' ? `VARCHAR(${n})` : 'TEXT');
  const tail = dialect === 'mysql' ? ' DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci' : '';
  const indexName = (name: string): string => `${naming.prefix ?? ''}${name}`;
  const raw = RAW_SCORE_COLUMNS.map((c) => `${c} ${v(8)}`).join(', ');
  return [
    `CREATE TABLE ${t.school} (ma_truong ${v(20)} PRIMARY KEY, ten_truong ${v(150)}, ma_so ${v(2)}, ten_so ${v(150)},
      ma_cap_hoc ${v(2)}, ten_xa ${v(150)}, ten_tinh ${v(150)}, ma_xa ${v(5)}, ma_tinh ${v(2)}, dia_danh ${v(150)},
      ten_hieu_truong ${v(150)}, cccd_hieu_truong ${v(16)}, chuc_vu_hieu_truong ${v(150)})${tail}`,
    `CREATE TABLE ${t.teachers} (gv_id INTEGER PRIMARY KEY, ho_ten ${v(150)}, so_cccd ${v(16)}, ma_mon ${v(3)}, da_nghi INTEGER)${tail}`,
    `CREATE TABLE ${t.subjects} (khoi INTEGER, ma_mon ${v(3)}, ten_mon ${v(50)}, hinh_thuc ${v(10)}, so_tiet INTEGER,
      thu_tu INTEGER, PRIMARY KEY (khoi, ma_mon))${tail}`,
    `CREATE TABLE ${t.classes} (lop_id INTEGER PRIMARY KEY, nam_hoc ${v(9)}, khoi INTEGER, ten_lop ${v(10)}, gvcn_id INTEGER)${tail}`,
    `CREATE TABLE ${t.pupils} (hs_id INTEGER PRIMARY KEY, ma_hs ${v(20)}, ho_ten ${v(150)}, ngay_sinh ${v(32)}, gioi_tinh ${v(8)},
      dan_toc ${v(64)}, quoc_tich ${v(8)}, so_cccd ${v(16)}, noi_sinh ${v(250)}, ma_tinh_ns ${v(4)}, ma_xa_ns ${v(8)},
      que_quan ${v(250)}, dia_chi ${v(250)}, ma_tinh_dc ${v(4)}, ma_xa_dc ${v(8)}, ho_ten_cha ${v(150)}, nghe_cha ${v(150)},
      ho_ten_me ${v(150)}, nghe_me ${v(150)}, so_dang_bo ${v(50)})${tail}`,
    `CREATE TABLE ${t.enrolments} (hsl_id INTEGER PRIMARY KEY, hs_id INTEGER, lop_id INTEGER, nam_hoc ${v(9)},
      hl_hk1 ${v(4)}, hl_hk2 ${v(4)}, hl_cn ${v(4)}, rl_hk1 ${v(4)}, rl_hk2 ${v(4)}, rl_cn ${v(4)}, so_buoi_nghi INTEGER,
      len_lop INTEGER, nd_len_lop ${v(150)}, khen_thuong ${v(500)}, nhan_xet_gvcn ${v(2000)}, khuyet_tat INTEGER,
      trang_thai INTEGER, ngay_ky ${v(10)}, ngay_tao ${v(10)}, updated_at ${v(19)})${tail}`,
    `CREATE TABLE ${t.scores} (hsl_id INTEGER, ma_mon ${v(3)}, gv_id INTEGER, mien INTEGER, ${raw},
      hk1_nx ${v(4)}, hk2_nx ${v(4)}, tb_hk1 ${v(8)}, tb_hk2 ${v(8)}, tb_cn ${v(8)}, nhan_xet ${v(500)},
      PRIMARY KEY (hsl_id, ma_mon))${tail}`,
    `CREATE TABLE ${t.history} (hs_id INTEGER, nam_hoc ${v(9)}, ten_lop ${v(20)}, ten_truong ${v(250)}, ten_tinh ${v(150)},
      ngay_chuyen_den ${v(10)}, PRIMARY KEY (hs_id, nam_hoc))${tail}`,
    `CREATE INDEX ${indexName('hs_lop_nam_updated_at')} ON ${t.enrolments} (updated_at, hsl_id)`,
  ];
}

export function schoolDropStatements(naming: SchoolNaming = {}): string[] {
  const t = schoolTableNames(naming);
  return [t.history, t.scores, t.enrolments, t.pupils, t.classes, t.subjects, t.teachers, t.school].map((name) => `DROP TABLE IF EXISTS ${name}`);
}

/** The keys of one element of `subjects_json`, each with the SQL expression it comes from. */
const SUBJECT_JSON_FIELDS: ReadonlyArray<readonly [key: string, expr: string]> = [
  ['code', 'd.ma_mon'],
  ['name', 'm.ten_mon'],
  ['sort', 'm.thu_tu'],
  ['assessment', 'm.hinh_thuc'],
  ['periods', 'm.so_tiet'],
  ['exempt', 'd.mien'],
  ['teacher_name', 'g.ho_ten'],
  ['teacher_national_id', 'g.so_cccd'],
  // 1: the teacher has left the school; the principal signs the subject (KyThay)
  ['teacher_left', 'g.da_nghi'],
  ...RAW_SCORE_COLUMNS.map((c) => [c, `d.${c}`] as const),
  ['hk1_comment', 'd.hk1_nx'],
  ['hk2_comment', 'd.hk2_nx'],
  ['stored_hk1', 'd.tb_hk1'],
  ['stored_hk2', 'd.tb_hk2'],
  ['stored_year', 'd.tb_cn'],
  ['remark', 'd.nhan_xet'],
];

const HISTORY_JSON_FIELDS: ReadonlyArray<readonly [key: string, expr: string]> = [
  ['school_year', 'q.nam_hoc'],
  ['class_name', 'q.ten_lop'],
  ['school_name', 'q.ten_truong'],
  ['province_name', 'q.ten_tinh'],
  ['transfer_date', 'q.ngay_chuyen_den'],
];

const pairs = (fields: ReadonlyArray<readonly [string, string]>): string => fields.map(([k, e]) => `'${k}', ${e}`).join(', ');

/** Per dialect: a JSON array (as text, '[]' when empty) of one JSON object per joined row. */
function jsonArrayText(dialect: SchoolDialect, fields: ReadonlyArray<readonly [string, string]>, orderBy: string): string {
  switch (dialect) {
    case 'sqlite':
      // json_group_array keeps the order of the rows it is fed; the mapping sorts by `sort` anyway
      return `COALESCE(json_group_array(json_object(${pairs(fields)})), '[]')`;
    case 'postgres':
      return `COALESCE(json_agg(json_build_object(${pairs(fields)}) ORDER BY ${orderBy})::text, '[]')`;
    case 'mysql':
      // MySQL's JSON_ARRAYAGG has no ORDER BY (MariaDB's has); the JSON type is cast to text
      return `COALESCE(CAST(JSON_ARRAYAGG(JSON_OBJECT(${pairs(fields)})) AS CHAR), '[]')`;
  }
}

/**
 * The pupil-year SELECT for a dialect and table naming: one row per pupil and school year, keyed
 * by `enrolment_id`, with `updated_at` as the watermark (`:watermark` is bound by the sql source).
 * The school touches `hs_lop_nam.updated_at` whenever a score of that pupil-year changes.
 */
export function schoolPupilYearQuery(dialect: SchoolDialect, naming: SchoolNaming = {}): string {
  const t = schoolTableNames(naming);
  const subjects = jsonArrayText(dialect, SUBJECT_JSON_FIELDS, 'm.thu_tu');
  const history = jsonArrayText(dialect, HISTORY_JSON_FIELDS, 'q.nam_hoc');
  return `SELECT e.hsl_id AS enrolment_id, e.updated_at, e.trang_thai AS record_status, e.nam_hoc AS school_year,
       tr.ma_truong AS school_code, tr.ten_truong AS school_name, tr.ma_so AS dept_code, tr.ten_so AS dept_name,
       tr.ma_cap_hoc AS school_level_code, tr.ten_xa AS school_ward_name, tr.ten_tinh AS school_province_name,
       tr.ma_xa AS school_ward_code, tr.ma_tinh AS school_province_code, tr.dia_danh AS issue_place,
       tr.ten_hieu_truong AS principal_name, tr.cccd_hieu_truong AS principal_national_id, tr.chuc_vu_hieu_truong AS principal_title,
       e.ngay_ky AS issue_date, e.ngay_tao AS created_date,
       h.ma_hs AS pupil_code, h.ho_ten AS full_name, h.so_cccd AS national_id, h.gioi_tinh AS gender, h.ngay_sinh AS birth_date,
       h.noi_sinh AS birth_place, h.ma_tinh_ns AS birth_province_code, h.ma_xa_ns AS birth_ward_code, h.que_quan AS hometown,
       h.dia_chi AS address, h.ma_tinh_dc AS address_province_code, h.ma_xa_dc AS address_ward_code,
       h.dan_toc AS ethnicity, h.quoc_tich AS nationality, e.khuyet_tat AS disabled_not_assessed,
       h.ho_ten_cha AS father_name, h.nghe_cha AS father_job, h.ho_ten_me AS mother_name, h.nghe_me AS mother_job,
       h.so_dang_bo AS register_no, gv.ho_ten AS homeroom_name, gv.so_cccd AS homeroom_national_id,
       l.khoi AS grade, l.ten_lop AS class_name,
       e.rl_hk1 AS conduct_hk1, e.rl_hk2 AS conduct_hk2, e.rl_cn AS conduct_year,
       e.hl_hk1 AS result_hk1, e.hl_hk2 AS result_hk2, e.hl_cn AS result_year,
       e.so_buoi_nghi AS absences, e.len_lop AS promoted, e.nd_len_lop AS promotion_text, e.khen_thuong AS awards,
       e.nhan_xet_gvcn AS homeroom_comment,
       (SELECT ${subjects} FROM ${t.scores} d JOIN ${t.subjects} m ON m.khoi = l.khoi AND m.ma_mon = d.ma_mon
          LEFT JOIN ${t.teachers} g ON g.gv_id = d.gv_id WHERE d.hsl_id = e.hsl_id) AS subjects_json,
       (SELECT ${history} FROM ${t.history} q WHERE q.hs_id = e.hs_id) AS history_json
FROM ${t.enrolments} e
JOIN ${t.pupils} h ON h.hs_id = e.hs_id
JOIN ${t.classes} l ON l.lop_id = e.lop_id
LEFT JOIN ${t.teachers} gv ON gv.gv_id = l.gvcn_id
CROSS JOIN ${t.school} tr
WHERE e.updated_at > :watermark
ORDER BY e.updated_at, e.hsl_id`;
}

/** The pupil-year SELECT of the default (unprefixed) sample database, per dialect, for job definitions. */
export const SCHOOL_PUPIL_YEAR_QUERY_SQLITE = schoolPupilYearQuery('sqlite');
export const SCHOOL_PUPIL_YEAR_QUERY_POSTGRES = schoolPupilYearQuery('postgres');
export const SCHOOL_PUPIL_YEAR_QUERY_MYSQL = schoolPupilYearQuery('mysql');

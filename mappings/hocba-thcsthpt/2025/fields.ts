/**
 * The field table of the school pupil-year → `thongtinsohocbasothcsthpt` mapping: one line per
 * target field, read as "target ← source column, through transform". To adapt the mapping to
 * another school system, alias the columns in the job's SELECT (see the README) or change the
 * `from` column names here. The subject list, the computed results and the earlier years are
 * built in subjects.ts and history.ts from the JSON columns.
 *
 * `from: { column }`   a column of the SELECT
 * `from: { column, fallback: { option, default } }`   the column, or where it is empty the option
 * `from: { option }`   a constant from the job's mapping options
 */
import {
  type Outcome,
  count,
  ethnicity,
  flag,
  fullDate,
  gender,
  grade,
  idNumber,
  level,
  nationality,
  partialDate,
  personName,
  recordStatus,
  schoolLevel,
  schoolYear,
  text,
} from './transforms.js';

export type Source = { column: string; fallback?: { option: string; default: string | number } } | { option: string; default: string | number };

export interface FieldRule {
  /** the target field (for the birth-date trio, the day field; errors are reported on it) */
  to: string;
  from: Source;
  via: (field: string, value: unknown) => Outcome;
}

const col = (column: string): Source => ({ column });
const opt = (option: string, fallback: string | number): Source => ({ option, default: fallback });
const colOrOpt = (column: string, option: string, fallback: string | number): Source => ({ column, fallback: { option, default: fallback } });

const birthDate = partialDate({ day: 'ngaythangnamsinh', month: 'thangnamsinh', year: 'namsinh' });

export const FIELD_TABLE: readonly FieldRule[] = [
  // record
  { to: 'trangthaithongtinhocba', from: col('record_status'), via: recordStatus },
  // per record (a school digitises some paper records, not all); the job option is the default for a source without the column
  { to: 'trichluc', from: colOrOpt('digitised_from_paper', 'trichluc', 0), via: flag },
  { to: 'phienbanthongtinhocba', from: opt('phienbanthongtinhocba', '1'), via: text },
  { to: 'thongtu', from: opt('thongtu', '22/2021/TT-BGDĐT'), via: text },
  { to: 'namhoc', from: col('school_year'), via: schoolYear },
  // school
  { to: 'masogd', from: col('dept_code'), via: text },
  { to: 'tensogd', from: col('dept_name'), via: text },
  { to: 'matruong', from: col('school_code'), via: text },
  { to: 'tentruong', from: col('school_name'), via: text },
  { to: 'thongtintruong_diachi_tenxa', from: col('school_ward_name'), via: text },
  { to: 'thongtintruong_diachi_tentinh', from: col('school_province_name'), via: text },
  // thongtintruong_diachi_matinh / _maxa: from school_province_code + school_ward_code (ADDRESS_RULES)
  { to: 'macaphoc', from: col('school_level_code'), via: schoolLevel },
  { to: 'sosodangbo', from: col('register_no'), via: text },
  // pupil
  { to: 'hovaten', from: col('full_name'), via: personName },
  { to: 'sodinhdanh', from: col('national_id'), via: idNumber },
  { to: 'mahocsinh', from: col('pupil_code'), via: text },
  { to: 'gioitinh', from: col('gender'), via: gender },
  { to: 'ngaythangnamsinh', from: col('birth_date'), via: birthDate },
  { to: 'noisinh_diachichitiet', from: col('birth_place'), via: text },
  { to: 'quequan_diachichitiet', from: col('hometown'), via: text },
  { to: 'noiohiennay_diachichitiet', from: col('address'), via: text },
  { to: 'dantoc', from: col('ethnicity'), via: ethnicity },
  { to: 'quoctich', from: col('nationality'), via: nationality },
  { to: 'cokhuyettatkhongdanhgia', from: col('disabled_not_assessed'), via: flag },
  { to: 'hotencha', from: col('father_name'), via: personName },
  { to: 'nghenghiepcha', from: col('father_job'), via: text },
  { to: 'hotenme', from: col('mother_name'), via: personName },
  { to: 'nghenghiepme', from: col('mother_job'), via: text },
  // signers and issue
  { to: 'tengiamhieu', from: col('principal_name'), via: personName },
  { to: 'soddcngiamhieu', from: col('principal_national_id'), via: idNumber },
  { to: 'chucvugiamhieu', from: col('principal_title'), via: text },
  { to: 'diadanhphathanh', from: col('issue_place'), via: text },
  { to: 'ngaykyphathanh', from: col('issue_date'), via: fullDate },
  { to: 'ngaytao', from: col('created_date'), via: fullDate },
  { to: 'tengvcn', from: col('homeroom_name'), via: personName },
  { to: 'soddcngvcn', from: col('homeroom_national_id'), via: idNumber },
  // class and year results (hocky1 / hocky2 / canam are computed: subjects.ts)
  { to: 'makhoi', from: col('grade'), via: grade },
  { to: 'tenlop', from: col('class_name'), via: text },
  { to: 'renluyenhocky1', from: col('conduct_hk1'), via: level },
  { to: 'renluyenhocky2', from: col('conduct_hk2'), via: level },
  { to: 'renluyencanam', from: col('conduct_year'), via: level },
  { to: 'sobuoinghi', from: col('absences'), via: count },
  { to: 'duoclenlop', from: col('promoted'), via: flag },
  { to: 'ndungduoclenlop', from: col('promotion_text'), via: text },
  { to: 'ndungkhenthuong', from: col('awards'), via: text },
  { to: 'nxetgvcn', from: col('homeroom_comment'), via: text },
];

/** Address code pairs: target prefix ← (province column, ward column), and the code set they use. */
export const ADDRESS_RULES = [
  { prefix: 'thongtintruong_diachi', province: 'school_province_code', ward: 'school_ward_code', codeSet: '2025' },
  { prefix: 'noisinh', province: 'birth_province_code', ward: 'birth_ward_code', codeSet: 'source' },
  { prefix: 'noiohiennay', province: 'address_province_code', ward: 'address_ward_code', codeSet: 'source' },
] as const;

/** The school's stored learning results, compared with the computed ones. */
export const STORED_RESULT_COLUMNS = { hocky1: 'result_hk1', hocky2: 'result_hk2', canam: 'result_year' } as const;
/** JSON text columns: the subjects with raw scores (subjects.ts) and the earlier years (history.ts). */
export const SUBJECTS_COLUMN = 'subjects_json';
export const HISTORY_COLUMN = 'history_json';
/** Source column of the birth date (also checked against the personal id). */
export const BIRTH_DATE_COLUMN = 'birth_date';
/** Source column of the change time (thoigiancapnhat). */
export const UPDATED_AT_COLUMN = 'updated_at';

/** Person names checked for legacy-encoding damage (TEXT_MOJIBAKE); subject teachers are checked in subjects.ts. */
export const NAME_FIELDS = ['hovaten', 'hotencha', 'hotenme', 'tengiamhieu', 'tengvcn'] as const;
/** Personal ids of signers: structure only (no birth date to compare with). */
export const SIGNER_ID_FIELDS = ['soddcngiamhieu', 'soddcngvcn'] as const;

/**
 * Every source column the mapping reads (Mapping.columns): a run probes the query's result columns
 * against this list before anything is sent. `required`: without the column no record can map (each
 * would be held back for the same reason); `optional`: the mapping does without it (an empty flag is
 * 0, a missing school code is the unit's code, no stored result means nothing to compare). A test
 * reads every clean golden row through a Proxy and checks that this list is exactly what is read,
 * and that removing a required column fails the row and removing an optional one does not.
 */
export const SOURCE_COLUMNS = {
  required: [
    'updated_at',
    'school_year',
    'dept_code',
    'dept_name',
    'school_name',
    'school_ward_name',
    'school_province_name',
    'school_province_code',
    'school_level_code',
    'issue_place',
    'issue_date',
    'created_date',
    'principal_name',
    'principal_national_id',
    'principal_title',
    'pupil_code',
    'full_name',
    'national_id',
    'gender',
    'birth_place',
    'birth_province_code',
    'hometown',
    'address',
    'address_province_code',
    'ethnicity',
    'nationality',
    'homeroom_name',
    'homeroom_comment',
    'grade',
    'class_name',
    'conduct_hk1',
    'conduct_hk2',
    'conduct_year',
    'promotion_text',
    SUBJECTS_COLUMN,
  ],
  optional: [
    'record_status',
    'school_code',
    'school_ward_code',
    'register_no',
    BIRTH_DATE_COLUMN,
    'birth_ward_code',
    'address_ward_code',
    'disabled_not_assessed',
    'digitised_from_paper',
    'father_name',
    'father_job',
    'mother_name',
    'mother_job',
    'homeroom_national_id',
    'absences',
    'promoted',
    'awards',
    ...Object.values(STORED_RESULT_COLUMNS),
    HISTORY_COLUMN,
  ],
} as const;

/**
 * The field table of the UIS graduate → VanBangChungChi mapping: one line per target field,
 * read as "target ← source column, through transform". To adapt the mapping to another UIS,
 * change the `from` column names here (or alias the columns in the job's SQL).
 *
 * `from: { column }`   a column of the SELECT (see mappings/vanbangchungchi/README.md)
 * `from: { option }`   a unit constant from the job's mapping options
 * `from: 'unitCode'`   the unit's ministry code (MappingContext.unitCode)
 */
import {
  type Outcome,
  classification,
  ethnicity,
  gender,
  idNumber,
  partialDate,
  personName,
  text,
  year,
} from './transforms.js';

export type Source = { column: string } | { option: string } | 'unitCode';

export interface FieldRule {
  /** the target field (for date trios, the day field; errors are reported on it) */
  to: string;
  from: Source;
  via: (field: string, value: unknown) => Outcome;
}

const col = (column: string): Source => ({ column });
const opt = (option: string): Source => ({ option });

const birthDate = partialDate({ day: 'ngaythangnamsinh', month: 'thangnamsinh', year: 'namsinh' });
const issueDate = partialDate({ day: 'ngaycap_ngaythangnam', month: 'ngaycap_thangnam', year: 'ngaycap_nam' });
const decisionDate = partialDate({ day: 'ngayquyetdinh_ngaythangnam', month: 'ngayquyetdinh_thangnam', year: 'ngayquyetdinh_nam' });

export const FIELD_TABLE: readonly FieldRule[] = [
  // holder
  { to: 'sodinhdanh', from: col('national_id'), via: idNumber },
  { to: 'hovaten', from: col('full_name'), via: personName },
  { to: 'ngaythangnamsinh', from: col('birth_date'), via: birthDate },
  { to: 'mahocvien', from: col('student_code'), via: text },
  { to: 'noisinh_diachichitiet', from: col('birth_place'), via: text },
  // noisinh_matinh / noisinh_maxa / noisinh_quocgia: from birth_province_code + birth_ward_code (mapping.ts)
  { to: 'gioitinh', from: col('gender'), via: gender },
  { to: 'dantoc', from: col('ethnicity'), via: ethnicity },
  // institution and graduation
  { to: 'tentruong', from: opt('tentruong'), via: text },
  { to: 'matruong', from: 'unitCode', via: text },
  { to: 'namtotnghiep', from: col('graduation_year'), via: year },
  // colleges and provincial departments (THPT diplomas): the exam course and council, when the source has them
  { to: 'khoathi', from: col('exam_course'), via: text },
  { to: 'hoidongthi', from: col('exam_council'), via: text },
  { to: 'xeploaitn', from: col('classification'), via: classification },
  { to: 'hinhthucdaotao', from: col('training_mode'), via: text },
  { to: 'ngaycap_ngaythangnam', from: col('issue_date'), via: issueDate },
  // numbers and decision
  { to: 'sohieu', from: col('serial_no'), via: text },
  { to: 'sovaosogoc', from: col('register_no'), via: text },
  { to: 'soquyetdinhtn', from: col('decision_no'), via: text },
  { to: 'ngayquyetdinh_ngaythangnam', from: col('decision_date'), via: decisionDate },
  // signer and issuer
  { to: 'nguoiky', from: col('signer_name'), via: personName },
  { to: 'soddcnnguoiky', from: col('signer_national_id'), via: idNumber },
  { to: 'chucvu', from: col('signer_title'), via: text },
  { to: 'noicap', from: opt('noicap'), via: text },
  { to: 'donvicap', from: opt('donvicap'), via: text },
  { to: 'tenvanbangcc', from: col('degree_name'), via: text },
  { to: 'nguoikyvbccbangiay_hovaten', from: opt('paperSignerName'), via: personName },
  { to: 'nguoikyvbccbangiay_chucdanh', from: opt('paperSignerTitle'), via: text },
  { to: 'nguoikyvbccbangiay_sodinhdanh', from: opt('paperSignerNationalId'), via: idNumber },
  // identity of the diploma (trangthai and the event come from STATUS_COLUMN through status.ts)
  { to: 'madinhdanhvbcc', from: col('diploma_uuid'), via: text },
  { to: 'thongtu', from: opt('thongtu'), via: text },
];

/** Source columns of the place of birth (translated together, see birthPlaceCodes). */
export const BIRTH_PLACE_COLUMNS = { province: 'birth_province_code', ward: 'birth_ward_code' } as const;
/** Source column of the change time (thoigiancapnhat). */
export const UPDATED_AT_COLUMN = 'updated_at';
/** Source column of the diploma status (trangthai and the event; its values: status.ts). */
export const STATUS_COLUMN = 'status';
/**
 * Columns of the README's query that the mapping accepts but does not send: `diploma_id` is the
 * job's source key, `nationality` and `programme_name` have no field in VanBangChungChi. Declared
 * (optional) so that the column check does not take them for misspelled aliases.
 */
export const ACCEPTED_NOT_SENT = ['diploma_id', 'nationality', 'programme_name'] as const;
/**
 * Columns a lifecycle rule reads (lifecycle.ts): the correction decision of a corrected diploma,
 * the original serial number of a reissue. Optional in the SELECT.
 */
export const LIFECYCLE_COLUMNS = [
  'correction_decision_no',
  'correction_decision_date',
  'correction_signer_name',
  'correction_signer_national_id',
  'correction_signer_title',
  'correction_reason',
  'original_serial_no',
] as const;

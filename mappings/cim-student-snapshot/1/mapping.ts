/**
 * UIS current-student row → the CIM kiosk's student snapshot (docs/contracts/cim.md:
 * `{ studentId, fullName, birthDate, programme, faculty, cohort, status, updatedAt }`).
 *
 * The status is the UIS's own value (a code, a Vietnamese word) translated through the table of
 * `mapping.options.statuses` (defaults below): a value the table does not know holds the record
 * back, naming the column, rather than sending a status a kiosk would misread. A student whose
 * status is one that leaves the university (`withdrawn` by default; `mapping.options.leftStatuses`)
 * becomes a CANCEL: the kiosk destination deletes the snapshot. Pure: no I/O, no clock.
 */
import { ConfigError } from '../../../src/core/errors.js';
import type { Mapping, MappingContext, MappingResult } from '../../../src/core/mapping.js';
import type { FieldError, JsonObject, SourceRecord } from '../../../src/core/records.js';
import { parseFlexibleDate } from '../../../src/domain/dates.js';
import { normalizePersonName } from '../../../src/domain/names.js';
import { asText, brokenText, mappingResult, sourceTimeZone, sourceTimestamp } from '../../shared/transforms.js';

export const SNAPSHOT_STATUSES = ['studying', 'suspended', 'withdrawn', 'graduated'] as const;
export type SnapshotStatus = (typeof SNAPSHOT_STATUSES)[number];

/**
 * The UIS values understood without configuration: the sample UIS's codes and the words UIS
 * tables use (compared without case, accents kept, spaces single).
 */
export const DEFAULT_STATUS_TABLE: Readonly<Record<string, SnapshotStatus>> = {
  '1': 'studying',
  '2': 'suspended',
  '3': 'withdrawn',
  '4': 'graduated',
  'đang học': 'studying',
  'bảo lưu': 'suspended',
  'tạm ngừng học': 'suspended',
  'thôi học': 'withdrawn',
  'buộc thôi học': 'withdrawn',
  'đã tốt nghiệp': 'graduated',
  'tốt nghiệp': 'graduated',
  studying: 'studying',
  suspended: 'suspended',
  withdrawn: 'withdrawn',
  graduated: 'graduated',
};

const REQUIRED = ['student_code', 'full_name', 'birth_date', 'status', 'updated_at'] as const;
const OPTIONAL = ['programme_name', 'programme_code', 'faculty_name', 'faculty_code', 'cohort', 'admission_year', 'student_id'] as const;

function statusKeyOf(value: unknown): string | undefined {
  const t = asText(value);
  return t === undefined ? undefined : t.toLocaleLowerCase('vi');
}

/** The status table of a job: the defaults, overridden by `mapping.options.statuses` (UIS value → snapshot status). */
export function statusTable(options: Record<string, unknown>): Map<string, SnapshotStatus> {
  const table = new Map<string, SnapshotStatus>(Object.entries(DEFAULT_STATUS_TABLE));
  const extra = options.statuses;
  if (extra === undefined) return table;
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
    throw new ConfigError('MAPPING_OPTION_INVALID', 'mapping option statuses must map UIS status values to studying, suspended, withdrawn or graduated', { path: 'mapping.options.statuses' });
  }
  for (const [from, to] of Object.entries(extra)) {
    if (!(SNAPSHOT_STATUSES as readonly string[]).includes(String(to))) {
      throw new ConfigError('MAPPING_OPTION_INVALID', `mapping option statuses."${from}" must be one of ${SNAPSHOT_STATUSES.join(', ')}`, { path: `mapping.options.statuses.${from}` });
    }
    const key = statusKeyOf(from);
    if (key !== undefined) table.set(key, to as SnapshotStatus);
  }
  return table;
}

function leftStatuses(options: Record<string, unknown>): readonly string[] {
  const left = options.leftStatuses;
  if (left === undefined) return ['withdrawn'];
  if (!Array.isArray(left) || left.some((s) => !(SNAPSHOT_STATUSES as readonly string[]).includes(String(s)))) {
    throw new ConfigError('MAPPING_OPTION_INVALID', `mapping option leftStatuses must list some of ${SNAPSHOT_STATUSES.join(', ')}`, { path: 'mapping.options.leftStatuses' });
  }
  return left.map(String);
}

function textField(record: SourceRecord, column: string, field: string, errors: FieldError[], data: JsonObject): void {
  const value = record.data[column];
  const broken = brokenText(field, value);
  if (broken && 'code' in broken) {
    errors.push({ field: `data.${field}`, code: broken.code, message: broken.message });
    return;
  }
  const t = asText(value);
  if (t !== undefined) data[field] = t;
}

export const cimStudentSnapshotMapping: Mapping = {
  name: 'cim-student-snapshot/1',
  dataset: 'students',
  schemaVersion: 'CimStudentSnapshot/1',
  columns: { required: REQUIRED, optional: OPTIONAL },
  map(record: SourceRecord, context: MappingContext): MappingResult {
    const errors: FieldError[] = [];
    const data: JsonObject = {};
    const code = asText(record.data.student_code);
    if (code === undefined) errors.push({ field: 'data.studentId', code: 'STUDENT_ID_MISSING', message: 'studentId: student_code is empty' });
    else data.studentId = code;

    const name = record.data.full_name;
    const broken = brokenText('fullName', name);
    const nameText = asText(name);
    if (broken && 'code' in broken) errors.push({ field: 'data.fullName', code: broken.code, message: broken.message });
    else if (nameText === undefined) errors.push({ field: 'data.fullName', code: 'STUDENT_NAME_MISSING', message: 'fullName: full_name is empty' });
    else data.fullName = normalizePersonName(nameText);

    const birth = parseFlexibleDate(record.data.birth_date);
    if (!birth.ok) errors.push({ field: 'data.birthDate', code: birth.code, message: `birthDate: birth_date: ${birth.message}` });
    else data.birthDate = birth.value.iso;

    // programme and faculty: the name people read, else the code
    textField(record, record.data.programme_name !== undefined ? 'programme_name' : 'programme_code', 'programme', errors, data);
    textField(record, record.data.faculty_name !== undefined ? 'faculty_name' : 'faculty_code', 'faculty', errors, data);
    textField(record, 'cohort', 'cohort', errors, data);

    const statusKey = statusKeyOf(record.data.status);
    const status = statusKey === undefined ? undefined : statusTable(context.options).get(statusKey);
    if (status === undefined) {
      errors.push({
        field: 'data.status',
        code: statusKey === undefined ? 'STUDENT_STATUS_MISSING' : 'STUDENT_STATUS_UNKNOWN',
        message: statusKey === undefined ? 'status: the status column is empty' : 'status: the UIS status is not in the status table (mapping.options.statuses)',
      });
    } else data.status = status;

    const updatedAt = sourceTimestamp(record.data.updated_at, 'updated_at', errors, sourceTimeZone(context.options));
    if (updatedAt !== undefined) data.updatedAt = updatedAt;

    const left = status !== undefined && leftStatuses(context.options).includes(status);
    return mappingResult({ errors, warnings: [], idbanghi: code, sukien: left ? 'CANCEL' : 'NEW', thoigiancapnhat: updatedAt, data });
  },
};

import type { FieldError } from '../../core/records.js';
import { isIsoDate, isIsoMonth, isIsoYear, isLocalTimestamp, isSchoolYear } from '../dates.js';
import { hasBrokenEncoding, INVALID_TEXT_ENCODING } from '../text-encoding.js';
import { findDictionaryTable } from './tables.js';
import type { DictionaryField, DictionaryTable, ValidateOptions } from './types.js';

/** The sync envelope: carried next to `data`, not inside it, so not checked as data. */
export const ENVELOPE_FIELDS: ReadonlySet<string> = new Set([
  'idbanghi',
  'sukien',
  'phienban',
  'thoigiancapnhat',
  'ngaycapnhat',
]);

/** Child tables the national formats carry inside the parent record's `data`. */
export const DEFAULT_CHILD_TABLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  thongtinsohocbasothcsthpt: {
    bangdiem: 'thongtinsohocbasothcsthpt_bangdiem',
    quatrinhhoctap: 'thongtinsohocbasothcsthpt_quatrinhhoctap',
    chungchi: 'thongtinsohocbasothcsthpt_chungchi',
  },
  thongtinsohocbasotieuhoc: {
    dsbangdiem: 'thongtinsohocbasotieuhoc_dsbangdiem',
    quatrinhhoctap: 'thongtinsohocbasotieuhoc_quatrinhhoctap',
  },
  VanBangChungChi: { thongtinhieuchinh: 'VanBangChungChi_ThongTinHieuChinh' },
};

/** Technical surrogate keys (`key<table>` PK and their FKs) are the receiver's business. */
export function isTechnicalKey(field: DictionaryField): boolean {
  return field.name.toLowerCase().startsWith('key') && (field.key === 'PK' || field.key === 'FK');
}

// C0 and C1 controls and DEL. Line breaks and tab are allowed only with allowLineBreaks.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const LINE_BREAK = /[\t\n\r]/u;

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** the answer of a check that found nothing: one shared empty list, read-only, no allocation */
const NONE: FieldError[] = Object.freeze([]) as unknown as FieldError[];

function err(path: string, code: string, message: string): FieldError {
  return { field: path, code, message };
}

/** Checks a text value's form (NFC, controls, trimmed, length). Messages never quote the value. */
export function checkText(path: string, value: string, maxLength: number | null, allowLineBreaks = false): FieldError[] {
  // Hot path (every text field of every record): the common clean value allocates nothing.
  const nfc = value.normalize('NFC');
  const notNfc = value !== nfc;
  const control = CONTROL.test(value) || (!allowLineBreaks && LINE_BREAK.test(value));
  const untrimmed = value.length > 0 && (value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32) && value !== value.trim();
  // Length in characters (code points), not UTF-16 units or bytes; a string no longer in UTF-16
  // units than the limit cannot be longer in code points.
  const tooLong = maxLength !== null && nfc.length > maxLength ? [...nfc].length : 0;
  // Last line of defence: text a driver could not decode is never sent (mappings report it first).
  const broken = hasBrokenEncoding(value);
  if (!notNfc && !control && !untrimmed && !broken && !(maxLength !== null && tooLong > maxLength)) return NONE;
  const name = path.split('.').pop() ?? path;
  const out: FieldError[] = [];
  if (broken) out.push(err(path, INVALID_TEXT_ENCODING, `${name}: text is not valid UTF-8 (a replacement character or a broken character pair)`));
  if (notNfc) out.push(err(path, 'DICT_NOT_NFC', `${name}: text is not Unicode NFC`));
  if (control) out.push(err(path, 'DICT_CONTROL_CHAR', `${name}: text contains control characters`));
  if (untrimmed) out.push(err(path, 'DICT_NOT_TRIMMED', `${name}: text has leading or trailing spaces`));
  if (maxLength !== null && tooLong > maxLength) {
    out.push(err(path, 'DICT_TOO_LONG', `${name}: ${tooLong} characters, at most ${maxLength} allowed`));
  }
  return out;
}

function checkFormat(path: string, field: DictionaryField, value: string): FieldError[] {
  const ok = ((): boolean => {
    switch (field.format) {
      case 'YYYY-MM-DD':
        return isIsoDate(value);
      case 'YYYY-MM':
        return isIsoMonth(value);
      case 'YYYY':
        return isIsoYear(value);
      case 'YYYY-YYYY':
        return isSchoolYear(value);
      case 'YYYY-MM-DDTHH:mm:ss':
        return isLocalTimestamp(value);
      default:
        return true;
    }
  })();
  return ok ? NONE : [err(path, 'DICT_FORMAT', `${field.name}: must have the format ${String(field.format)}`)];
}

/** Checks one present (non-empty) value against its field spec. */
export function checkField(path: string, field: DictionaryField, value: unknown, opts: ValidateOptions = {}): FieldError[] {
  const typeError = (expected: string): FieldError[] => [err(path, 'DICT_TYPE', `${field.name}: must be ${expected}`)];
  switch (field.type) {
    case 'varchar': {
      if (typeof value !== 'string') return typeError('text');
      const text = checkText(path, value, field.length, opts.allowLineBreaks);
      const format = checkFormat(path, field, value);
      return text.length === 0 ? format : format.length === 0 ? text : [...text, ...format];
    }
    case 'date': {
      if (typeof value !== 'string') return typeError('a date YYYY-MM-DD');
      return isIsoDate(value) ? NONE : [err(path, 'DICT_DATE', `${field.name}: must be an existing date YYYY-MM-DD`)];
    }
    case 'timestamp': {
      if (typeof value !== 'string') return typeError('a timestamp YYYY-MM-DDTHH:mm:ss');
      return isLocalTimestamp(value)
        ? NONE
        : [err(path, 'DICT_TIMESTAMP', `${field.name}: must be a timestamp YYYY-MM-DDTHH:mm:ss`)];
    }
    case 'int': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return typeError('an integer');
      const digits = String(Math.abs(value)).length;
      return field.length !== null && digits > field.length
        ? [err(path, 'DICT_TOO_LONG', `${field.name}: at most ${field.length} digits allowed`)]
        : NONE;
    }
    case 'boolean':
      return value === 0 || value === 1 ? NONE : typeError('0 or 1');
    case 'decimal':
    case 'double':
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? NONE : typeError('a number');
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? NONE : typeError('an object');
    case 'array':
      return Array.isArray(value) ? NONE : typeError('a list');
    default:
      return NONE;
  }
}

/**
 * Validates a record's `data` against a dictionary table: type, length in characters, required,
 * date/timestamp formats, NFC and control characters. Envelope fields and technical `key*` fields
 * are not data and are skipped (unless includeEnvelope). Child-table rows under the keys of
 * `opts.children` (default DEFAULT_CHILD_TABLES) are validated against their own table.
 * Every error names `data.<field>` (or `<path>.<field>`) and never quotes the value.
 */
export function validateAgainstTable(table: DictionaryTable, data: unknown, opts: ValidateOptions = {}): FieldError[] {
  const base = opts.path ?? 'data';
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return [err(base, 'DICT_TYPE', `${table.name}: record data must be an object`)];
  }
  const record = data as Record<string, unknown>;
  const children = opts.children ?? DEFAULT_CHILD_TABLES[table.name] ?? {};
  const errors: FieldError[] = [];
  const { checked, known } = fieldPlan(table, opts.includeEnvelope === true);

  for (const field of checked) {
    const value = record[field.name];
    if (isEmpty(value)) {
      if (field.required && !opts.skipRequired && !table.nested) {
        errors.push(err(`${base}.${field.name}`, 'DICT_REQUIRED', `${field.name}: required field is missing`));
      }
      continue;
    }
    const problems = checkField(`${base}.${field.name}`, field, value, opts);
    if (problems.length > 0) errors.push(...problems);
  }

  for (const [key, value] of Object.entries(record)) {
    if (known.has(key)) continue;
    const childName = children[key];
    if (childName !== undefined) {
      errors.push(...validateChildRows(childName, value, `${base}.${key}`, opts));
      continue;
    }
    if (ENVELOPE_FIELDS.has(key)) continue;
    if (!opts.allowUnknownFields) {
      errors.push(err(`${base}.${key}`, 'DICT_UNKNOWN_FIELD', `${key}: not a field of ${table.name}`));
    }
  }
  return errors;
}

interface FieldPlan {
  /** the fields to check: the first of each name, without technical keys (and envelope fields) */
  checked: DictionaryField[];
  /** every field name of the table */
  known: ReadonlySet<string>;
}

// Nested-form tables repeat leaf names under different objects: check the first of each name
// only. The plan depends only on the table, so it is made once per table, not once per record.
const plans = new WeakMap<DictionaryTable, { withEnvelope?: FieldPlan; withoutEnvelope?: FieldPlan }>();

function fieldPlan(table: DictionaryTable, includeEnvelope: boolean): FieldPlan {
  const cached = plans.get(table) ?? {};
  const hit = includeEnvelope ? cached.withEnvelope : cached.withoutEnvelope;
  if (hit) return hit;
  const known = new Set<string>();
  const checked: DictionaryField[] = [];
  for (const field of table.fields) {
    if (known.has(field.name)) continue;
    known.add(field.name);
    if (isTechnicalKey(field)) continue;
    if (ENVELOPE_FIELDS.has(field.name) && !includeEnvelope) continue;
    checked.push(field);
  }
  const plan = { checked, known };
  plans.set(table, includeEnvelope ? { ...cached, withEnvelope: plan } : { ...cached, withoutEnvelope: plan });
  return plan;
}

function validateChildRows(tableName: string, value: unknown, path: string, opts: ValidateOptions): FieldError[] {
  const table = findDictionaryTable(tableName);
  if (table === undefined) return [err(path, 'DICT_UNKNOWN_TABLE', `child table ${tableName} is not in the dictionary`)];
  const childOpts: ValidateOptions = { ...opts, children: DEFAULT_CHILD_TABLES[table.name] ?? {} };
  if (Array.isArray(value)) {
    return value.flatMap((row, i) => validateAgainstTable(table, row, { ...childOpts, path: `${path}[${i}]` }));
  }
  return validateAgainstTable(table, value, { ...childOpts, path });
}

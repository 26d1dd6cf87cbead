/**
 * The transforms every mapping's field table uses: each takes one source value and returns the
 * target field(s), or a problem that names the field and never quotes the value.
 */
import { hash } from 'node:crypto';
import type { MappingResult } from '../../src/core/mapping.js';
import type { FieldError, JsonObject, JsonValue, RecordEvent } from '../../src/core/records.js';
import { ConfigError } from '../../src/core/errors.js';
import { parseFlexibleDate, splitByPrecision } from '../../src/domain/dates.js';
import { parseEthnicity } from '../../src/domain/ethnicity.js';
import { parseGender } from '../../src/domain/gender.js';
import { normalizePersonName, normalizeText } from '../../src/domain/names.js';
import { type ProvinceCodeSet, resolveProvinceCode } from '../../src/domain/provinces.js';
import { brokenEncodingMessage, hasBrokenEncoding, INVALID_TEXT_ENCODING } from '../../src/domain/text-encoding.js';
import { isValidTimeZone, parseSourceTimestamp, VIETNAM_TIME_ZONE } from '../../src/domain/timestamps.js';

/** What a transform makes of one source value: target fields, or a problem on its first target. */
export type Outcome = { values: Record<string, JsonValue> } | { code: string; message: string };

export const skip: Outcome = { values: {} };
export const one = (field: string, value: JsonValue): Outcome => ({ values: { [field]: value } });
export const problem = (code: string, message: string): Outcome => ({ code, message });

/** Text as the formats want it (NFC, trimmed, single spaces); numbers as their decimal text; empty → undefined. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const t = normalizeText(value);
  return t === '' ? undefined : t;
}

/** Text the source could not decode (U+FFFD, a lone surrogate) is a problem on the field, never sent. */
export function brokenText(field: string, value: unknown): Outcome | undefined {
  return typeof value === 'string' && hasBrokenEncoding(value) ? problem(INVALID_TEXT_ENCODING, brokenEncodingMessage(field)) : undefined;
}

/** Free text: NFC, trimmed, single spaces. Empty → field left out (the required check reports it). */
export const text = (field: string, value: unknown): Outcome => {
  const broken = brokenText(field, value);
  if (broken) return broken;
  const t = asText(value);
  return t === undefined ? skip : one(field, t);
};

/**
 * A person's name: NFC, single spaces, title case. The tone stays where the source put it
 * ("Hoà" stays "Hoà"): only matching uses the canonical tone key, never the display form.
 */
export const personName = (field: string, value: unknown): Outcome => {
  const broken = brokenText(field, value);
  if (broken) return broken;
  const t = asText(value);
  return t === undefined ? skip : one(field, normalizePersonName(t));
};

/** Digits only (ids): spaces removed; anything else is kept for the structure check to report. */
export const idNumber = (field: string, value: unknown): Outcome => {
  const t = asText(value);
  return t === undefined ? skip : one(field, t.replace(/\s+/g, ''));
};

/** A date of any known precision into a `<day>` / `<month>` / `<year>` trio: exactly one is set, a day is never invented. */
export const partialDate =
  (names: { day: string; month: string; year: string }) =>
  (_field: string, value: unknown): Outcome => {
    if (value === undefined || value === null || value === '') return skip;
    const r = parseFlexibleDate(value);
    if (!r.ok) return problem(r.code, `${names.day}: ${r.message}`);
    return { values: splitByPrecision(r.value, names) };
  };

export const gender = (field: string, value: unknown): Outcome => {
  const r = parseGender(value);
  return r.ok ? one(field, r.code) : problem(r.code, `${field}: ${r.message}`);
};

export const ethnicity = (field: string, value: unknown): Outcome => {
  const r = parseEthnicity(value);
  return r.ok ? one(field, r.code) : problem(r.code, `${field}: ${r.message}`);
};

/**
 * The codes of an address (`<prefix>_matinh`, `<prefix>_maxa`). A pre-2025 province/ward is
 * translated through the ward crosswalk; a 2025 one is checked. What cannot be translated is
 * reported, never guessed.
 */
export const addressCodes =
  (prefix: string, codeSet: ProvinceCodeSet) =>
  (provinceCode: unknown, wardCode: unknown): Outcome => {
    const p = asText(provinceCode);
    const w = asText(wardCode);
    if (p === undefined) return w === undefined ? skip : problem('PROVINCE_MISSING', `${prefix}_matinh: ward code given without a province code`);
    const r = resolveProvinceCode({ provinceCode: p, wardCode: w ?? null }, codeSet);
    if (!r.ok) return problem(r.code, `${prefix}_matinh: ${r.message}`);
    const values: Record<string, JsonValue> = { [`${prefix}_matinh`]: r.matinh };
    if (r.maxa !== undefined) values[`${prefix}_maxa`] = r.maxa;
    return { values };
  };

/**
 * An RFC 4122 version-5 UUID (SHA-1, name-based) of `name` in `namespace`: the stable record ids
 * the hub keys on. The same name always gives the same id, in every run, on every host; 36 characters.
 */
const namespaces = new Map<string, Buffer>();
function namespaceBytes(namespace: string): Buffer {
  let bytes = namespaces.get(namespace);
  if (bytes === undefined) {
    bytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
    namespaces.set(namespace, bytes);
  }
  return bytes;
}

export function uuidV5(namespace: string, name: string): string {
  const h = hash('sha1', Buffer.concat([namespaceBytes(namespace), Buffer.from(name, 'utf8')]), 'buffer');
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The time zone of the source's wall-clock times (timestamps without an offset), from the job's
 * mapping option `sourceTimeZone` (an IANA name; default Asia/Ho_Chi_Minh). A name the runtime
 * does not know is a configuration error, raised before any record is judged.
 */
export function sourceTimeZone(options: Record<string, unknown>): string {
  const zone = options.sourceTimeZone;
  if (zone === undefined || zone === null || zone === '') return VIETNAM_TIME_ZONE;
  if (typeof zone !== 'string' || !isValidTimeZone(zone)) {
    throw new ConfigError('MAPPING_OPTION_INVALID', 'mapping option sourceTimeZone must be an IANA time zone such as Asia/Ho_Chi_Minh or UTC', {
      path: 'mapping.options.sourceTimeZone',
    });
  }
  return zone;
}

/**
 * `thoigiancapnhat`: when the record last changed at the source, from its update-time column,
 * converted to Vietnam time. Takes what drivers give: ISO text with an offset (`+07`, `+07:00`,
 * `Z`), microseconds, a space for the `T`, a date alone, a JS Date; text without an offset is in
 * `timeZone` (the source's declared zone). Undefined, with an error on the record, when the column
 * is missing or not a time.
 */
export function sourceTimestamp(value: unknown, column: string, errors: FieldError[], timeZone: string = VIETNAM_TIME_ZONE): string | undefined {
  if (typeof value === 'string' && hasBrokenEncoding(value)) {
    errors.push({ field: 'thoigiancapnhat', code: INVALID_TEXT_ENCODING, message: brokenEncodingMessage('thoigiancapnhat', column) });
    return undefined;
  }
  const ts = parseSourceTimestamp(value, { timeZone });
  if (ts.ok) return ts.value;
  const what = value === undefined || value === null || value === '' ? 'is missing' : 'is not a timestamp';
  errors.push({ field: 'thoigiancapnhat', code: 'TIMESTAMP_INVALID', message: `thoigiancapnhat: ${column} ${what}` });
  return undefined;
}

/**
 * What a mapping answers: the record with its envelope fields and remarks, or, on any error (or
 * an envelope field it could not make), every error found, with the record id when there is one.
 */
export function mappingResult(r: {
  errors: FieldError[];
  warnings: FieldError[];
  idbanghi: string | undefined;
  sukien: RecordEvent | undefined;
  thoigiancapnhat: string | undefined;
  data: JsonObject;
}): MappingResult {
  const { errors, warnings, idbanghi, sukien, thoigiancapnhat, data } = r;
  if (errors.length > 0 || idbanghi === undefined || sukien === undefined || thoigiancapnhat === undefined) {
    return idbanghi === undefined ? { ok: false, errors } : { ok: false, errors, idbanghi };
  }
  const result: MappingResult = { ok: true, idbanghi, sukien, thoigiancapnhat, data };
  if (warnings.length > 0) result.warnings = warnings;
  return result;
}

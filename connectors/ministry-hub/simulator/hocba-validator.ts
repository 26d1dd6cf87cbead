import { createHash } from 'node:crypto';
import { DataError } from '../../../src/core/errors.js';
import type { FieldError, JsonObject, JsonValue } from '../../../src/core/records.js';
import { getDictionaryTable, validateAgainstTable } from '../../../src/domain/dictionary/index.js';
import { parseXmlStrict } from '../../../documents/hocba/dom.js';
import { BANGDIEM_FIELDS, CHUNGCHI_FIELDS, HOCBA_FIELDS, QUATRINHHOCTAP_FIELDS, type FieldSpec, type HocBaThcsThpt } from '../../../documents/hocba/fields.js';
import { validateHocBaXml } from '../../../documents/hocba/validate.js';
import { verifyHocBa, type VerifyHocBaResult } from '../../../documents/xmldsig/verify-hocba.js';
import type { DatasetValidator } from './dataset-validator.js';
import { validateEnvelope } from './envelope.js';
import { inVietnamese } from './messages-vi.js';

/** The schemaVersion a `hocbaso-thcsthpt` batch declares. */
export const HOCBA_THCSTHPT_SCHEMA_VERSION = 'thongtinsohocbasothcsthpt/2025';

export interface HocBaValidatorOptions {
  /** PEM certificates of the CAs whose certificates may sign; empty: every record is SIGNATURE_INVALID */
  trustedCaPems: readonly string[];
  /** the hub's clock: certificates must be valid at this time; default Date.now */
  now?: () => number;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * Secondary school records (docs/contracts/ministry-hub.md#school-records-the-hubs-extra-checks): the envelope,
 * `data` against `thongtinsohocbasothcsthpt` (child lists included), then the signed XML in `tailieu`:
 * its hash (HASH_MISMATCH), well-formedness and XSD (SCHEMA_INVALID), every signature against the
 * trusted CAs (SIGNATURE_INVALID), and `data` equal to what the verified document holds (DATA_MISMATCH).
 * The document checks stop at the first failing step: a later step means nothing once an earlier one failed.
 */
export function hocBaThcsThptValidator(options: HocBaValidatorOptions): DatasetValidator {
  return {
    schemaVersions: [HOCBA_THCSTHPT_SCHEMA_VERSION],
    async validate(record) {
      const errors = validateEnvelope(record);
      const data = asObject(record.data);
      if (data !== undefined) {
        errors.push(...validateAgainstTable(getDictionaryTable('thongtinsohocbasothcsthpt'), data).map(inVietnamese));
      }
      errors.push(...(await checkHocBaDocument(record, data, options)));
      return errors;
    },
  };
}

/** The `tailieu` checks of one record; `data` is undefined when the record has no data object. */
export async function checkHocBaDocument(record: JsonObject, data: JsonObject | undefined, options: HocBaValidatorOptions): Promise<FieldError[]> {
  const decoded = decodeTailieu(record.tailieu);
  if (!decoded.ok) return decoded.errors;

  const xml = decodeUtf8(decoded.bytes);
  if (xml === undefined) return [schemaInvalid('Tài liệu XML không phải văn bản UTF-8 hợp lệ')];
  try {
    parseXmlStrict(xml, 'tailieu');
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    const doctype = err.code === 'XML_DOCTYPE_FORBIDDEN';
    return [schemaInvalid(doctype ? 'Tài liệu XML không được chứa DOCTYPE' : 'Tài liệu XML không đúng cú pháp (not well-formed)')];
  }
  const schema = await validateHocBaXml(xml);
  if (!schema.valid) {
    const line = /^line (\d+):/.exec(schema.errors[0] ?? '')?.[1];
    const where = line === undefined ? '' : ` (lỗi đầu tiên ở dòng ${line})`;
    return [schemaInvalid(`Tài liệu XML không hợp lệ theo lược đồ ${HOCBA_THCSTHPT_SCHEMA_VERSION}${where}`)];
  }

  if (options.trustedCaPems.length === 0) {
    return [
      signatureInvalid('Trung tâm dữ liệu chưa được cấu hình chứng thư CA tin cậy nên không xác minh được chữ ký số của học bạ'),
    ];
  }
  let verified: VerifyHocBaResult;
  try {
    verified = await verifyHocBa(xml, { trustedCaPems: options.trustedCaPems, at: new Date((options.now ?? Date.now)()) });
  } catch (err) {
    // The XSD passed, but the data could not be read back (e.g. a value of the wrong type): not verifiable.
    if (!(err instanceof DataError)) throw err;
    return [signatureInvalid('Không đọc được dữ liệu đã ký trong học bạ để xác minh chữ ký số')];
  }
  if (!verified.valid || verified.data === undefined) return [signatureInvalid(describeSignatureFailure(verified))];
  if (data === undefined) return [];
  return compareWithDocument(data, verified.data, record.idbanghi, record.phienban);
}

type Decoded = { ok: true; bytes: Buffer } | { ok: false; errors: FieldError[] };

/** Shape of `tailieu`, base64 of `noidung` and its SHA-256. */
function decodeTailieu(value: JsonValue | undefined): Decoded {
  const tailieu = asObject(value);
  if (tailieu === undefined) {
    return fail({ field: 'tailieu', code: 'REQUIRED', message: 'Thiếu tài liệu học bạ (tailieu) đã ký số' });
  }
  const errors: FieldError[] = [];
  const { dinhdang, noidung, sha256 } = tailieu;
  if (dinhdang !== 'xml') {
    errors.push({ field: 'tailieu.dinhdang', code: 'INVALID_CODE', message: 'tailieu.dinhdang phải là xml' });
  }
  if (typeof noidung !== 'string' || noidung === '') {
    errors.push({ field: 'tailieu.noidung', code: 'REQUIRED', message: 'Thiếu nội dung tài liệu (tailieu.noidung)' });
  } else if (!BASE64.test(noidung)) {
    errors.push({ field: 'tailieu.noidung', code: 'INVALID_FORMAT', message: 'tailieu.noidung phải được mã hoá base64' });
  }
  if (typeof sha256 !== 'string' || sha256 === '') {
    errors.push({ field: 'tailieu.sha256', code: 'REQUIRED', message: 'Thiếu mã băm SHA-256 của tài liệu (tailieu.sha256)' });
  } else if (!SHA256_HEX.test(sha256)) {
    errors.push({ field: 'tailieu.sha256', code: 'INVALID_FORMAT', message: 'tailieu.sha256 phải là 64 ký tự hexa' });
  }
  if (errors.length > 0 || typeof noidung !== 'string' || typeof sha256 !== 'string') return { ok: false, errors };

  const bytes = Buffer.from(noidung, 'base64');
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256.toLowerCase()) {
    return fail({
      field: 'tailieu.sha256',
      code: 'HASH_MISMATCH',
      message: 'Mã băm SHA-256 không khớp với nội dung tài liệu đã giải mã từ tailieu.noidung',
    });
  }
  return { ok: true, bytes };
}

function fail(error: FieldError): Decoded {
  return { ok: false, errors: [error] };
}

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function schemaInvalid(message: string): FieldError {
  return { field: 'tailieu.noidung', code: 'SCHEMA_INVALID', message };
}

function signatureInvalid(message: string): FieldError {
  return { field: 'tailieu.noidung', code: 'SIGNATURE_INVALID', message };
}

const ROLE_NAMES: Record<string, string> = {
  gvbm: 'giáo viên bộ môn',
  gvcn: 'giáo viên chủ nhiệm',
  hieutruong: 'hiệu trưởng',
  donvi: 'đơn vị',
};

/**
 * Names the roles whose signature failed (and the subject code of a teacher's), never the signer or a
 * field value; the verifier's English details stay out of the answer.
 */
function describeSignatureFailure(result: VerifyHocBaResult): string {
  const failed = result.signatures
    .filter((s) => !s.valid)
    .map((s) => {
      const role = ROLE_NAMES[s.role] ?? s.role;
      return s.mamonhoc !== undefined && /^[A-Za-z0-9]{1,10}$/.test(s.mamonhoc) ? `${role} (${s.mamonhoc})` : role;
    });
  if (failed.length > 0) return `Chữ ký số không hợp lệ hoặc không được tin cậy: chữ ký của ${[...new Set(failed)].join(', ')}`;
  return 'Học bạ thiếu chữ ký số bắt buộc, có chữ ký đặt sai vị trí hoặc có cấu trúc không an toàn';
}

const LISTS = [
  ['bangdiem', BANGDIEM_FIELDS],
  ['quatrinhhoctap', QUATRINHHOCTAP_FIELDS],
  ['chungchi', CHUNGCHI_FIELDS],
] as const;

/**
 * `data` must say exactly what the verified document says, for every field the document format has:
 * a value only one side holds is a mismatch too. The document's own `idbanghi` is compared with
 * `data.idbanghi`, or with the envelope's when `data` leaves it out. Fields the document format does
 * not have (surrogate keys, envelope fields) are the dictionary check's business.
 *
 * The document's version (`phienbanthongtinhocba`) is the envelope's phienban when that is given: a
 * record re-signed at a new phienban says so in its document, while the sender's `data` keeps what its
 * mapping made (the mapping cannot know the version the sender's ledger gives the change).
 */
export function compareWithDocument(data: JsonObject, document: HocBaThcsThpt, envelopeIdbanghi?: JsonValue, envelopePhienban?: JsonValue): FieldError[] {
  const doc = document as unknown as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const spec of HOCBA_FIELDS) {
    if (spec.name === 'phienbanthongtinhocba' && envelopePhienban !== undefined) {
      if (String(doc[spec.name] ?? '') !== String(envelopePhienban)) {
        errors.push({ field: 'tailieu.noidung', code: 'DATA_MISMATCH', message: 'Phiên bản trong học bạ đã ký số (phienbanthongtinhocba) khác phienban của bản ghi' });
      }
      continue;
    }
    const sent = spec.name === 'idbanghi' && data.idbanghi === undefined ? envelopeIdbanghi : data[spec.name];
    if (!sameValue(spec, sent, doc[spec.name])) errors.push(mismatch(`data.${spec.name}`));
  }
  for (const [list, specs] of LISTS) {
    const sentRows = Array.isArray(data[list]) ? (data[list] as JsonValue[]) : data[list] === undefined || data[list] === null ? [] : undefined;
    const docRows = Array.isArray(doc[list]) ? (doc[list] as Record<string, unknown>[]) : [];
    if (sentRows === undefined || sentRows.length !== docRows.length) {
      errors.push({ field: `data.${list}`, code: 'DATA_MISMATCH', message: `Số dòng của ${list} khác với học bạ đã ký số (tailieu)` });
      continue;
    }
    sentRows.forEach((row, i) => {
      const sentRow = asObject(row) ?? {};
      const docRow = docRows[i] ?? {};
      for (const spec of specs) {
        if (!sameValue(spec, sentRow[spec.name], docRow[spec.name])) errors.push(mismatch(`data.${list}[${i}].${spec.name}`));
      }
    });
  }
  return errors;
}

function mismatch(field: string): FieldError {
  const name = field.split('.').pop() ?? field;
  return { field, code: 'DATA_MISMATCH', message: `${name} khác với dữ liệu trong học bạ đã ký số (tailieu)` };
}

/**
 * Equal as the document renders them: empty is absent, numbers and 0/1 flags by value (the document
 * reads `2` where `data` may say `2` or `"2.0"`), text exactly but for line endings, which XML parsing
 * turns into LF.
 */
function sameValue(spec: FieldSpec, sent: unknown, held: unknown): boolean {
  const a = normalized(spec, sent);
  const b = normalized(spec, held);
  return a === b;
}

function normalized(spec: FieldSpec, value: unknown): string | number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const numeric = spec.type === 'boolean' || spec.type === 'int' || spec.type === 'double';
  if (numeric) {
    const n = typeof value === 'boolean' ? Number(value) : typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    return Number.isFinite(n) ? n : `invalid:${JSON.stringify(value)}`;
  }
  if (typeof value === 'string') return value.replace(/\r\n?/g, '\n');
  return `invalid:${JSON.stringify(value)}`;
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/**
 * A diploma's life after its issue (docs/formats/diploma.md#lifecycle):
 *
 * - a correction (trangthai 4) is sent as UPDATE with the correction block
 *   `thongtinhieuchinh` (dictionary table VanBangChungChi_ThongTinHieuChinh): the decision's number
 *   and date and its signer, from the CORRECTION_COLUMNS. A correction without its decision is held
 *   back (CORRECTION_DECISION_MISSING), never sent: the hub would hold a changed diploma nobody
 *   decided. Each correction changes the record's content, so the engine raises phienban by one;
 *   a correction held back raises nothing until its decision is there.
 * - a reissue of a lost diploma gets a new serial number (`sohieu`) but stays the same national
 *   record: when the source names the original serial (REISSUE_COLUMN), the record id is derived
 *   from it, so the hub receives an UPDATE of the original (phienban + 1) and VNeID republishes
 *   the same credential key with the new content.
 */
import type { FieldError, JsonObject } from '../../../src/core/records.js';
import { checkCccd, decodeCccd } from '../../../src/domain/cccd.js';
import { parseFlexibleDate } from '../../../src/domain/dates.js';
import { asText, idNumber, personName, text, type Outcome } from './transforms.js';

/** Source columns of the correction decision (all optional in the SELECT; required for a corrected diploma). */
export const CORRECTION_COLUMNS = {
  number: 'correction_decision_no',
  date: 'correction_decision_date',
  signerName: 'correction_signer_name',
  signerNationalId: 'correction_signer_national_id',
  signerTitle: 'correction_signer_title',
  reason: 'correction_reason',
} as const;

/** Source column of the serial number of the diploma a reissue replaces. */
export const REISSUE_COLUMN = 'original_serial_no';

/** the holder's fields a correction block repeats (the corrected personal data, as now mapped) */
const CORRECTED_PERSON_FIELDS = ['ngaythangnamsinh', 'thangnamsinh', 'namsinh', 'noisinh_diachichitiet', 'noisinh_maxa', 'noisinh_matinh', 'noisinh_quocgia'] as const;

const block = 'data.thongtinhieuchinh';

/**
 * The correction block of a corrected diploma, or errors naming the missing part. `read` gives a
 * source column's value (undefined for text the source could not decode, already reported).
 */
export function correctionBlock(read: (column: string, field: string) => unknown, data: JsonObject, errors: FieldError[]): JsonObject[] | undefined {
  const before = errors.length;
  const value = (outcome: Outcome, field: string): string | undefined => {
    if ('values' in outcome) {
      const v = outcome.values[field];
      return typeof v === 'string' ? v : undefined;
    }
    errors.push({ field: `${block}.${field}`, code: outcome.code, message: outcome.message });
    return undefined;
  };
  const number = value(text('soquyetdinhhieuchinh', read(CORRECTION_COLUMNS.number, `${block}.soquyetdinhhieuchinh`)), 'soquyetdinhhieuchinh');
  const rawDate = read(CORRECTION_COLUMNS.date, `${block}.ngayquyetdinhhieuchinh`);
  if (number === undefined || rawDate === undefined || rawDate === null || rawDate === '') {
    if (errors.length === before) {
      const missing = [number === undefined ? CORRECTION_COLUMNS.number : null, rawDate === undefined || rawDate === null || rawDate === '' ? CORRECTION_COLUMNS.date : null].filter((c) => c !== null);
      errors.push({
        field: number === undefined ? `${block}.soquyetdinhhieuchinh` : `${block}.ngayquyetdinhhieuchinh`,
        code: 'CORRECTION_DECISION_MISSING',
        message: `thongtinhieuchinh: the diploma is corrected (trangthai 4) but its correction decision is missing (empty: ${missing.join(', ')}); held back until the source has it`,
      });
    }
    return undefined;
  }
  const date = parseFlexibleDate(rawDate);
  let ngayquyetdinhhieuchinh: string | undefined;
  if (!date.ok || date.value.precision !== 'day') {
    errors.push({ field: `${block}.ngayquyetdinhhieuchinh`, code: 'CORRECTION_DATE_INVALID', message: `ngayquyetdinhhieuchinh: column ${CORRECTION_COLUMNS.date} is not a full date (day, month and year)` });
  } else {
    ngayquyetdinhhieuchinh = date.value.iso;
  }
  const signer = value(personName('nguoiky_hovaten', read(CORRECTION_COLUMNS.signerName, `${block}.nguoiky_hovaten`)), 'nguoiky_hovaten');
  const signerId = value(idNumber('nguoiky_sodinhdanh', read(CORRECTION_COLUMNS.signerNationalId, `${block}.nguoiky_sodinhdanh`)), 'nguoiky_sodinhdanh');
  const signerTitle = value(text('nguoiky_chucdanh', read(CORRECTION_COLUMNS.signerTitle, `${block}.nguoiky_chucdanh`)), 'nguoiky_chucdanh');
  const reason = asText(read(CORRECTION_COLUMNS.reason, `${block}.nguoiky_lydohieuchinh`));
  for (const [v, field, column] of [
    [signer, 'nguoiky_hovaten', CORRECTION_COLUMNS.signerName],
    [signerId, 'nguoiky_sodinhdanh', CORRECTION_COLUMNS.signerNationalId],
    [signerTitle, 'nguoiky_chucdanh', CORRECTION_COLUMNS.signerTitle],
  ] as const) {
    if (v === undefined && !errors.some((e) => e.field === `${block}.${field}`)) {
      errors.push({ field: `${block}.${field}`, code: 'CORRECTION_SIGNER_MISSING', message: `${field}: the correction decision's signer is missing (column ${column} is empty)` });
    }
  }
  if (signerId !== undefined) errors.push(...checkCccd(signerId, { field: `${block}.nguoiky_sodinhdanh` }));
  if (errors.length > before) return undefined;

  const entry: JsonObject = {
    soquyetdinhhieuchinh: number,
    ngayquyetdinhhieuchinh: ngayquyetdinhhieuchinh as string,
    nguoiky_hovaten: signer as string,
    nguoiky_sodinhdanh: signerId as string,
    nguoiky_chucdanh: signerTitle as string,
    // a signer with a personal id is a citizen; the id's 4th digit is the sex (TT 59/2021)
    nguoiky_gioitinh: decodeCccd(signerId as string)?.sex ?? '0',
    nguoiky_quoctich: 'VN',
  };
  if (reason !== undefined) entry.nguoiky_lydohieuchinh = reason;
  if (typeof data.hovaten === 'string') entry.phuluchieuchinh_hovaten = data.hovaten;
  for (const f of CORRECTED_PERSON_FIELDS) if (data[f] !== undefined) entry[f] = data[f];
  return [entry];
}

/**
 * The serial number the record id is derived from: the original's for a reissue (the source names
 * it), the diploma's own otherwise.
 */
export function recordSerial(read: (column: string, field: string) => unknown, sohieu: string): string {
  const original = asText(read(REISSUE_COLUMN, 'idbanghi'));
  return original ?? sohieu;
}

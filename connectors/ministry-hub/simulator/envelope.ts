import type { FieldError, JsonObject } from '../../../src/core/records.js';
import { isLocalTimestamp } from '../../../src/domain/dates.js';

const EVENTS = ['NEW', 'UPDATE', 'CANCEL'] as const;

/** The contract's limit on `idbanghi`; a dataset's dictionary table may set a lower one. */
export const ENVELOPE_IDBANGHI_MAX_LENGTH = 150;

/**
 * Checks the national sync envelope of one record: idbanghi, sukien, phienban, thoigiancapnhat and
 * that `data` is an object. Messages are Vietnamese and never quote the values themselves.
 */
export function validateEnvelope(record: JsonObject, idbanghiMaxLength = ENVELOPE_IDBANGHI_MAX_LENGTH): FieldError[] {
  const errors: FieldError[] = [];
  const { idbanghi, sukien, phienban, thoigiancapnhat, data } = record;

  if (typeof idbanghi !== 'string' || idbanghi.trim() === '') {
    errors.push({ field: 'idbanghi', code: 'REQUIRED', message: 'Thiếu idbanghi (ID bản ghi)' });
  } else if ([...idbanghi].length > idbanghiMaxLength) {
    errors.push({
      field: 'idbanghi',
      code: 'TOO_LONG',
      message: `idbanghi dài quá ${idbanghiMaxLength} ký tự`,
    });
  }

  if (typeof sukien !== 'string' || !(EVENTS as readonly string[]).includes(sukien)) {
    errors.push({ field: 'sukien', code: 'INVALID_CODE', message: 'sukien phải là NEW, UPDATE hoặc CANCEL' });
  }

  if (typeof phienban !== 'number' || !Number.isSafeInteger(phienban) || phienban < 1) {
    errors.push({ field: 'phienban', code: 'INVALID_INTEGER', message: 'phienban phải là số nguyên lớn hơn hoặc bằng 1' });
  }

  if (typeof thoigiancapnhat !== 'string' || !isLocalTimestamp(thoigiancapnhat)) {
    errors.push({
      field: 'thoigiancapnhat',
      code: 'INVALID_TIMESTAMP',
      message: 'thoigiancapnhat phải có định dạng YYYY-MM-DDTHH:mm:ss',
    });
  }

  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    errors.push({ field: 'data', code: 'REQUIRED', message: 'Thiếu dữ liệu (data) của bản ghi' });
  }
  return errors;
}

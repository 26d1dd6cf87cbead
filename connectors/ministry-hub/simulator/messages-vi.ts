import type { FieldError } from '../../../src/core/records.js';

/** The hub answers in Vietnamese: what each dictionary check means, by its code. */
const DICTIONARY_MESSAGES: Record<string, (field: string) => string> = {
  DICT_REQUIRED: (f) => `Thiếu trường bắt buộc ${f}`,
  DICT_TOO_LONG: (f) => `${f} dài quá độ dài cho phép`,
  DICT_FORMAT: (f) => `${f} sai định dạng`,
  DICT_DATE: (f) => `${f} không phải ngày hợp lệ (YYYY-MM-DD)`,
  DICT_TIMESTAMP: (f) => `${f} không phải thời điểm hợp lệ (YYYY-MM-DDTHH:mm:ss)`,
  DICT_TYPE: (f) => `${f} sai kiểu dữ liệu`,
  DICT_NOT_NFC: (f) => `${f} không ở dạng Unicode NFC`,
  DICT_CONTROL_CHAR: (f) => `${f} chứa ký tự điều khiển`,
  DICT_NOT_TRIMMED: (f) => `${f} có khoảng trắng thừa ở đầu hoặc cuối`,
  DICT_UNKNOWN_FIELD: (f) => `${f} không có trong danh mục dữ liệu`,
  DICT_UNKNOWN_TABLE: (f) => `${f}: bảng dữ liệu con không có trong danh mục`,
};

/** Same field and code, the message in Vietnamese (it names the field, never its value). */
export function inVietnamese(error: FieldError): FieldError {
  const field = error.field.split('.').pop() ?? error.field;
  const message = DICTIONARY_MESSAGES[error.code]?.(field) ?? `${field} không hợp lệ`;
  return { field: error.field, code: error.code, message };
}

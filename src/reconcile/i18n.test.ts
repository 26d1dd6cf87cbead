import { describe, expect, it } from 'vitest';
import { TOTAL_LABEL, describeDaysLeft, formatDate, explainCode, explainCodeIn, fillLabel, labels } from './i18n.js';

describe('labels', () => {
  it('has the same keys in both languages and no empty label', () => {
    expect(Object.keys(labels.en).sort()).toEqual(Object.keys(labels.vi).sort());
    for (const lang of ['vi', 'en'] as const) {
      for (const [key, value] of Object.entries(labels[lang])) expect(value.trim(), `${lang}.${key}`).not.toBe('');
    }
  });

  it('uses the agreed card names, held back at the source apart from rejected by the hub', () => {
    const names = (Object.keys(TOTAL_LABEL) as (keyof typeof TOTAL_LABEL)[]).map((k) => labels.vi[TOTAL_LABEL[k]]);
    expect(names).toEqual(['Nguồn', 'Đã nhận', 'Đang chờ', 'Chưa gửi', 'Bị trục từ chối', 'Thất bại', 'Xung đột',
      'Giữ lại ở nguồn', 'Thiếu ở trục', 'Lệch', 'Có ở trục, không còn ở nguồn', 'Thừa ở trục', 'Có cảnh báo']);
    expect(labels.en.totalGoneFromSource).toBe('Held at the hub, gone from the source');
    expect(labels.en.totalMissingAtHub).toBe('Missing at hub');
    expect(new Set(names).size).toBe(names.length);
  });

  it('keeps Vietnamese labels in NFC', () => {
    for (const value of Object.values(labels.vi)) expect(value).toBe(value.normalize('NFC'));
  });
});

describe('explainCode', () => {
  it('explains the common codes in both languages', () => {
    for (const code of ['REQUIRED', 'MAX_LENGTH', 'INVALID_DATE', 'UNKNOWN_ETHNICITY', 'DUPLICATE_IDBANGHI',
      'VERSION_CONFLICT', 'SIGNATURE_INVALID', 'SCHEMA_INVALID', 'HASH_MISMATCH', 'DATA_MISMATCH',
      'CCCD_BIRTH_YEAR', 'PROVINCE_UNKNOWN', 'WARD_UNKNOWN', 'DICT_TOO_LONG', 'DATE_INVALID', 'VERSION_MISMATCH',
      'CONTENT_MISMATCH', 'MISSING_AT_HUB', 'EXTRA_AT_HUB', 'DEAD']) {
      const e = explainCode(code);
      expect(e, code).toBeDefined();
      expect(e?.vi).not.toBe(e?.en);
    }
  });

  it('answers undefined for an unknown code, and the code itself in words', () => {
    expect(explainCode('NOPE')).toBeUndefined();
    expect(explainCodeIn('NOPE', 'vi')).toBe('NOPE');
    expect(explainCode('XCCCD_1')).toBeUndefined();
  });
});

describe('helpers', () => {
  it('fills placeholders and leaves unknown ones', () => {
    expect(fillLabel('{a} và {b}', { a: 1 })).toBe('1 và {b}');
  });

  it('writes dates the Vietnamese way in Vietnamese only', () => {
    expect(formatDate('2026-06-20', 'vi')).toBe('20/06/2026');
    expect(formatDate('2026-06-20', 'en')).toBe('2026-06-20');
    expect(formatDate('soon', 'vi')).toBe('soon');
  });

  it('describes days left, today and overdue', () => {
    expect(describeDaysLeft(3, 'vi')).toBe('còn 3 ngày');
    expect(describeDaysLeft(0, 'en')).toBe('today');
    expect(describeDaysLeft(-2, 'en')).toBe('2 days overdue');
  });
});

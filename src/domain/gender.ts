/**
 * Gender codes of QCVN 109:2017/BTTTT (docs/domain/code-tables.md#the-tables): '0' unknown, '1' male, '2' female.
 * Sources write 'Nam'/'Nữ', 'M'/'F', '1'/'2' (and sometimes 'nam', 'nu', 'male', 'female').
 * '0' is read as "unknown", never as female: some systems use 0/1 for female/male, and such a
 * source must map its column explicitly rather than rely on a guess.
 */
import { searchKey } from './names.js';

export type GenderCode = '0' | '1' | '2';

export const GENDER_NAMES: Readonly<Record<GenderCode, string>> = { '0': 'Chưa có thông tin', '1': 'Nam', '2': 'Nữ' };

const ALIASES: Readonly<Record<string, GenderCode>> = {
  nam: '1', m: '1', male: '1', '1': '1', trai: '1', 'gioi tinh nam': '1',
  nu: '2', f: '2', female: '2', '2': '2', gai: '2', 'gioi tinh nu': '2',
  '0': '0', khac: '0', unknown: '0', 'chua co thong tin': '0', 'khong xac dinh': '0',
};

export type GenderResult = { ok: true; code: GenderCode } | { ok: false; code: 'GENDER_UNKNOWN'; message: string };

export function parseGender(input: unknown): GenderResult {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input : '';
  const code = ALIASES[searchKey(text)];
  return code === undefined
    ? { ok: false, code: 'GENDER_UNKNOWN', message: text.trim() === '' ? 'gender is empty' : 'gender value is not recognised' }
    : { ok: true, code };
}

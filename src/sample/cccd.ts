/**
 * 12-digit CCCD numbers as TT 59/2021/TT-BCA lays them out: 3-digit birth-registration province
 * (the pre-2025 code with a leading 0), one sex-and-century digit, the last two digits of the
 * birth year, then six random digits. There is no public check digit.
 */
import type { Sex } from './vietnamese-names.js';

/** 0/1 male/female born 1900–1999, 2/3 born 2000–2099, 4/5 born 2100–2199. */
export function sexCenturyDigit(birthYear: number, sex: Sex): number {
  const century = Math.floor(birthYear / 100) - 19;
  return century * 2 + (sex === 'female' ? 1 : 0);
}

export function makeCccd(provinceCode: string, birthYear: number, sex: Sex, serial: number): string {
  const province = provinceCode.padStart(3, '0');
  const yy = String(birthYear % 100).padStart(2, '0');
  return `${province}${sexCenturyDigit(birthYear, sex)}${yy}${String(serial % 1_000_000).padStart(6, '0')}`;
}

/**
 * A distinct 6-digit tail for every index below one million: multiplying by a number coprime with
 * 10^6 permutes the residues, so ids never collide within a generated database.
 */
export function cccdSerial(index: number, offset: number): number {
  return (index * 7919 + offset) % 1_000_000;
}

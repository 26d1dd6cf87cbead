/**
 * The PDF must carry the same content as the signed XML (docs/formats/hocba.md#the-pdf): this
 * walks every non-empty scalar field of the sample record and of its child rows, driven by the field
 * tables the XML is built from, and looks for each value in what `pdftotext` reads back.
 */
import { describe, expect, it } from 'vitest';
import { BANGDIEM_FIELDS, CHUNGCHI_FIELDS, HOCBA_FIELDS, QUATRINHHOCTAP_FIELDS, type FieldSpec } from '../hocba/fields.js';
import { sampleHocBaRecord } from '../hocba/sample-record.js';
import { renderHocBaPdf } from './hocba-pdf.js';
import { pdfToText, popplerAvailable } from './poppler.js';

type Scalar = string | number;
/** How one field is shown, as the text the PDF must contain (with a label where the bare value would be too short to prove anything). */
type Display = (value: Scalar) => string;

const ddmmyyyy: Display = (v) => String(v).replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1');
const lookup = (table: Readonly<Record<string, string>>, field: string): Display => (v) => {
  const shown = table[String(v)];
  if (shown === undefined) throw new Error(`the display table for ${field} has no entry for the sample's value; add one`);
  return shown;
};
const LEVEL_WORDS = { T: 'Tốt', K: 'Khá', Đ: 'Đạt', CĐ: 'Chưa đạt' };
const YES_NO = { 0: 'Không', 1: 'Có' };
const labelled = (label: string): Display => (v) => `${label}: ${String(v)}`;

/**
 * Every field the PDF shows in another form than its raw value — the documented display forms.
 * Fields not listed here must appear exactly as they are in the record.
 */
const RECORD_DISPLAY: Readonly<Record<string, Display>> = {
  // codes shown as words
  trangthaithongtinhocba: (v) => `Trạng thái học bạ: ${lookup({ 1: 'Có hiệu lực', 2: 'Thu hồi' }, 'trangthaithongtinhocba')(v)}`,
  trichluc: (v) => `Trích lục từ học bạ giấy: ${lookup(YES_NO, 'trichluc')(v)}`,
  cokhuyettatkhongdanhgia: (v) => `Khuyết tật, không đánh giá: ${lookup(YES_NO, 'cokhuyettatkhongdanhgia')(v)}`,
  gioitinh: (v) => `Giới tính: ${lookup({ 0: 'Chưa có thông tin', 1: 'Nam', 2: 'Nữ' }, 'gioitinh')(v)}`,
  dantoc: (v) => `Dân tộc: ${lookup({ '01': 'Kinh' }, 'dantoc')(v)}`,
  quoctich: (v) => `Quốc tịch: ${lookup({ VN: 'Việt Nam' }, 'quoctich')(v)}`,
  duoclenlop: (v) => `Lên lớp: ${lookup({ 0: 'Không được lên lớp', 1: 'Được lên lớp' }, 'duoclenlop')(v)}`,
  ...Object.fromEntries(
    ['hocky1', 'hocky2', 'canam', 'renluyenhocky1', 'renluyenhocky2', 'renluyencanam', 'renluyenlai', 'kqhoctaplai'].map((f) => [f, lookup(LEVEL_WORDS, f)]),
  ),
  // dates
  ngaythangnamsinh: (v) => `Ngày sinh: ${ddmmyyyy(v)}`,
  ngaytao: (v) => `Ngày tạo ${ddmmyyyy(v)}`,
  ngaykyphathanh: (v) => String(v).replace(/^(\d{4})-(\d{2})-(\d{2})$/, 'ngày $3 tháng $2 năm $1'),
  // the header writes the issuing bodies in capitals, as the paper form does
  tensogd: (v) => String(v).toUpperCase(),
  tentruong: (v) => String(v).toUpperCase(),
  // place codes next to the place names
  thongtintruong_diachi_maxa: (v) => `mã xã ${String(v)}`,
  thongtintruong_diachi_matinh: (v) => `mã tỉnh ${String(v)}`,
  noisinh_maxa: (v) => `mã xã ${String(v)}`,
  noisinh_matinh: (v) => `mã tỉnh ${String(v)}`,
  quequan_maxa: (v) => `mã xã ${String(v)}`,
  quequan_matinh: (v) => `mã tỉnh ${String(v)}`,
  noiohiennay_maxa: (v) => `mã xã ${String(v)}`,
  noiohiennay_matinh: (v) => `mã tỉnh ${String(v)}`,
  // short codes and numbers: checked with their label, or the bare value would match anywhere
  phienbanthongtinhocba: (v) => `Phiên bản ${String(v)}`,
  thongtu: (v) => `Thông tư ${String(v)}`,
  namhoc: (v) => `Năm học ${String(v)}`,
  masogd: labelled('Mã sở GD&ĐT'),
  macaphoc: labelled('Mã cấp học'),
  matruong: labelled('Mã trường'),
  makhoi: labelled('Khối'),
  tenlop: labelled('Lớp'),
  sosodangbo: labelled('Số đăng bộ'),
  mahocsinh: labelled('Mã học sinh'),
  sobuoinghi: labelled('Tổng số buổi nghỉ học cả năm'),
  chucvugiamhieu: labelled('Giám hiệu'),
  diadanhphathanh: (v) => `${String(v)}, ngày`,
};

const BANGDIEM_DISPLAY: Readonly<Record<string, Display>> = {
  mamonhoc: labelled('Mã môn'),
  soddcngvbm: labelled('Số ĐDCN'),
};
const QUATRINHHOCTAP_DISPLAY: Readonly<Record<string, Display>> = {
  ngaytrangthaichuyenden: ddmmyyyy,
};
const CHUNGCHI_DISPLAY: Readonly<Record<string, Display>> = {};

/** Fields deliberately left out of the PDF, with the reason. None: the PDF carries everything the XML does. */
const NOT_SHOWN: Readonly<Record<string, string>> = {};

const CHILD_TABLES = [
  { key: 'bangdiem', fields: BANGDIEM_FIELDS, display: BANGDIEM_DISPLAY },
  { key: 'quatrinhhoctap', fields: QUATRINHHOCTAP_FIELDS, display: QUATRINHHOCTAP_DISPLAY },
  { key: 'chungchi', fields: CHUNGCHI_FIELDS, display: CHUNGCHI_DISPLAY },
] as const;

interface Expectation {
  path: string;
  shown: string;
}

function isScalar(value: unknown): value is Scalar {
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
}

/** What the PDF must contain for each non-empty field of `row`; unknown keys fail (the walk must cover the whole row). */
function expectationsFor(row: object, fields: readonly FieldSpec[], display: Readonly<Record<string, Display>>, prefix: string, children: readonly string[] = []): Expectation[] {
  const known = new Set(fields.map((f) => f.name));
  const unknown = Object.keys(row).filter((k) => !known.has(k) && !children.includes(k));
  expect(unknown, `${prefix || 'record'} keys outside the field table`).toEqual([]);
  const out: Expectation[] = [];
  for (const field of fields) {
    const value: unknown = (row as Record<string, unknown>)[field.name];
    if (!isScalar(value) || field.name in NOT_SHOWN) continue;
    const show = display[field.name];
    out.push({ path: `${prefix}${field.name}`, shown: show ? show(value) : String(value) });
  }
  return out;
}

/** NFC, runs of white space as one space: table cells and long lines wrap in the PDF. */
const squeeze = (text: string): string => text.normalize('NFC').replace(/\s+/g, ' ');

describe('hocba PDF content tables', () => {
  it('name only real fields', () => {
    const names = (fields: readonly FieldSpec[]): Set<string> => new Set(fields.map((f) => f.name));
    const check = (table: Readonly<Record<string, unknown>>, fields: readonly FieldSpec[]): void => {
      const real = names(fields);
      expect(Object.keys(table).filter((k) => !real.has(k))).toEqual([]);
    };
    check(RECORD_DISPLAY, HOCBA_FIELDS);
    check(BANGDIEM_DISPLAY, BANGDIEM_FIELDS);
    check(QUATRINHHOCTAP_DISPLAY, QUATRINHHOCTAP_FIELDS);
    check(CHUNGCHI_DISPLAY, CHUNGCHI_FIELDS);
    expect(NOT_SHOWN).toEqual({});
  });
});

describe.skipIf(!popplerAvailable())('hocba PDF carries the same content as the XML', () => {
  it('shows every non-empty field of the sample record and its child rows', async () => {
    const record = sampleHocBaRecord();
    const text = squeeze(await pdfToText(await renderHocBaPdf(record)));

    const expectations = expectationsFor(record, HOCBA_FIELDS, RECORD_DISPLAY, '', CHILD_TABLES.map((t) => t.key));
    for (const table of CHILD_TABLES) {
      const rows: readonly object[] = record[table.key];
      expect(rows.length, `the sample needs a ${table.key} row for this test to mean anything`).toBeGreaterThan(0);
      rows.forEach((row, i) => expectations.push(...expectationsFor(row, table.fields, table.display, `${table.key}[${i}].`)));
    }
    // a sanity floor: the sample fills most of the dictionary
    expect(expectations.length).toBeGreaterThan(60);

    const missing = expectations.filter((e) => !text.includes(squeeze(e.shown))).map((e) => e.path);
    // field paths only: the values are personal data and stay out of the test report
    expect(missing).toEqual([]);
  });

  it('shows the place codes next to the names and each signer with their personal id', async () => {
    const record = sampleHocBaRecord();
    const text = squeeze(await pdfToText(await renderHocBaPdf(record)));
    // labelled booleans: a failure names what is missing without printing the document's personal data
    const shows = (what: string, fragment: string): void => expect(text.includes(squeeze(fragment)), what).toBe(true);
    shows('school address with codes', `${record.thongtintruong_diachi_tenxa}, ${record.thongtintruong_diachi_tentinh} (mã xã ${record.thongtintruong_diachi_maxa ?? ''}, mã tỉnh ${record.thongtintruong_diachi_matinh})`);
    shows('current address with codes', `${record.noiohiennay_diachichitiet} (mã xã ${record.noiohiennay_maxa ?? ''}, mã tỉnh ${record.noiohiennay_matinh ?? ''})`);
    shows('birth place with its province code only', `${record.noisinh_diachichitiet} (mã tỉnh ${record.noisinh_matinh ?? ''})`);
    for (const subject of record.bangdiem) shows(`teacher of ${subject.mamonhoc} with id`, `${subject.gvbm} Số ĐDCN: ${subject.soddcngvbm}`);
    shows('homeroom teacher row', `Giáo viên chủ nhiệm ${record.tengvcn} ${record.soddcngvcn ?? ''}`);
    shows('principal row', `Giám hiệu: ${record.chucvugiamhieu} ${record.tengiamhieu} ${record.soddcngiamhieu}`);
  });

  it('shows a birth year that disagrees with the full birth date instead of dropping it', async () => {
    const record = { ...sampleHocBaRecord(), namsinh: '2010' };
    const text = squeeze(await pdfToText(await renderHocBaPdf(record)));
    expect(text).toContain('Ngày sinh: 14/03/2009 (2010)');
  });
});

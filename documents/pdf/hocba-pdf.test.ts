import { describe, expect, it } from 'vitest';
import { LienthongError } from '../../src/core/errors.js';
import type { BangDiemMon, HocBaThcsThpt } from '../hocba/fields.js';
import { sampleHocBaRecord } from '../hocba/sample-record.js';
import { renderHocBaPdf } from './hocba-pdf.js';
import { pdfToText, popplerAvailable } from './poppler.js';

const hasPoppler = popplerAvailable();
const FIXED = { creationDate: new Date('2025-05-31T08:00:00+07:00') };

/** A full grade-9 year (TT22 subjects, long comments, retakes) that spills onto a second page. */
function fullYearRecord(): HocBaThcsThpt {
  const base = sampleHocBaRecord();
  const teacher = (i: number): Pick<BangDiemMon, 'gvbm' | 'soddcngvbm'> => ({ gvbm: `Giáo viên Thử Nghiệm ${i}`, soddcngvbm: `00118000${String(1000 + i)}` });
  const subjects: BangDiemMon[] = [
    { mamonhoc: 'TOA', tenmonhoc: 'Toán', diemhocky1: '8.5', diemhocky2: '9.0', diemcanam: '8.8', nxetmonhoc: 'Tư duy logic tốt, trình bày rõ ràng.', ...teacher(1) },
    { mamonhoc: 'VAN', tenmonhoc: 'Ngữ văn', diemhocky1: '7.5', diemhocky2: '8.0', diemcanam: '7.8', nxetmonhoc: 'Diễn đạt mạch lạc; cần đọc thêm tác phẩm ngoài chương trình để mở rộng vốn từ.', ...teacher(2) },
    { mamonhoc: 'NN1', tenmonhoc: 'Tiếng Anh', diemhocky1: '9.1', diemhocky2: '9.4', diemcanam: '9.3', ...teacher(3) },
    { mamonhoc: 'GDC', tenmonhoc: 'Giáo dục công dân', diemhocky1: '8.0', diemhocky2: '8.6', diemcanam: '8.4', ...teacher(4) },
    { mamonhoc: 'LSD', tenmonhoc: 'Lịch sử và Địa lí', diemhocky1: '6.9', diemhocky2: '7.2', diemcanam: '7.1', ...teacher(5) },
    { mamonhoc: 'KHT', tenmonhoc: 'Khoa học tự nhiên', diemhocky1: '4.5', diemhocky2: '4.8', diemcanam: '4.7', diemkttralai: '6.0', nxetmonhoc: 'Đã kiểm tra lại trong hè, đạt yêu cầu.', ...teacher(6) },
    { mamonhoc: 'CNG', tenmonhoc: 'Công nghệ', diemhocky1: '10', diemhocky2: '9.9', diemcanam: '9.9', ...teacher(7) },
    { mamonhoc: 'TIN', tenmonhoc: 'Tin học', diemhocky1: '8.2', diemhocky2: '8.3', diemcanam: '8.3', ...teacher(8) },
    { mamonhoc: 'GDT', tenmonhoc: 'Giáo dục thể chất', diemhocky1: 'Đ', diemhocky2: 'Đ', diemcanam: 'Đ', ...teacher(9) },
    { mamonhoc: 'AMN', tenmonhoc: 'Âm nhạc', diemhocky1: 'CĐ', diemhocky2: 'Đ', diemcanam: 'Đ', ...teacher(10) },
    { mamonhoc: 'MTH', tenmonhoc: 'Mĩ thuật', diemhocky1: 'M', diemhocky2: 'M', diemcanam: 'M', nxetmonhoc: 'Miễn học theo quyết định của nhà trường.', ...teacher(11) },
    { mamonhoc: 'HDT', tenmonhoc: 'HĐ trải nghiệm', diemhocky1: 'Đ', diemhocky2: 'Đ', diemcanam: 'Đ', ...teacher(12) },
    { mamonhoc: 'GDP', tenmonhoc: 'GD địa phương', diemhocky1: 'Đ', diemhocky2: 'Đ', diemcanam: 'Đ', ...teacher(13) },
  ];
  return {
    ...base,
    hocky1: 'K',
    hocky2: 'Đ',
    canam: 'CĐ',
    kqhoctaplai: 'Đ',
    renluyenhocky1: 'T',
    renluyenhocky2: 'K',
    renluyencanam: 'K',
    ndunghoanthanh: 'Hoàn thành chương trình trung học cơ sở',
    kquathamgiacuocthi: 'Giải Ba cuộc thi Khoa học kỹ thuật cấp quận',
    nxetgvcn: 'Ngoan, lễ phép, hoà đồng với bạn bè. Cần cố gắng hơn ở môn Khoa học tự nhiên. '.repeat(4).trim(),
    bangdiem: subjects,
    quatrinhhoctap: [
      { namhoc: '2021-2022', tenlop: '6A2', tentruong: 'Trường THCS Ngọc Hà', tentinh: 'Thành phố Hà Nội' },
      { namhoc: '2022-2023', tenlop: '7A1', tentruong: 'Trường THCS Thử Nghiệm', tentinh: 'Thành phố Hà Nội', ngaytrangthaichuyenden: '2022-08-15' },
      { namhoc: '2023-2024', tenlop: '8A1', tentruong: 'Trường THCS Thử Nghiệm', tentinh: 'Thành phố Hà Nội' },
    ],
  };
}

const nfc = (s: string): string => s.normalize('NFC');
/** Lines of `pdftotext -layout` output with runs of spaces squeezed, NFC. */
const layoutLines = (text: string): string[] => nfc(text).split('\n').map((l) => l.replace(/\s+/g, ' ').trim());

describe('renderHocBaPdf', () => {
  it('makes a PDF, byte for byte the same for the same record and creation date', async () => {
    const record = sampleHocBaRecord();
    const first = await renderHocBaPdf(record, FIXED);
    const second = await renderHocBaPdf(record, FIXED);
    expect(first.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(first.equals(second)).toBe(true);
    // the default creation date is the record's ngaytao, so the default is deterministic too
    expect((await renderHocBaPdf(record)).equals(await renderHocBaPdf(record))).toBe(true);
    // and the creation date really is an input
    const other = await renderHocBaPdf(record, { creationDate: new Date('2025-06-01T08:00:00+07:00') });
    expect(other.equals(first)).toBe(false);
  });

  it('refuses a record without subjects, naming the record and field', async () => {
    const record = { ...sampleHocBaRecord(), bangdiem: [] };
    await expect(renderHocBaPdf(record)).rejects.toMatchObject({ code: 'HOCBA_NO_SUBJECT', kind: 'data', context: { record: record.idbanghi, field: 'bangdiem' } });
  });

  it('refuses a result level outside T/K/Đ/CĐ without quoting the value', async () => {
    const record = { ...sampleHocBaRecord(), renluyencanam: 'Giỏi' };
    const error = await renderHocBaPdf(record).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(LienthongError);
    expect(error).toMatchObject({ code: 'PDF_UNKNOWN_LEVEL', context: { field: 'renluyencanam', record: record.idbanghi } });
    expect((error as Error).message).not.toContain('Giỏi');
  });
});

describe.skipIf(!hasPoppler)('renderHocBaPdf read back with pdftotext', () => {
  it('shows the pupil, every subject with its scores and the results in Vietnamese', async () => {
    const record = sampleHocBaRecord();
    const pdf = await renderHocBaPdf(record, FIXED);
    const text = nfc(await pdfToText(pdf));
    const lines = layoutLines(await pdfToText(pdf, { layout: true }));

    for (const value of [record.hovaten, record.tentruong.toUpperCase(), `Năm học ${record.namhoc}`, 'HỌC BẠ', 'TRUNG HỌC CƠ SỞ', '14/03/2009', record.sodinhdanh, record.mahocsinh, record.tenlop, 'Nam', 'Kinh', 'Việt Nam', record.noiohiennay_diachichitiet, record.nxetgvcn, record.tengvcn, record.tengiamhieu, 'HIỆU TRƯỞNG', 'Hà Nội, ngày 31 tháng 05 năm 2025', record.madinhdanhhocba, 'Tin học cơ bản', 'Chứng chỉ ứng dụng CNTT', 'Được lên lớp', 'Học sinh Giỏi']) {
      expect(text).toContain(nfc(value));
    }
    for (const subject of record.bangdiem) {
      const row = lines.find((l) => l.startsWith(`${nfc(subject.tenmonhoc)} `));
      expect(row, subject.mamonhoc).toBeDefined();
      expect(row).toBe(nfc([subject.tenmonhoc, subject.diemhocky1, subject.diemhocky2, subject.diemcanam, subject.gvbm].join(' ')));
    }
    expect(lines).toContain('Kết quả học tập Tốt Tốt Tốt');
    expect(lines).toContain('Kết quả rèn luyện Tốt Tốt Tốt');
  });

  it('keeps every subject of a full year over two pages, with the codes spelt out', async () => {
    const record = fullYearRecord();
    const pdf = await renderHocBaPdf(record, FIXED);
    const raw = await pdfToText(pdf, { layout: true });
    const pages = raw.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBe(2);
    expect(nfc(pages[0] ?? '')).toContain('Trang 1/2');
    expect(nfc(pages[1] ?? '')).toContain('Trang 2/2');

    const lines = layoutLines(raw);
    if (process.env['LIENTHONG_PDF_OUT']) (await import('node:fs')).writeFileSync(process.env['LIENTHONG_PDF_OUT'], pdf);
    for (const subject of record.bangdiem) {
      const row = lines.find((l) => l.startsWith(`${nfc(subject.tenmonhoc)} `));
      expect(row, subject.mamonhoc).toBeDefined();
      const scores = [subject.diemhocky1, subject.diemhocky2, subject.diemcanam, subject.diemkttralai].filter((s): s is string => s !== undefined);
      expect(row).toContain(scores.join(' '));
    }
    expect(lines).toContain('Kết quả học tập Khá Đạt Chưa đạt Đạt');
    expect(lines).toContain('Kết quả rèn luyện Tốt Khá Khá');
    // cell text wraps: compare with line breaks squeezed to spaces
    const text = nfc(await pdfToText(pdf)).replace(/\s+/g, ' ');
    for (const subject of record.bangdiem) expect(text).toContain(nfc(subject.gvbm));
    for (const value of ['Hoàn thành chương trình trung học cơ sở', 'Giải Ba cuộc thi Khoa học kỹ thuật cấp quận', 'Trường THCS Ngọc Hà', '15/08/2022', 'Miễn học theo quyết định của nhà trường.']) {
      expect(text).toContain(nfc(value));
    }
  });

  it('repeats the table header on the next page when the subjects do not fit on one', async () => {
    const base = fullYearRecord();
    const many = Array.from({ length: 30 }, (_, i) => ({ ...base.bangdiem[i % base.bangdiem.length]!, mamonhoc: `M${String(i).padStart(2, '0')}`, tenmonhoc: `Môn thử ${i + 1}` }));
    const pdf = await renderHocBaPdf({ ...base, bangdiem: many }, FIXED);
    const pages = (await pdfToText(pdf, { layout: true })).split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const headers = pages.filter((p) => layoutLines(p).some((l) => l.startsWith('Môn học Học kỳ I')));
    expect(headers.length).toBe(2);
    const lines = layoutLines(pages.join('\n'));
    for (let i = 1; i <= 30; i++) expect(lines.some((l) => l.startsWith(`Môn thử ${i} `))).toBe(true);
  });
});

/**
 * The PDF rendition of a secondary school record (`thongtinsohocbasothcsthpt`): one A4 học bạ year
 * page for people, with the same content as the XML document (docs/formats/hocba.md#the-pdf).
 * It is the official record, so it shows the full data as the paper học bạ does — masking is for logs
 * and reports, not for the document itself.
 *
 * Output is deterministic: the creation date is the record's `ngaytao` unless the caller passes one,
 * pdfkit derives the file id from the document info, and font subsets are named by their order.
 * Sign the result with `signPdf` (sign-pdf.ts).
 */
import PDFDocument from 'pdfkit';
import { DataError } from '../../src/core/errors.js';
import type { HocBaThcsThpt } from '../hocba/fields.js';
import { dejavuFontPath, PDF_FONT, registerPdfFonts } from './fonts.js';
import {
  birthDateText,
  countryName,
  ethnicityName,
  genderName,
  levelName,
  placeAndDate,
  promotionText,
  recordStatusName,
  SCORE_LEGEND,
  schoolLevelTitle,
  vietnameseDate,
  withPlaceCodes,
  yesNo,
} from './hocba-labels.js';
import { drawTable, type TableColumn } from './table.js';

export interface HocBaPdfOptions {
  /** the PDF's CreationDate; defaults to the record's `ngaytao` at midnight, Viet Nam time */
  creationDate?: Date;
  /** page margin in points (default 40) */
  margin?: number;
}

const DATASET = 'thongtinsohocbasothcsthpt';
const BODY_SIZE = 9.5;
const TABLE_SIZE = 8.5;
const FOOTER_SIZE = 7;
const LINE_GAP = 1.5;

type Doc = PDFKit.PDFDocument;
type LevelField = 'hocky1' | 'hocky2' | 'canam' | 'renluyenhocky1' | 'renluyenhocky2' | 'renluyencanam' | 'renluyenlai' | 'kqhoctaplai';

/** Renders the record as a signed-ready PDF (unsigned). Throws DataError naming the record and field for bad codes. */
export async function renderHocBaPdf(data: HocBaThcsThpt, options: HocBaPdfOptions = {}): Promise<Buffer> {
  const record = normalizeStrings(data);
  const recordKey = record.idbanghi;
  if (record.bangdiem.length === 0) {
    throw new DataError('HOCBA_NO_SUBJECT', 'the record has no subject (bangdiem is empty)', { dataset: DATASET, record: recordKey, field: 'bangdiem' });
  }
  const creationDate = options.creationDate ?? dateInVietnam(record.ngaytao, recordKey, 'ngaytao');
  const margin = options.margin ?? 40;

  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: margin, left: margin, right: margin, bottom: margin + 14 },
    pdfVersion: '1.7',
    lang: 'vi-VN',
    displayTitle: true,
    bufferPages: true,
    // the default font would otherwise be Helvetica, which cannot show Vietnamese
    font: dejavuFontPath('regular'),
    info: {
      Title: `Học bạ ${record.hovaten} — năm học ${record.namhoc}`,
      Author: record.tentruong,
      Subject: `Học bạ số ${schoolLevelTitle(record.makhoi).toLowerCase() || 'THCS/THPT'}, lớp ${record.tenlop}, năm học ${record.namhoc}`,
      Keywords: `học bạ số; ${record.madinhdanhhocba}; phiên bản ${record.phienbanthongtinhocba}`,
      Creator: 'lienthong',
      Producer: 'lienthong (PDFKit)',
      CreationDate: creationDate,
    },
  });
  const done = collect(doc);
  registerPdfFonts(doc);
  doc.font(PDF_FONT.regular).fontSize(BODY_SIZE).lineGap(LINE_GAP);

  drawHeader(doc, record);
  const section = sectionCounter();
  drawPupil(doc, record, section());
  drawSubjects(doc, record, section());
  drawResults(doc, record, recordKey, section());
  if (record.quatrinhhoctap.length > 0) drawHistory(doc, record, section());
  if (record.chungchi.length > 0) drawCertificates(doc, record, section());
  drawSignerList(doc, record, section());
  drawRecordInfo(doc, record, section());
  drawSignatureBlock(doc, record);
  drawFooters(doc, record);

  doc.end();
  return done;
}

/** Every string NFC (docs/formats/diploma.md#common-rules), so that the embedded font gets precomposed letters. */
function normalizeStrings<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map((v: unknown) => normalizeStrings(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeStrings(v)])) as T;
  }
  return value;
}

function dateInVietnam(iso: string, record: string, field: string): Date {
  const date = new Date(`${iso}T00:00:00+07:00`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(date.getTime())) {
    throw new DataError('PDF_BAD_DATE', `${field} is not a YYYY-MM-DD date`, { dataset: DATASET, record, field });
  }
  return date;
}

export function collect(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function sectionCounter(): () => string {
  const numerals = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII'];
  let next = 0;
  return () => numerals[next++] ?? String(next);
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Space for `height` points on this page, or a new page. */
function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

function sectionTitle(doc: Doc, title: string): void {
  ensureSpace(doc, 60);
  doc.moveDown(0.5);
  doc.x = doc.page.margins.left;
  doc.font(PDF_FONT.bold).fontSize(10.5).text(title);
  doc.moveDown(0.3);
  doc.font(PDF_FONT.regular).fontSize(BODY_SIZE);
}

// ---------------------------------------------------------------------------------------------
// Header: the school on the left, the national motto on the right, then the title.

function drawHeader(doc: Doc, r: HocBaThcsThpt): void {
  const left = doc.page.margins.left;
  const width = contentWidth(doc);
  const colWidth = width / 2 - 5;
  const rightX = left + width / 2 + 5;
  const top = doc.y;

  doc.font(PDF_FONT.regular).fontSize(8.5).text('BỘ GIÁO DỤC VÀ ĐÀO TẠO', left, top, { width: colWidth, align: 'center' });
  doc.text(r.tensogd.toUpperCase(), { width: colWidth, align: 'center' });
  doc.font(PDF_FONT.bold).text(r.tentruong.toUpperCase(), { width: colWidth, align: 'center' });
  const leftBottom = doc.y;
  underline(doc, left + colWidth / 2, leftBottom + 2, 60);

  doc.font(PDF_FONT.bold).fontSize(8.5).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, top, { width: colWidth, align: 'center' });
  doc.fontSize(9).text('Độc lập - Tự do - Hạnh phúc', { width: colWidth, align: 'center' });
  const rightBottom = doc.y;
  underline(doc, rightX + colWidth / 2, rightBottom + 2, 110);

  doc.x = left;
  doc.y = Math.max(leftBottom, rightBottom) + 12;
  doc.font(PDF_FONT.bold).fontSize(22).text('HỌC BẠ', { width, align: 'center' });
  const level = schoolLevelTitle(r.makhoi);
  if (level) doc.fontSize(12).text(level, { width, align: 'center' });
  doc.font(PDF_FONT.regular).fontSize(11).text(`Năm học ${r.namhoc}`, { width, align: 'center' });
  if (r.trangthaithongtinhocba === '2') {
    doc.font(PDF_FONT.bold).fontSize(10).fillColor('#b00000').text('HỌC BẠ ĐÃ BỊ THU HỒI', { width, align: 'center' }).fillColor('#000000');
  }
  if (r.trichluc === 1) doc.font(PDF_FONT.italic).fontSize(9).text('(Trích lục từ học bạ giấy)', { width, align: 'center' });

  const placeNames = [r.thongtintruong_diachi_tenxa, r.tenhuyen, r.thongtintruong_diachi_tentinh].filter(isPresent).join(', ');
  const address = withPlaceCodes(placeNames, r.thongtintruong_diachi_maxa, r.thongtintruong_diachi_matinh);
  doc.font(PDF_FONT.regular).fontSize(8.5).moveDown(0.3)
    .text(`Mã trường: ${r.matruong}   ·   Địa chỉ: ${address}`, { width, align: 'center' });
  doc.fontSize(BODY_SIZE);
}

function underline(doc: Doc, centerX: number, y: number, length: number): void {
  doc.lineWidth(0.6).moveTo(centerX - length / 2, y).lineTo(centerX + length / 2, y).stroke();
}

// ---------------------------------------------------------------------------------------------
// I. The pupil

function drawPupil(doc: Doc, r: HocBaThcsThpt, number: string): void {
  sectionTitle(doc, `${number}. THÔNG TIN HỌC SINH`);
  labelGrid(doc, [
    ['Họ và tên', r.hovaten],
    ['Giới tính', genderName(r.gioitinh)],
    ['Ngày sinh', birthDateText(r)],
    ['Dân tộc', ethnicityName(r.dantoc)],
    ['Số định danh cá nhân', r.sodinhdanh],
    ['Quốc tịch', countryName(r.quoctich)],
    ['Mã học sinh', r.mahocsinh],
    ['Số đăng bộ', r.sosodangbo ?? ''],
    ['Lớp', r.tenlop],
    ['Khối', r.makhoi],
  ]);
  labelLine(doc, 'Nơi sinh', withPlaceCodes(r.noisinh_diachichitiet, r.noisinh_maxa, r.noisinh_matinh));
  labelLine(doc, 'Quê quán', withPlaceCodes(r.quequan_diachichitiet, r.quequan_maxa, r.quequan_matinh));
  labelLine(doc, 'Nơi ở hiện nay', withPlaceCodes(r.noiohiennay_diachichitiet, r.noiohiennay_maxa, r.noiohiennay_matinh));
  if (isPresent(r.doituongchinhsach)) labelLine(doc, 'Đối tượng chính sách', r.doituongchinhsach);
  if (r.cokhuyettatkhongdanhgia === 1) labelLine(doc, 'Ghi chú', 'Học sinh khuyết tật không đánh giá kết quả học tập');
  parentLine(doc, 'Họ và tên cha', r.hotencha, r.nghenghiepcha);
  parentLine(doc, 'Họ và tên mẹ', r.hotenme, r.nghenghiepme);
  parentLine(doc, 'Người giám hộ', r.hotennguoigiamho, r.nghenghiepnguoigiamho);
}

function parentLine(doc: Doc, label: string, name: string | undefined, job: string | undefined): void {
  if (!isPresent(name) && !isPresent(job)) return;
  labelLine(doc, label, [name, isPresent(job) ? `nghề nghiệp: ${job}` : undefined].filter(isPresent).join('; '));
}

/** Label: value pairs two to a line. */
function labelGrid(doc: Doc, pairs: readonly (readonly [string, string])[]): void {
  const left = doc.page.margins.left;
  const half = contentWidth(doc) / 2;
  for (let i = 0; i < pairs.length; i += 2) {
    const y = doc.y;
    let bottom = y;
    pairs.slice(i, i + 2).forEach(([label, value], j) => {
      doc.x = left + j * half;
      doc.y = y;
      labelValue(doc, label, value, half - 8);
      bottom = Math.max(bottom, doc.y);
    });
    doc.x = left;
    doc.y = bottom;
  }
}

function labelLine(doc: Doc, label: string, value: string): void {
  doc.x = doc.page.margins.left;
  labelValue(doc, label, value, contentWidth(doc));
}

function labelValue(doc: Doc, label: string, value: string, width: number): void {
  doc.font(PDF_FONT.regular).fontSize(BODY_SIZE).text(`${label}: `, { width, continued: true });
  doc.font(PDF_FONT.bold).text(value === '' ? ' ' : value, { width });
  doc.font(PDF_FONT.regular);
}

// ---------------------------------------------------------------------------------------------
// II. Subjects

function drawSubjects(doc: Doc, r: HocBaThcsThpt, number: string): void {
  sectionTitle(doc, `${number}. KẾT QUẢ HỌC TẬP CÁC MÔN HỌC`);
  const columns: TableColumn[] = [
    { header: 'Môn học', width: 92 },
    { header: 'Học kỳ I', width: 44, align: 'center' },
    { header: 'Học kỳ II', width: 44, align: 'center' },
    { header: 'Cả năm', width: 40, align: 'center' },
    { header: 'Kiểm tra lại', width: 44, align: 'center' },
    { header: 'Nhận xét', width: 0 },
    { header: 'Giáo viên bộ môn', width: 125 },
  ];
  fillRemainingWidth(doc, columns, 5);
  // Each subject teacher signs their own subject (BangDiem), so their personal id sits in that row,
  // under the name; the subject code goes under the subject's name for the same reason.
  const rows = r.bangdiem.map((s) => [
    `${s.tenmonhoc}\nMã môn: ${s.mamonhoc}`,
    s.diemhocky1 ?? '',
    s.diemhocky2 ?? '',
    s.diemcanam ?? '',
    s.diemkttralai ?? '',
    s.nxetmonhoc ?? '',
    `${s.gvbm}\nSố ĐDCN: ${s.soddcngvbm}`,
  ]);
  drawTable(doc, columns, rows, { fontSize: TABLE_SIZE, headerFontSize: 8, gapAfter: 3 });
  doc.font(PDF_FONT.italic).fontSize(7.5).text(`Điểm trung bình môn hoặc mức đánh giá. ${SCORE_LEGEND}`);
  doc.font(PDF_FONT.regular).fontSize(BODY_SIZE);
}

/** Gives column `index` whatever width the others leave of the content width. */
function fillRemainingWidth(doc: Doc, columns: TableColumn[], index: number): void {
  const used = columns.reduce((sum, c, i) => (i === index ? sum : sum + c.width), 0);
  const column = columns[index];
  if (column) column.width = contentWidth(doc) - used;
}

// ---------------------------------------------------------------------------------------------
// III. Results, conduct, promotion, homeroom comment

function drawResults(doc: Doc, r: HocBaThcsThpt, recordKey: string, number: string): void {
  sectionTitle(doc, `${number}. KẾT QUẢ RÈN LUYỆN VÀ HỌC TẬP`);
  const level = (field: LevelField): string => levelName(r[field], recordKey, field);
  const columns: TableColumn[] = [
    { header: '', width: 130 },
    { header: 'Học kỳ I', width: 80, align: 'center' },
    { header: 'Học kỳ II', width: 80, align: 'center' },
    { header: 'Cả năm', width: 80, align: 'center' },
    { header: 'Sau rèn luyện, kiểm tra lại trong hè', width: 0, align: 'center' },
  ];
  fillRemainingWidth(doc, columns, 4);
  drawTable(doc, columns, [
    ['Kết quả học tập', level('hocky1'), level('hocky2'), level('canam'), level('kqhoctaplai')],
    ['Kết quả rèn luyện', level('renluyenhocky1'), level('renluyenhocky2'), level('renluyencanam'), level('renluyenlai')],
  ], { fontSize: TABLE_SIZE, boldFirstColumn: true, gapAfter: 6 });

  if (r.sobuoinghi !== undefined) labelLine(doc, 'Tổng số buổi nghỉ học cả năm', String(r.sobuoinghi));
  labelLine(doc, 'Lên lớp', promotionText(r.duoclenlop, r.ndungduoclenlop));
  if (isPresent(r.ndunghoanthanh)) labelLine(doc, 'Hoàn thành chương trình', r.ndunghoanthanh);
  if (isPresent(r.ndungkquarenluyen)) labelLine(doc, 'Kết quả rèn luyện', r.ndungkquarenluyen);
  if (isPresent(r.kquathamgiacuocthi)) labelLine(doc, 'Kết quả tham gia các cuộc thi', r.kquathamgiacuocthi);
  if (isPresent(r.ndungkhenthuong)) labelLine(doc, 'Khen thưởng', r.ndungkhenthuong);
  doc.moveDown(0.3);
  doc.font(PDF_FONT.bold).fontSize(BODY_SIZE).text('Nhận xét của giáo viên chủ nhiệm:');
  doc.font(PDF_FONT.regular).text(r.nxetgvcn, { width: contentWidth(doc), indent: 12 });
}

// ---------------------------------------------------------------------------------------------
// IV. Earlier years, V. certificates

function drawHistory(doc: Doc, r: HocBaThcsThpt, number: string): void {
  sectionTitle(doc, `${number}. QUÁ TRÌNH HỌC TẬP`);
  const columns: TableColumn[] = [
    { header: 'Năm học', width: 70, align: 'center' },
    { header: 'Lớp', width: 55, align: 'center' },
    { header: 'Trường', width: 0 },
    { header: 'Tỉnh/thành phố', width: 120 },
    { header: 'Ngày chuyển đến', width: 75, align: 'center' },
  ];
  fillRemainingWidth(doc, columns, 2);
  const rows = r.quatrinhhoctap.map((q) => [q.namhoc, q.tenlop, q.tentruong, q.tentinh, q.ngaytrangthaichuyenden ? vietnameseDate(q.ngaytrangthaichuyenden) : '']);
  drawTable(doc, columns, rows, { fontSize: TABLE_SIZE });
}

function drawCertificates(doc: Doc, r: HocBaThcsThpt, number: string): void {
  sectionTitle(doc, `${number}. CHỨNG CHỈ`);
  const columns: TableColumn[] = [
    { header: 'Tên chứng chỉ', width: 0 },
    { header: 'Loại chứng chỉ', width: 0 },
  ];
  const half = contentWidth(doc) / 2;
  columns.forEach((c) => (c.width = half));
  drawTable(doc, columns, r.chungchi.map((c) => [c.tenchungchi ?? '', c.loaichungchi ?? '']), { fontSize: TABLE_SIZE });
}

// ---------------------------------------------------------------------------------------------
// VI. Who signs the record, with their personal ids (the XML's DSCKS signers), VII. the record itself.

function drawSignerList(doc: Doc, r: HocBaThcsThpt, number: string): void {
  sectionTitle(doc, `${number}. NGƯỜI KÝ HỌC BẠ`);
  const columns: TableColumn[] = [
    { header: 'Vai trò', width: 170 },
    { header: 'Họ và tên', width: 0 },
    { header: 'Số định danh cá nhân', width: 130, align: 'center' },
  ];
  fillRemainingWidth(doc, columns, 1);
  drawTable(doc, columns, [
    ['Giáo viên chủ nhiệm', r.tengvcn, r.soddcngvcn ?? ''],
    [`Giám hiệu: ${r.chucvugiamhieu}`, r.tengiamhieu, r.soddcngiamhieu],
  ], { fontSize: TABLE_SIZE, gapAfter: 3 });
  doc.font(PDF_FONT.italic).fontSize(7.5)
    .text('Giáo viên bộ môn: họ tên và số định danh cá nhân (Số ĐDCN) ghi ở từng môn học, mục II.', { width: contentWidth(doc) });
  doc.font(PDF_FONT.regular).fontSize(BODY_SIZE);
}

function drawRecordInfo(doc: Doc, r: HocBaThcsThpt, number: string): void {
  sectionTitle(doc, `${number}. THÔNG TIN HỒ SƠ`);
  labelGrid(doc, [
    ['Mã bản ghi', r.idbanghi],
    ['Trạng thái học bạ', recordStatusName(r.trangthaithongtinhocba)],
    ['Mã sở GD&ĐT', r.masogd],
    ['Mã cấp học', r.macaphoc],
    ['Trích lục từ học bạ giấy', yesNo(r.trichluc)],
    ['Khuyết tật, không đánh giá', yesNo(r.cokhuyettatkhongdanhgia)],
  ]);
}

// ---------------------------------------------------------------------------------------------
// Signatures: homeroom teacher on the left, principal (with place and date) on the right.

function drawSignatureBlock(doc: Doc, r: HocBaThcsThpt): void {
  const blockHeight = 110;
  doc.moveDown(0.8);
  ensureSpace(doc, blockHeight);
  const left = doc.page.margins.left;
  const half = contentWidth(doc) / 2;
  const top = doc.y;

  doc.font(PDF_FONT.italic).fontSize(BODY_SIZE).text(placeAndDate(r.diadanhphathanh, r.ngaykyphathanh), left + half, top, { width: half, align: 'center' });
  const rolesY = doc.y + 2;
  const column = (x: number, title: string, hint: string, name: string): void => {
    doc.font(PDF_FONT.bold).fontSize(BODY_SIZE).text(title, x, rolesY, { width: half, align: 'center' });
    doc.font(PDF_FONT.italic).fontSize(8).text(hint, { width: half, align: 'center' });
    doc.y += 44;
    doc.font(PDF_FONT.bold).fontSize(BODY_SIZE).text(name, x, doc.y, { width: half, align: 'center' });
  };
  column(left, 'GIÁO VIÊN CHỦ NHIỆM', '(Ký và ghi rõ họ tên)', r.tengvcn);
  const leftBottom = doc.y;
  column(left + half, r.chucvugiamhieu.toUpperCase(), '(Ký, ghi rõ họ tên và đóng dấu)', r.tengiamhieu);
  doc.x = left;
  doc.y = Math.max(leftBottom, doc.y);
  doc.font(PDF_FONT.regular).fontSize(BODY_SIZE);
}

/** On every page, inside the bottom margin: the record's identity and the page number. */
function drawFooters(doc: Doc, r: HocBaThcsThpt): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let i = 0; i < total; i++) {
    doc.switchToPage(range.start + i);
    const margins = doc.page.margins;
    const bottomMargin = margins.bottom;
    // Writing inside the margin would make pdfkit start a new page; lift the margin while we write.
    margins.bottom = 0;
    const y = doc.page.height - bottomMargin + 6;
    const width = contentWidth(doc);
    doc.lineWidth(0.4).moveTo(margins.left, y - 3).lineTo(margins.left + width, y - 3).stroke();
    const ident = `Mã định danh học bạ: ${r.madinhdanhhocba} · Phiên bản ${r.phienbanthongtinhocba} · Thông tư ${r.thongtu} · Ngày tạo ${vietnameseDate(r.ngaytao)}`;
    const identWidth = width - 50;
    doc.font(PDF_FONT.regular).fontSize(FOOTER_SIZE);
    // one line: shrink rather than wrap into the page edge
    for (let size = FOOTER_SIZE; size > 4 && doc.widthOfString(ident) > identWidth; size -= 0.5) doc.fontSize(size - 0.5);
    doc.text(ident, margins.left, y, { width: identWidth, lineBreak: false });
    doc.fontSize(FOOTER_SIZE).text(`Trang ${i + 1}/${total}`, margins.left + identWidth, y, { width: 50, align: 'right', lineBreak: false });
    margins.bottom = bottomMargin;
  }
}

function isPresent(value: string | undefined | null): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * The PDF of a CIM certificate (docs/cim.md#certificates): the university and unit, the title, the
 * certificate number, the holder (name, birth date, student id, programme), the template's content
 * — for a transcript the courses with credits, 10-point, 4-point and letter grades, GPA and
 * classification; the student's status; the temporary graduation certificate — issue place and
 * date, the signer's title and name, and the verification code as text and as a QR code leading to
 * the verify page. Vietnamese or English; DejaVu Sans embedded (pdfkit, fonts.ts).
 *
 * Deterministic for the same content: the creation date is the issue time. Sign it with `signPdf`.
 */
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { CertificateContent, CertificateLanguage } from './content.js';
import { collect } from '../../documents/pdf/hocba-pdf.js';
import { dejavuFontPath, PDF_FONT } from '../../documents/pdf/fonts.js';
import { drawTable, type TableColumn } from '../../documents/pdf/table.js';

type Doc = PDFKit.PDFDocument;

const LABELS = {
  vi: {
    nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto: 'Độc lập - Tự do - Hạnh phúc',
    number: 'Số',
    holder: 'Họ và tên',
    birthDate: 'Ngày sinh',
    studentId: 'Mã số sinh viên',
    programme: 'Ngành/Chương trình đào tạo',
    faculty: 'Khoa',
    cohort: 'Khóa',
    status: 'Tình trạng học tập',
    columns: ['STT', 'Mã HP', 'Tên học phần', 'Số TC', 'Điểm 10', 'Điểm 4', 'Điểm chữ'],
    totalCredits: 'Tổng số tín chỉ tích lũy',
    gpa: 'Điểm trung bình chung tích lũy',
    classification: 'Xếp loại',
    noCourses: 'Chưa có kết quả học tập.',
    statusText: (s: string) => `Hiện là sinh viên của trường, tình trạng: ${s}.`,
    statusPurpose: 'Giấy xác nhận này được cấp để sinh viên bổ sung hồ sơ theo yêu cầu.',
    graduationText: 'Đã hoàn thành chương trình đào tạo và được công nhận tốt nghiệp.',
    decision: 'Quyết định công nhận tốt nghiệp',
    graduationNote: 'Giấy chứng nhận có giá trị đến khi sinh viên nhận bằng tốt nghiệp.',
    notGraduated: 'CHƯA CÓ QUYẾT ĐỊNH CÔNG NHẬN TỐT NGHIỆP',
    issued: (place: string, date: Date) => `${place}, ngày ${date.getDate()} tháng ${date.getMonth() + 1} năm ${date.getFullYear()}`,
    verify: 'Mã xác thực',
    verifyHint: 'Quét mã QR hoặc mở địa chỉ sau để kiểm tra giấy này:',
    snapshot: (at: string) => `Dữ liệu lấy từ bản lưu lúc ${at} (hệ thống quản lý đào tạo tạm thời không truy cập được).`,
    signed: 'Bản điện tử được ký số bởi nhà trường.',
  },
  en: {
    nation: 'SOCIALIST REPUBLIC OF VIET NAM',
    motto: 'Independence - Freedom - Happiness',
    number: 'No.',
    holder: 'Full name',
    birthDate: 'Date of birth',
    studentId: 'Student ID',
    programme: 'Programme',
    faculty: 'Faculty',
    cohort: 'Cohort',
    status: 'Study status',
    columns: ['No.', 'Code', 'Course', 'Credits', '10-pt', '4-pt', 'Letter'],
    totalCredits: 'Credits accumulated',
    gpa: 'Cumulative GPA',
    classification: 'Classification',
    noCourses: 'No course results yet.',
    statusText: (s: string) => `Is a student of the university; status: ${s}.`,
    statusPurpose: 'This confirmation is issued at the student\'s request.',
    graduationText: 'Has completed the programme and has been recognised as a graduate.',
    decision: 'Graduation decision',
    graduationNote: 'This certificate is valid until the degree is awarded.',
    notGraduated: 'NO GRADUATION DECISION YET',
    issued: (place: string, date: Date) => `${place}, ${date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' })}`,
    verify: 'Verification code',
    verifyHint: 'Scan the QR code or open this address to check this certificate:',
    snapshot: (at: string) => `Data from the copy kept at ${at} (the student information system was unreachable).`,
    signed: 'The electronic copy is digitally signed by the university.',
  },
} as const;

/** English names of the classifications of src/domain/grading.ts. */
const CLASSIFICATION_EN: Readonly<Record<string, string>> = {
  'Xuất sắc': 'Excellent',
  Giỏi: 'Very good',
  Khá: 'Good',
  'Trung bình khá': 'Fairly good',
  'Trung bình': 'Average',
  Yếu: 'Weak',
  Kém: 'Poor',
};

export function classificationIn(language: CertificateLanguage, classification: string): string {
  return language === 'en' ? (CLASSIFICATION_EN[classification] ?? classification) : classification;
}

/** The date in Viet Nam (UTC+7) as a local Date for the label functions. */
function vietnamDate(at: Date): Date {
  const shifted = new Date(at.getTime() + 7 * 3600_000);
  return new Date(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate());
}

function displayDate(iso: string, language: CertificateLanguage): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return language === 'vi' ? `${m[3]}/${m[2]}/${m[1]}` : `${m[3]}/${m[2]}/${m[1]}`;
}

/** The certificate as an unsigned PDF. */
export async function renderCertificatePdf(content: CertificateContent): Promise<Buffer> {
  const c = normalize(content);
  const L = LABELS[c.language];
  const title = c.template.layout.heading[c.language] ?? c.template.title[c.language];
  const qr = QRCode.create(c.verifyUrl, { errorCorrectionLevel: 'M' });
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 40, left: 50, right: 50, bottom: 50 },
    pdfVersion: '1.7',
    lang: c.language === 'vi' ? 'vi-VN' : 'en-GB',
    displayTitle: true,
    info: {
      Title: `${title} ${c.certificateNo}`,
      Author: c.issuer.university[c.language],
      Subject: title,
      Keywords: `${c.certificateNo}; ${c.template.templateCode}`,
      Creator: 'lienthong',
      Producer: 'lienthong (PDFKit)',
      CreationDate: c.issuedAt,
    },
  });
  const done = collect(doc);
  // two faces only: each one pdfkit parses costs tens of milliseconds per certificate (bench/cim-certificates.ts)
  doc.registerFont(PDF_FONT.regular, dejavuFontPath('regular'));
  doc.registerFont(PDF_FONT.bold, dejavuFontPath('bold'));
  doc.font(PDF_FONT.regular);
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  // heading: the university and unit on the left, the nation's motto on the right
  const top = doc.y;
  const half = width / 2;
  doc.font(PDF_FONT.bold).fontSize(9).text(c.issuer.university[c.language].toUpperCase(), doc.page.margins.left, top, { width: half - 10, align: 'center' });
  doc.font(PDF_FONT.bold).fontSize(8.5).text(c.template.ownerUnitName[c.language].toUpperCase(), { width: half - 10, align: 'center' });
  doc.font(PDF_FONT.regular);
  doc.text(`${L.number}: ${c.certificateNo}`, { width: half - 10, align: 'center' });
  const leftBottom = doc.y;
  doc.font(PDF_FONT.bold).fontSize(9).text(L.nation, doc.page.margins.left + half, top, { width: half, align: 'center' });
  doc.font(PDF_FONT.regular).fontSize(9).text(L.motto, { width: half, align: 'center' });
  doc.y = Math.max(leftBottom, doc.y) + 18;
  doc.x = doc.page.margins.left;
  doc.font(PDF_FONT.bold).fontSize(15).text(title.toUpperCase(), { width, align: 'center' });
  doc.moveDown(0.8);

  const s = c.student;
  const line = (label: string, value: string): void => {
    doc.font(PDF_FONT.regular).fontSize(10).text(`${label}: `, { continued: true }).font(PDF_FONT.bold).text(value);
  };
  line(L.holder, s.fullName);
  line(L.birthDate, displayDate(s.birthDate, c.language));
  line(L.studentId, s.studentId);
  line(L.programme, s.programme);
  line(L.faculty, s.faculty);
  line(L.cohort, s.cohort);
  doc.moveDown(0.6);

  const kind = c.template.layout.kind;
  if (kind === 'transcript') drawTranscript(doc, c, width);
  else if (kind === 'status-confirmation') drawStatus(doc, c, width);
  else if (kind === 'graduation-certificate') drawGraduation(doc, c, width);
  const body = c.template.layout.body?.[c.language];
  if (body !== undefined) {
    doc.moveDown(0.5);
    doc.font(PDF_FONT.regular).fontSize(10.5).text(fillPlaceholders(body, placeholderValues(c)), { width });
  }

  if (c.dataFromSnapshotAt !== null) {
    doc.moveDown(0.5);
    doc.font(PDF_FONT.regular).fontSize(8).text(L.snapshot(c.dataFromSnapshotAt), { width });
  }

  drawSignatureAndCode(doc, c, width, qr.modules);
  doc.end();
  return done;
}

function drawTranscript(doc: Doc, c: CertificateContent, width: number): void {
  const L = LABELS[c.language];
  const s = c.student;
  if (s.courses.length === 0) {
    doc.font(PDF_FONT.regular).fontSize(10).text(L.noCourses, { width });
    return;
  }
  const widths = [28, 62, 0, 40, 44, 40, 46];
  widths[2] = width - widths.reduce((a, b) => a + b, 0);
  const columns: TableColumn[] = L.columns.map((header, i) => ({ header, width: widths[i] ?? 40, align: i === 2 || i === 1 ? 'left' : 'center' }));
  const rows = s.courses.map((course, i) => [String(i + 1), course.courseCode, c.language === 'en' ? course.courseNameEn : course.courseName, String(course.credits), course.score10, course.score4, course.letter]);
  doc.x = doc.page.margins.left;
  drawTable(doc, columns, rows, { fontSize: 8.5, gapAfter: 8 });
  doc.x = doc.page.margins.left;
  // a template's own paragraph says the totals in its words; without one, these lines do
  if (c.template.layout.body?.[c.language] !== undefined) return;
  doc.font(PDF_FONT.regular).fontSize(10).text(`${L.totalCredits}: ${s.totalCredits}`, { width });
  doc.text(`${L.gpa}: ${s.gpa4 ?? '-'} (4) · ${s.gpa10 ?? '-'} (10)`, { width });
  doc.text(`${L.classification}: ${s.classification === null ? '-' : classificationIn(c.language, s.classification)}`, { width });
}

function drawStatus(doc: Doc, c: CertificateContent, width: number): void {
  const L = LABELS[c.language];
  // the status line, unless the template's paragraph says it (with {status})
  if (c.template.layout.body?.[c.language] !== undefined) return;
  doc.font(PDF_FONT.regular).fontSize(10.5).text(L.statusText(statusIn(c)), { width });
  doc.moveDown(0.4);
  doc.text(L.statusPurpose, { width });
}

function statusIn(c: CertificateContent): string {
  return c.language === 'en' ? (c.student.statusEn ?? c.student.status) : c.student.status;
}

/** The values of the {placeholders} a template's paragraph may use (src/cim/templates.ts LAYOUT_PLACEHOLDERS). */
function placeholderValues(c: CertificateContent): Record<string, string> {
  const s = c.student;
  const L = LABELS[c.language];
  const day = vietnamDate(c.issuedAt);
  const isoDay = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
  const validity = c.template.layout.validityDays;
  const until = validity === undefined ? null : new Date(Date.UTC(day.getFullYear(), day.getMonth(), day.getDate() + validity)).toISOString().slice(0, 10);
  return {
    fullName: s.fullName,
    birthDate: displayDate(s.birthDate, c.language),
    studentId: s.studentId,
    programme: s.programme,
    faculty: s.faculty,
    cohort: s.cohort,
    status: statusIn(c),
    certificateNo: c.certificateNo,
    issueDate: displayDate(isoDay, c.language),
    issuePlace: c.issuer.place[c.language],
    gpa4: s.gpa4 ?? '-',
    gpa10: s.gpa10 ?? '-',
    creditsEarned: String(s.totalCredits),
    classification: s.classification === null ? '-' : classificationIn(c.language, s.classification),
    graduationDecisionNo: s.graduationDecision ?? L.notGraduated,
    graduationDecisionDate: s.graduationDate === null ? '-' : displayDate(s.graduationDate, c.language),
    validUntil: until === null ? '-' : displayDate(until, c.language),
  };
}

/** `{name}` → its value; an unknown name stays as written (the registry refuses them at load). */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{([A-Za-z0-9]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function drawGraduation(doc: Doc, c: CertificateContent, width: number): void {
  const L = LABELS[c.language];
  const s = c.student;
  if (s.graduationDecision === null) {
    doc.font(PDF_FONT.bold).fontSize(11).fillColor('#a00000').text(L.notGraduated, { width, align: 'center' }).fillColor('#000000');
    return;
  }
  doc.font(PDF_FONT.regular).fontSize(10.5);
  if (c.template.layout.body?.[c.language] === undefined) {
    doc.text(L.graduationText, { width });
    doc.moveDown(0.3);
  }
  doc.text(`${L.decision}: ${s.graduationDecision}${s.graduationDate === null ? '' : ` (${displayDate(s.graduationDate, c.language)})`}`, { width });
  if (s.classification !== null) doc.text(`${L.classification}: ${classificationIn(c.language, s.classification)}`, { width });
  if (s.gpa4 !== null) doc.text(`${L.gpa}: ${s.gpa4} (4)`, { width });
  // the validity, unless the template's paragraph says it
  if (c.template.layout.body?.[c.language] !== undefined) return;
  doc.moveDown(0.3);
  doc.font(PDF_FONT.regular).fontSize(9).text(L.graduationNote, { width });
}

/** The QR code as filled squares (vector: sharp at any print size, no PNG to encode), with a 2-module quiet zone. */
function drawQr(doc: Doc, modules: QRCode.BitMatrix, x: number, y: number, size: number): void {
  const cell = size / (modules.size + 4);
  doc.save().rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) doc.rect(x + (col + 2) * cell, y + (row + 2) * cell, cell, cell);
  }
  doc.fill('#000000').restore();
}

function drawSignatureAndCode(doc: Doc, c: CertificateContent, width: number, qr: QRCode.BitMatrix): void {
  const L = LABELS[c.language];
  const blockHeight = 130;
  if (doc.y + blockHeight > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.moveDown(1);
  const top = doc.y;
  const left = doc.page.margins.left;
  const half = width / 2;
  // the verification block on the left: the QR code, the code, the address
  drawQr(doc, qr, left, top, 86);
  doc.font(PDF_FONT.regular).fontSize(8).text(L.verify, left + 92, top, { width: half - 92 });
  doc.font(PDF_FONT.bold).fontSize(9).text(c.verificationCode, left + 92, doc.y, { width: half - 88, lineBreak: false });
  doc.moveDown(1);
  doc.font(PDF_FONT.regular).fontSize(7).text(L.verifyHint, left + 92, doc.y + 2, { width: half - 92 });
  doc.text(c.verifyUrl, left + 92, doc.y, { width: half - 92 });
  // the signature block on the right
  doc.font(PDF_FONT.regular).fontSize(9.5).text(L.issued(c.issuer.place[c.language], vietnamDate(c.issuedAt)), left + half, top, { width: half, align: 'center' });
  const signerTitle = c.template.layout.signerTitle[c.language] ?? c.issuer.signer.title[c.language].toUpperCase();
  doc.font(PDF_FONT.bold).fontSize(10).text(signerTitle, { width: half, align: 'center' });
  doc.moveDown(2.5);
  doc.font(PDF_FONT.bold).fontSize(10).text(c.issuer.signer.name, { width: half, align: 'center' });
  doc.font(PDF_FONT.regular).fontSize(7.5).text(L.signed, { width: half, align: 'center' });
  doc.x = left;
}

function normalize<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => normalize(v)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)])) as T;
  return value;
}

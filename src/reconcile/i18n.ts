/**
 * Labels of the reconciliation report in Vietnamese (first) and English. Every writer (HTML, CSV,
 * terminal summary) takes its words from here so the two languages stay in step: `en` is typed
 * against the keys of `vi`, so a label missing (or extra) in either language is a compile error.
 */
import type { LedgerStatus, ReconciliationTotals, ReportIssue, MismatchEntry } from './types.js';

export type Lang = 'vi' | 'en';

export const LANGS: readonly Lang[] = ['vi', 'en'];

const vi = {
  title: 'Báo cáo đối soát',
  job: 'Tác vụ',
  dataset: 'Tập dữ liệu',
  unit: 'Đơn vị',
  generatedAt: 'Thời điểm lập',
  switchLanguage: 'English',

  totalsHeading: 'Tổng hợp',
  totalSource: 'Nguồn',
  totalAccepted: 'Đã nhận',
  totalRejected: 'Bị từ chối',
  totalPending: 'Đang chờ',
  totalDead: 'Thất bại',
  totalConflicts: 'Xung đột',
  totalMissingAtHub: 'Thiếu ở trục',
  totalExtraAtHub: 'Thừa ở trục',
  totalMismatched: 'Lệch',

  statusCountsHeading: 'Trạng thái trong sổ cái',
  statusPending: 'Chờ gửi',
  statusSent: 'Đã gửi, chờ trả lời',
  statusAccepted: 'Đã nhận',
  statusStale: 'Trục giữ bản mới hơn',
  statusRejected: 'Bị từ chối',
  statusDead: 'Thất bại',

  deadlinesHeading: 'Hạn nộp',
  deadlineName: 'Mốc',
  deadlineDate: 'Ngày',
  daysLeft: 'Còn lại',
  daysLeftValue: 'còn {n} ngày',
  dueToday: 'hôm nay',
  overdueValue: 'quá hạn {n} ngày',

  rejectionsHeading: 'Từ chối theo mã lỗi',
  code: 'Mã',
  count: 'Số lượng',
  explanation: 'Giải thích',
  examples: 'Ví dụ',
  examplesNote: 'tối đa 50 ví dụ mỗi mã; tệp CSV có đầy đủ',

  missingHeading: 'Thiếu ở trục (sổ cái ghi đã gửi, trục không có)',
  extraHeading: 'Thừa ở trục (trục có, sổ cái không có)',
  mismatchedHeading: 'Lệch giữa sổ cái và trục',
  idbanghi: 'Mã bản ghi (idbanghi)',
  sourceKey: 'Khóa nguồn',
  ledgerStatus: 'Trạng thái sổ cái',
  phienban: 'Phiên bản',
  ledgerPhienban: 'Phiên bản sổ cái',
  hubPhienban: 'Phiên bản trên trục',
  ledgerHash: 'Mã băm sổ cái',
  hubHash: 'Mã băm trên trục',
  mismatchKind: 'Loại lệch',
  kindVersion: 'Khác phiên bản',
  kindHash: 'Cùng phiên bản, khác nội dung',

  issuesHeading: 'Danh sách vấn đề',
  stage: 'Giai đoạn',
  field: 'Trường',
  message: 'Nội dung',
  filterPlaceholder: 'Lọc theo mã, trường, nội dung…',
  shown: 'Đang hiện',
  stageMapping: 'Ánh xạ',
  stageHub: 'Trục dữ liệu',
  stageDelivery: 'Gửi',
  stageReconciliation: 'Đối soát',

  none: 'Không có',
  allClear: 'Không có sai lệch nào giữa nguồn, sổ cái và trục.',
  footer: 'Tạo bởi lienthong. Số định danh cá nhân đã được che, chỉ giữ 4 chữ số cuối.',

  csvMissingMessage: 'Sổ cái ghi trạng thái "{status}" nhưng trục không có bản ghi này',
  csvExtraMessage: 'Trục có bản ghi ở phiên bản {phienban} nhưng sổ cái không có',
  csvMismatchVersionMessage: 'Phiên bản khác nhau: sổ cái {ledger}, trục {hub}',
  csvMismatchHashMessage: 'Cùng phiên bản {ledger} nhưng nội dung khác (mã băm sổ cái {ledgerHash}, trục {hubHash})',

  summaryTitle: 'Đối soát',
  summaryTopCodes: 'Mã từ chối nhiều nhất',
  summaryMore: '… và {n} mã khác',
  summaryFiles: 'Chi tiết: reconciliation.html, reconciliation.csv, reconciliation.json',
};

export type LabelKey = keyof typeof vi;
export type Labels = Record<LabelKey, string>;

const en: Labels = {
  title: 'Reconciliation report',
  job: 'Job',
  dataset: 'Dataset',
  unit: 'Unit',
  generatedAt: 'Generated',
  switchLanguage: 'Tiếng Việt',

  totalsHeading: 'Totals',
  totalSource: 'Source',
  totalAccepted: 'Accepted',
  totalRejected: 'Rejected',
  totalPending: 'Pending',
  totalDead: 'Dead',
  totalConflicts: 'Conflicts',
  totalMissingAtHub: 'Missing at hub',
  totalExtraAtHub: 'Extra at hub',
  totalMismatched: 'Mismatched',

  statusCountsHeading: 'Ledger status counts',
  statusPending: 'Pending',
  statusSent: 'Sent, awaiting answer',
  statusAccepted: 'Accepted',
  statusStale: 'Stale (hub holds a newer version)',
  statusRejected: 'Rejected',
  statusDead: 'Dead',

  deadlinesHeading: 'Deadlines',
  deadlineName: 'Name',
  deadlineDate: 'Date',
  daysLeft: 'Days left',
  daysLeftValue: '{n} days left',
  dueToday: 'today',
  overdueValue: '{n} days overdue',

  rejectionsHeading: 'Rejections by code',
  code: 'Code',
  count: 'Count',
  explanation: 'Explanation',
  examples: 'Examples',
  examplesNote: 'up to 50 examples per code; the CSV has all',

  missingHeading: 'Missing at hub (ledger says sent, hub does not have it)',
  extraHeading: 'Extra at hub (hub has it, ledger does not)',
  mismatchedHeading: 'Ledger and hub disagree',
  idbanghi: 'Record id (idbanghi)',
  sourceKey: 'Source key',
  ledgerStatus: 'Ledger status',
  phienban: 'Version',
  ledgerPhienban: 'Ledger version',
  hubPhienban: 'Hub version',
  ledgerHash: 'Ledger hash',
  hubHash: 'Hub hash',
  mismatchKind: 'Kind',
  kindVersion: 'Version differs',
  kindHash: 'Same version, different content',

  issuesHeading: 'All issues',
  stage: 'Stage',
  field: 'Field',
  message: 'Message',
  filterPlaceholder: 'Filter by code, field, message…',
  shown: 'Showing',
  stageMapping: 'Mapping',
  stageHub: 'Data hub',
  stageDelivery: 'Delivery',
  stageReconciliation: 'Reconciliation',

  none: 'None',
  allClear: 'No differences between source, ledger and hub.',
  footer: 'Generated by lienthong. Personal ids are masked to their last 4 digits.',

  csvMissingMessage: 'Ledger status is "{status}" but the hub does not have this record',
  csvExtraMessage: 'The hub holds this record at version {phienban} but the ledger does not',
  csvMismatchVersionMessage: 'Versions differ: ledger {ledger}, hub {hub}',
  csvMismatchHashMessage: 'Same version {ledger} but different content (ledger hash {ledgerHash}, hub {hubHash})',

  summaryTitle: 'Reconciliation',
  summaryTopCodes: 'Most frequent rejection codes',
  summaryMore: '… and {n} more codes',
  summaryFiles: 'Details: reconciliation.html, reconciliation.csv, reconciliation.json',
};

export const labels: Readonly<Record<Lang, Labels>> = { vi, en };

/** Fills `{name}` placeholders of a label. */
export function fillLabel(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole,
  );
}

/** The totals in the order they are shown, each with its label. */
export const TOTALS_ORDER: readonly { key: keyof ReconciliationTotals; label: LabelKey }[] = [
  { key: 'source', label: 'totalSource' },
  { key: 'accepted', label: 'totalAccepted' },
  { key: 'rejected', label: 'totalRejected' },
  { key: 'pending', label: 'totalPending' },
  { key: 'dead', label: 'totalDead' },
  { key: 'conflicts', label: 'totalConflicts' },
  { key: 'missingAtHub', label: 'totalMissingAtHub' },
  { key: 'extraAtHub', label: 'totalExtraAtHub' },
  { key: 'mismatched', label: 'totalMismatched' },
];

export const LEDGER_STATUS_ORDER: readonly LedgerStatus[] = [
  'pending',
  'sent',
  'accepted',
  'stale',
  'rejected',
  'dead',
];

export const STATUS_LABEL: Readonly<Record<LedgerStatus, LabelKey>> = {
  pending: 'statusPending',
  sent: 'statusSent',
  accepted: 'statusAccepted',
  stale: 'statusStale',
  rejected: 'statusRejected',
  dead: 'statusDead',
};

export const STAGE_LABEL: Readonly<Record<ReportIssue['stage'], LabelKey>> = {
  mapping: 'stageMapping',
  hub: 'stageHub',
  delivery: 'stageDelivery',
  reconciliation: 'stageReconciliation',
};

export const MISMATCH_KIND_LABEL: Readonly<Record<MismatchEntry['kind'], LabelKey>> = {
  version: 'kindVersion',
  hash: 'kindHash',
};

/** Days until a deadline in words: "còn 3 ngày", "hôm nay", "quá hạn 2 ngày". */
export function describeDaysLeft(daysLeft: number, lang: Lang): string {
  const l = labels[lang];
  if (daysLeft > 0) return fillLabel(l.daysLeftValue, { n: daysLeft });
  if (daysLeft === 0) return l.dueToday;
  return fillLabel(l.overdueValue, { n: -daysLeft });
}

/** A YYYY-MM-DD date as a reader of the language writes it: 20/06/2026 in Vietnamese. */
export function formatDate(isoDate: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return m && lang === 'vi' ? `${m[3]}/${m[2]}/${m[1]}` : isoDate;
}

export interface CodeExplanation {
  vi: string;
  en: string;
}

/**
 * Plain-words explanations of the rejection codes an administrator meets most. Codes come from
 * the mapping's validation and from the hub (`../../shared` contract: SIGNATURE_INVALID,
 * SCHEMA_INVALID, DATA_MISMATCH, HASH_MISMATCH for school records).
 */
const CODE_EXPLANATIONS: Readonly<Record<string, CodeExplanation>> = {
  REQUIRED: {
    vi: 'Thiếu trường bắt buộc theo từ điển dữ liệu quốc gia.',
    en: 'A field the national data dictionary requires is empty.',
  },
  MAX_LENGTH: {
    vi: 'Giá trị dài hơn độ dài cho phép của trường.',
    en: 'The value is longer than the field allows.',
  },
  INVALID_DATE: {
    vi: 'Ngày không hợp lệ hoặc sai định dạng (cần YYYY-MM-DD).',
    en: 'The date is invalid or not in YYYY-MM-DD form.',
  },
  UNKNOWN_ETHNICITY: {
    vi: 'Mã dân tộc không có trong danh mục (01–54).',
    en: 'The ethnic group code is not in the code list (01–54).',
  },
  DUPLICATE_IDBANGHI: {
    vi: 'Hai bản ghi nguồn sinh ra cùng một idbanghi; cần kiểm tra trùng lặp ở nguồn.',
    en: 'Two source records produce the same idbanghi; check the source for duplicates.',
  },
  VERSION_CONFLICT: {
    vi: 'Trục đang giữ phiên bản mới hơn với nội dung khác (có nơi khác đã ghi); cần đối chiếu thủ công.',
    en: 'The hub holds a newer version with different content (someone else wrote it); check by hand.',
  },
  SIGNATURE_INVALID: {
    vi: 'Chữ ký số trong tệp học bạ không hợp lệ hoặc không xác minh được.',
    en: 'A digital signature in the school record file is invalid or cannot be verified.',
  },
  SCHEMA_INVALID: {
    vi: 'Tệp XML không đúng lược đồ (schema) của phiên bản khai báo.',
    en: 'The XML file does not match the schema of its declared version.',
  },
  HASH_MISMATCH: {
    vi: 'Mã băm SHA-256 của tệp đính kèm không khớp với nội dung gửi lên.',
    en: 'The SHA-256 hash of the attached file does not match its content.',
  },
  DATA_MISMATCH: {
    vi: 'Số định danh hoặc năm học trong tệp XML khác với dữ liệu gửi kèm.',
    en: 'The personal id or school year in the XML file differs from the submitted data.',
  },
  TOO_LONG: {
    vi: 'Giá trị dài hơn độ dài cho phép của trường.',
    en: 'The value is longer than the field allows.',
  },
  DATE_INVALID: {
    vi: 'Ngày không có trên lịch (ví dụ 31/02).',
    en: 'The date does not exist in the calendar (e.g. 31 February).',
  },
  DATE_FORMAT: {
    vi: 'Không đọc được định dạng ngày.',
    en: 'The date format is not recognised.',
  },
  DATE_EMPTY: {
    vi: 'Ngày bị bỏ trống.',
    en: 'The date is empty.',
  },
  DATE_RANGE: {
    vi: 'Năm nằm ngoài khoảng hợp lý.',
    en: 'The year is outside the plausible range.',
  },
  TIMESTAMP_INVALID: {
    vi: 'Thời điểm không hợp lệ (cần YYYY-MM-DDTHH:mm:ss, giờ Việt Nam).',
    en: 'Invalid timestamp (YYYY-MM-DDTHH:mm:ss, Vietnam time, expected).',
  },
  INVALID_TIMESTAMP: {
    vi: 'Thời điểm không hợp lệ (cần YYYY-MM-DDTHH:mm:ss, giờ Việt Nam).',
    en: 'Invalid timestamp (YYYY-MM-DDTHH:mm:ss, Vietnam time, expected).',
  },
  INVALID_CODE: {
    vi: 'Giá trị không có trong danh mục mã cho phép.',
    en: 'The value is not in the allowed code list.',
  },
  INVALID_INTEGER: {
    vi: 'Cần một số nguyên hợp lệ.',
    en: 'A valid integer is expected.',
  },
  INVALID_RECORD: {
    vi: 'Bản ghi không đúng cấu trúc mà trục yêu cầu.',
    en: 'The record does not have the structure the hub expects.',
  },
  RECORD_TOO_LARGE: {
    vi: 'Riêng bản ghi này đã vượt giới hạn kích thước của trục; cần rút gọn tệp đính kèm.',
    en: 'This record alone exceeds the hub size limit; shrink its attachment.',
  },
  RECORD_TRANSIENT: {
    vi: 'Gửi lại nhiều lần vẫn lỗi tạm thời (mạng, trục quá tải); sẽ thử lại ở lần chạy sau.',
    en: 'Still failing with temporary errors (network, hub overload) after retries; a later run will try again.',
  },
  DEAD: {
    vi: 'Việc gửi đã dừng sau nhiều lần thử; xem hàng đợi lỗi (dead letters).',
    en: 'Delivery gave up after retries; see the dead letters.',
  },
  MISSING_AT_HUB: {
    vi: 'Sổ cái ghi đã gửi nhưng trục không có bản ghi; sẽ được gửi lại.',
    en: 'The ledger says sent but the hub does not have the record; it will be sent again.',
  },
  EXTRA_AT_HUB: {
    vi: 'Trục có bản ghi mà sổ cái không biết (có thể do hệ thống khác gửi).',
    en: 'The hub holds a record the ledger does not know (perhaps sent by another system).',
  },
  VERSION_MISMATCH: {
    vi: 'Phiên bản trên trục khác phiên bản trong sổ cái.',
    en: 'The hub holds a different version than the ledger.',
  },
  CONTENT_MISMATCH: {
    vi: 'Cùng phiên bản nhưng nội dung trên trục khác nội dung đã gửi.',
    en: 'Same version, but the content at the hub differs from what was sent.',
  },
};

/** Families of codes that share a meaning: any `CCCD_*` code is a bad personal id, and so on. */
const CODE_FAMILY_EXPLANATIONS: readonly { prefix: string; explanation: CodeExplanation }[] = [
  {
    prefix: 'CCCD_',
    explanation: {
      vi: 'Số định danh cá nhân (CCCD) không hợp lệ: cần 12 chữ số, mã tỉnh nơi sinh, giới tính, thế kỷ và năm sinh khớp với ngày sinh.',
      en: 'Invalid personal id (CCCD): it needs 12 digits, and its birth province, sex, century and birth year must agree with the birth date.',
    },
  },
  {
    prefix: 'DICT_',
    explanation: {
      vi: 'Giá trị không đúng quy định của từ điển dữ liệu quốc gia (kiểu, độ dài, định dạng, bắt buộc).',
      en: 'The value breaks a national data dictionary rule (type, length, format, required).',
    },
  },
  {
    prefix: 'WARD_',
    explanation: {
      vi: 'Mã xã/phường không hợp lệ, không có trong danh mục, hoặc không thuộc tỉnh đã khai.',
      en: 'Invalid ward code, not in the code list, or not in the stated province.',
    },
  },
  {
    prefix: 'PROVINCE_',
    explanation: {
      vi: 'Mã tỉnh không hợp lệ hoặc là mã cũ (trước 01/07/2025) không chuyển đổi được sang 34 tỉnh mới.',
      en: 'Invalid province code, or a pre-1 July 2025 code that cannot be translated to the 34 current provinces.',
    },
  },
];

/** The explanation of a code, or undefined for a code this table does not know. */
export function explainCode(code: string): CodeExplanation | undefined {
  const exact = CODE_EXPLANATIONS[code];
  if (exact) return exact;
  return CODE_FAMILY_EXPLANATIONS.find((f) => code.startsWith(f.prefix))?.explanation;
}

/** The explanation in one language; an unknown code is shown as itself. */
export function explainCodeIn(code: string, lang: Lang): string {
  return explainCode(code)?.[lang] ?? code;
}

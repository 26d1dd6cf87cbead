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

/**
 * Code explanations live in the error-code catalogue (src/domain/error-codes.ts), shared by the
 * report, run summaries and `status`; re-exported here for the report writers.
 */
export { explainCode, explainCodeIn, type CodeExplanation } from '../domain/error-codes.js';

/**
 * Labels of the reconciliation report in Vietnamese (first) and English. Every writer (HTML, CSV,
 * terminal summary) takes its words from here so the two languages stay in step: `en` is typed
 * against the keys of `vi`, so a label missing (or extra) in either language is a compile error.
 */
import type { CodeGroup, CredentialState, HubCheckKey, LedgerStatus, MismatchEntry, ReconciliationTotals, SourceCategory } from './types.js';

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
  partitionHeading: 'Bản ghi ở nguồn (mỗi bản ghi được đếm đúng một lần)',
  addsUp: 'Cộng các cột: {sum} = {source} bản ghi ở nguồn',
  doesNotAddUp: 'LỖI: các cột cộng lại được {sum}, khác {source} bản ghi ở nguồn; hãy báo lỗi này',
  hubChecksHeading: 'Đối chiếu với trục (không cộng vào tổng trên)',
  totalSource: 'Nguồn',
  totalAccepted: 'Đã nhận',
  totalPending: 'Đang chờ',
  totalUnsent: 'Chưa gửi',
  totalRejectedByHub: 'Bị trục từ chối',
  totalDead: 'Thất bại',
  totalConflicts: 'Xung đột',
  totalHeldBack: 'Giữ lại ở nguồn',
  totalMissingAtHub: 'Thiếu ở trục',
  totalMismatched: 'Lệch',
  totalGoneFromSource: 'Có ở trục, không còn ở nguồn',
  totalExtraAtHub: 'Thừa ở trục',
  totalWarnings: 'Có cảnh báo',

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
  deadlineWaiting: 'Còn phải gửi',
  deadlineFailed: 'Cần xử lý',

  heldBackHeading: 'Giữ lại ở nguồn (không gửi), theo mã lỗi',
  rejectedByHubHeading: 'Bị trục từ chối, theo mã lỗi',
  deadHeading: 'Thất bại khi gửi, theo mã lỗi',
  conflictsHeading: 'Xung đột phiên bản',
  warningsHeading: 'Cảnh báo khi ánh xạ, theo mã (bản ghi vẫn được gửi)',
  code: 'Mã',
  count: 'Số lượng',
  records: 'Số bản ghi',
  explanation: 'Giải thích',
  examples: 'Ví dụ',
  examplesNote: 'tối đa 50 ví dụ mỗi mã; tệp CSV có đầy đủ',

  missingHeading: 'Thiếu ở trục (sổ cái ghi đã nhận, trục không có)',
  mismatchedHeading: 'Bản trên trục khác bản đã được nhận theo sổ cái',
  goneHeading: 'Có ở trục, không còn ở nguồn (đã xóa hoặc đổi mã ở nguồn)',
  extraHeading: 'Thừa ở trục (trục có, sổ cái không có)',
  waitingHeading: 'Còn phải gửi',
  glossaryHeading: 'Giải thích các mã trong báo cáo',
  idbanghi: 'Mã bản ghi (idbanghi)',
  sourceKey: 'Khóa nguồn',
  otherSourceKeys: 'Khóa nguồn trùng mã',
  ledgerStatus: 'Trạng thái sổ cái',
  phienban: 'Phiên bản',
  ledgerPhienban: 'Phiên bản sổ cái',
  hubPhienban: 'Phiên bản trên trục',
  ledgerHash: 'Mã băm sổ cái',
  hubHash: 'Mã băm trên trục',
  mismatchKind: 'Loại lệch',
  kindOlder: 'Trục giữ bản cũ hơn',
  kindContent: 'Cùng phiên bản, khác nội dung',
  kindNewer: 'Trục giữ bản mới hơn (ghi từ nơi khác)',

  issuesHeading: 'Danh sách vấn đề',
  category: 'Nhóm',
  field: 'Trường',
  message: 'Nội dung',
  filterPlaceholder: 'Lọc theo mã, trường, nội dung…',
  shown: 'Đang hiện',

  none: 'Không có',
  allClear: 'Không có sai lệch nào giữa nguồn, sổ cái và trục.',
  footer: 'Tạo bởi lienthong. Số định danh cá nhân đã được che, chỉ giữ 4 chữ số cuối.',

  csvMissingMessage: 'Sổ cái ghi trục đã nhận phiên bản {ledger} nhưng trục không có bản ghi này',
  csvExtraMessage: 'Trục có bản ghi ở phiên bản {phienban} nhưng sổ cái không có',
  csvMismatchOlderMessage: 'Trục giữ phiên bản {hub}, cũ hơn phiên bản {ledger} đã được nhận theo sổ cái',
  csvMismatchNewerMessage: 'Trục giữ phiên bản {hub}, mới hơn phiên bản {ledger} của sổ cái (ghi từ nơi khác)',
  csvMismatchContentMessage: 'Cùng phiên bản {ledger} nhưng nội dung khác (mã băm sổ cái {ledgerHash}, trục {hubHash})',
  csvGoneMessage: 'Trục giữ phiên bản {hub} nhưng không bản ghi nào ở nguồn ứng với mã này (sổ cái: "{status}")',
  csvPendingMessage: 'Đã xếp hàng hoặc đã gửi, chờ trả lời (sổ cái: "{status}")',
  csvUnsentMessage: 'Hợp lệ ở nguồn, phiên bản này chưa được gửi; lần chạy sau sẽ gửi',
  csvHubHolds: 'trục đang giữ phiên bản {phienban}',

  summaryTitle: 'Đối soát',
  summaryCodes: '{category}, theo mã',
  summaryMore: '… và {n} mã khác',
  summaryFiles: 'Chi tiết: reconciliation.html, reconciliation.csv, reconciliation.json',

  credentialsHeading: 'VNeID: chứng thư số của các bản ghi trục đang giữ ({target})',
  credentialState: 'VNeID',
  credentialPublished: 'Đã công bố',
  credentialMissing: 'Thiếu trên VNeID',
  credentialHashDiffers: 'Khác mã băm của trục',
  credentialRevoked: 'Đã thu hồi',
  credentialCancelledUnpublished: 'Đã hủy trước khi công bố (không có gì để thu hồi)',
  credentialWrongState: 'Sai trạng thái (thu hồi/còn hiệu lực ngược với trục)',
  credentialHeldHash: 'Mã băm trên VNeID',
  credentialWithoutPersonalId: '{n} bản ghi không có số định danh để tra cứu VNeID',
  credentialUnavailable: 'KHÔNG TRA CỨU ĐƯỢC VNeID, cột này chưa đầy đủ: {code}: {message}',
  csvCredentialMessage: 'VNeID: {state} (trục {hubHash}, VNeID {heldHash})',
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
  partitionHeading: 'Source records (each counted exactly once)',
  addsUp: 'The columns add up: {sum} = {source} source records',
  doesNotAddUp: 'ERROR: the columns add up to {sum}, not the {source} source records; please report this bug',
  hubChecksHeading: 'Checks against the hub (not part of the sum above)',
  totalSource: 'Source',
  totalAccepted: 'Accepted',
  totalPending: 'Pending',
  totalUnsent: 'Not sent yet',
  totalRejectedByHub: 'Rejected by the hub',
  totalDead: 'Dead',
  totalConflicts: 'Conflicts',
  totalHeldBack: 'Held back at the source',
  totalMissingAtHub: 'Missing at hub',
  totalMismatched: 'Mismatched',
  totalGoneFromSource: 'Held at the hub, gone from the source',
  totalExtraAtHub: 'Extra at hub',
  totalWarnings: 'With warnings',

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
  deadlineWaiting: 'Still to send',
  deadlineFailed: 'Needs attention',

  heldBackHeading: 'Held back at the source (not sent), by code',
  rejectedByHubHeading: 'Rejected by the hub, by code',
  deadHeading: 'Dead (delivery gave up), by code',
  conflictsHeading: 'Version conflicts',
  warningsHeading: 'Mapping warnings, by code (the records are still sent)',
  code: 'Code',
  count: 'Count',
  records: 'Records',
  explanation: 'Explanation',
  examples: 'Examples',
  examplesNote: 'up to 50 examples per code; the CSV has all',

  missingHeading: 'Missing at hub (the ledger says accepted, the hub does not have it)',
  mismatchedHeading: "The hub's copy is not the version the ledger says it accepted",
  goneHeading: 'Held at the hub, gone from the source (deleted or re-keyed at the source)',
  extraHeading: 'Extra at hub (hub has it, ledger does not)',
  waitingHeading: 'Still to send',
  glossaryHeading: 'What the codes in this report mean',
  idbanghi: 'Record id (idbanghi)',
  sourceKey: 'Source key',
  otherSourceKeys: 'Other source keys with this id',
  ledgerStatus: 'Ledger status',
  phienban: 'Version',
  ledgerPhienban: 'Ledger version',
  hubPhienban: 'Hub version',
  ledgerHash: 'Ledger hash',
  hubHash: 'Hub hash',
  mismatchKind: 'Kind',
  kindOlder: 'The hub holds an older version',
  kindContent: 'Same version, different content',
  kindNewer: 'The hub holds a newer version (written elsewhere)',

  issuesHeading: 'All issues',
  category: 'Category',
  field: 'Field',
  message: 'Message',
  filterPlaceholder: 'Filter by code, field, message…',
  shown: 'Showing',

  none: 'None',
  allClear: 'No differences between source, ledger and hub.',
  footer: 'Generated by lienthong. Personal ids are masked to their last 4 digits.',

  csvMissingMessage: 'The ledger says the hub accepted version {ledger} but the hub does not have this record',
  csvExtraMessage: 'The hub holds this record at version {phienban} but the ledger does not',
  csvMismatchOlderMessage: 'The hub holds version {hub}, older than version {ledger} the ledger says it accepted',
  csvMismatchNewerMessage: "The hub holds version {hub}, newer than the ledger's version {ledger} (written elsewhere)",
  csvMismatchContentMessage: 'Same version {ledger} but different content (ledger hash {ledgerHash}, hub {hubHash})',
  csvGoneMessage: 'The hub holds version {hub} but no source record maps to this id (ledger: "{status}")',
  csvPendingMessage: 'Staged or sent, awaiting the answer (ledger: "{status}")',
  csvUnsentMessage: 'Valid at the source, this version not sent yet; the next run sends it',
  csvHubHolds: 'the hub holds version {phienban}',

  summaryTitle: 'Reconciliation',
  summaryCodes: '{category}, by code',
  summaryMore: '… and {n} more codes',
  summaryFiles: 'Details: reconciliation.html, reconciliation.csv, reconciliation.json',

  credentialsHeading: 'VNeID: the credentials of the records the hub holds ({target})',
  credentialState: 'VNeID',
  credentialPublished: 'Published',
  credentialMissing: 'Missing at VNeID',
  credentialHashDiffers: "Hash differs from the hub's",
  credentialRevoked: 'Revoked',
  credentialCancelledUnpublished: 'Cancelled before it was published (nothing to revoke)',
  credentialWrongState: 'Wrong state (revoked or active, against the hub)',
  credentialHeldHash: 'Hash at VNeID',
  credentialWithoutPersonalId: '{n} record(s) without a personal id to look up at VNeID',
  credentialUnavailable: 'VNeID COULD NOT BE ASKED, this column is incomplete: {code}: {message}',
  csvCredentialMessage: 'VNeID: {state} (hub {hubHash}, VNeID {heldHash})',
};

export const labels: Readonly<Record<Lang, Labels>> = { vi, en };

/** Fills `{name}` placeholders of a label. */
export function fillLabel(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole,
  );
}

/** The label of each total. */
export const TOTAL_LABEL: Readonly<Record<keyof ReconciliationTotals, LabelKey>> = {
  source: 'totalSource',
  accepted: 'totalAccepted',
  pending: 'totalPending',
  unsent: 'totalUnsent',
  rejectedByHub: 'totalRejectedByHub',
  dead: 'totalDead',
  conflicts: 'totalConflicts',
  heldBack: 'totalHeldBack',
  missingAtHub: 'totalMissingAtHub',
  mismatched: 'totalMismatched',
  goneFromSource: 'totalGoneFromSource',
  extraAtHub: 'totalExtraAtHub',
  warnings: 'totalWarnings',
};

/** The label of a partition category or of the warnings. */
export const CATEGORY_LABEL: Readonly<Record<SourceCategory | CodeGroup['category'] | HubCheckKey, LabelKey>> = TOTAL_LABEL;

/** The heading of each by-code section, in the order they are shown. */
export const CODE_SECTIONS: readonly { category: CodeGroup['category']; heading: LabelKey }[] = [
  { category: 'heldBack', heading: 'heldBackHeading' },
  { category: 'rejectedByHub', heading: 'rejectedByHubHeading' },
  { category: 'dead', heading: 'deadHeading' },
  { category: 'conflicts', heading: 'conflictsHeading' },
  { category: 'warnings', heading: 'warningsHeading' },
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

export const MISMATCH_KIND_LABEL: Readonly<Record<MismatchEntry['kind'], LabelKey>> = {
  older: 'kindOlder',
  content: 'kindContent',
  newer: 'kindNewer',
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

/** The credential column's states, as shown (src/reconcile/credentials.ts). */
export const CREDENTIAL_STATE_LABEL: Readonly<Record<CredentialState, LabelKey>> = {
  published: 'credentialPublished',
  missing: 'credentialMissing',
  hashDiffers: 'credentialHashDiffers',
  revoked: 'credentialRevoked',
  cancelledUnpublished: 'credentialCancelledUnpublished',
  wrongState: 'credentialWrongState',
};

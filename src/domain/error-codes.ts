/**
 * The catalogue of every error and warning code a user of lienthong can meet, each with a plain-words
 * explanation in Vietnamese and English and, where it helps, what to do about it. Reports, run
 * summaries and `status` take their words from here; a test (error-codes.test.ts) scans the source
 * tree and fails on any code without an entry, so a new code cannot reach a user unexplained.
 *
 * The entries live by area in error-codes/*.ts: record data (the mappings), the ministry hub and
 * delivery, runs and configuration (sources), the state store, signing and documents.
 */
import { ACCESS_CODES } from './error-codes/access.js';
import { DATA_CODES } from './error-codes/data.js';
import { HUB_CODES } from './error-codes/hub.js';
import { REMOTE_SIGNING_CODES } from './error-codes/remote-signing.js';
import { RUN_CODES } from './error-codes/run.js';
import { SIGNING_CODES } from './error-codes/signing.js';
import { STORE_CODES } from './error-codes/store.js';
import { VNEID_CODES } from './error-codes/vneid.js';
import type { CodeExplanation } from './error-codes/types.js';

export type { CodeExplanation } from './error-codes/types.js';
export type CodeLang = 'vi' | 'en';

/** Every code with its own entry. */
export const CODE_EXPLANATIONS: Readonly<Record<string, CodeExplanation>> = {
  ...ACCESS_CODES,
  ...DATA_CODES,
  ...HUB_CODES,
  ...REMOTE_SIGNING_CODES,
  ...RUN_CODES,
  ...SIGNING_CODES,
  ...STORE_CODES,
  ...VNEID_CODES,
};

/**
 * Families of codes that share a meaning: any `CCCD_*` code is a bad personal id, and so on. A
 * family explains codes made from a prefix at run time (`DICT_` + the rule) and is the fallback for
 * a code of the family that has no entry of its own.
 */
export const CODE_FAMILY_EXPLANATIONS: readonly { prefix: string; explanation: CodeExplanation }[] = [
  {
    prefix: 'CCCD_',
    explanation: {
      vi: 'Số định danh cá nhân (CCCD) không hợp lệ: cần 12 chữ số, mã tỉnh nơi sinh, giới tính, thế kỷ và năm sinh khớp với ngày sinh.',
      en: 'Invalid personal id (CCCD): it needs 12 digits, and its birth province, sex, century and birth year must agree with the birth date.',
      action: {
        vi: 'Đối chiếu số định danh, ngày sinh và giới tính với căn cước của người học rồi sửa ở hệ thống nguồn.',
        en: "Compare the id, birth date and sex with the person's identity card and correct the source system.",
      },
    },
  },
  {
    prefix: 'DICT_',
    explanation: {
      vi: 'Giá trị không đúng quy định của từ điển dữ liệu quốc gia (kiểu, độ dài, định dạng, bắt buộc).',
      en: 'The value breaks a national data dictionary rule (type, length, format, required).',
      action: { vi: 'Sửa giá trị của trường được nêu ở hệ thống nguồn.', en: 'Correct the named field in the source system.' },
    },
  },
  {
    prefix: 'WARD_',
    explanation: {
      vi: 'Mã xã/phường không hợp lệ, không có trong danh mục, hoặc không thuộc tỉnh đã khai.',
      en: 'Invalid ward code, not in the code list, or not in the stated province.',
      action: {
        vi: 'Kiểm tra mã xã/phường và mã tỉnh; nếu nguồn dùng mã sau 01/07/2025, đặt provinceCodeSet: "2025" trong mapping.options.',
        en: 'Check the ward and province codes; if the source uses the codes in force since 1 July 2025, set provinceCodeSet: "2025" in mapping.options.',
      },
    },
  },
  {
    prefix: 'PROVINCE_',
    explanation: {
      vi: 'Mã tỉnh không hợp lệ hoặc là mã cũ (trước 01/07/2025) không chuyển đổi được sang 34 tỉnh mới.',
      en: 'Invalid province code, or a pre-1 July 2025 code that cannot be translated to the 34 current provinces.',
      action: {
        vi: 'Bổ sung mã xã/phường (để chuyển đổi theo xã) hoặc sửa mã tỉnh ở hệ thống nguồn.',
        en: 'Add the ward code (translation goes ward by ward) or correct the province code in the source.',
      },
    },
  },
  // Fallbacks of whole areas, true of any code in them: a new code of the area is explained in
  // general words until it gets an entry of its own.
  {
    prefix: 'SQL_',
    explanation: {
      vi: 'Có vấn đề với cơ sở dữ liệu nguồn hoặc câu truy vấn của tác vụ.',
      en: 'A problem with the source database or the job query.',
      action: { vi: 'Xem thông báo đi kèm, rồi chạy "lienthong check".', en: 'Read the message, then run "lienthong check".' },
    },
  },
  {
    prefix: 'HUB_',
    explanation: {
      vi: 'Có vấn đề khi kết nối hoặc trao đổi với trục dữ liệu của Bộ.',
      en: "A problem connecting to or talking with the ministry's data hub.",
      action: { vi: 'Xem thông báo đi kèm, rồi chạy "lienthong check".', en: 'Read the message, then run "lienthong check".' },
    },
  },
  {
    prefix: 'RSIGN_',
    explanation: {
      vi: 'Có vấn đề khi trao đổi với dịch vụ ký số từ xa của người ký.',
      en: "A problem talking with the signer's remote signing service.",
      action: { vi: 'Xem thông báo đi kèm và kết nối dịch vụ ký số.', en: 'Read the message and check the remote signing connection.' },
    },
  },
  {
    prefix: 'STORE_',
    explanation: {
      vi: 'Có vấn đề với sổ cái (state.db) của lienthong.',
      en: "A problem with lienthong's ledger (state.db).",
      action: { vi: 'Chạy "lienthong store check" và làm theo hướng dẫn.', en: 'Run "lienthong store check" and follow its advice.' },
    },
  },
  {
    prefix: 'SQLITE_',
    explanation: {
      vi: 'Cơ sở dữ liệu SQLite của sổ cái (state.db) báo lỗi.',
      en: "The ledger's SQLite database (state.db) reported an error.",
      action: { vi: 'Chạy "lienthong store check" và làm theo hướng dẫn.', en: 'Run "lienthong store check" and follow its advice.' },
    },
  },
  {
    prefix: 'CURSOR_',
    explanation: {
      vi: 'Có vấn đề với mốc đọc (cột thời điểm hoặc số thứ tự dùng để chỉ đọc phần thay đổi).',
      en: 'A problem with the watermark (the time or sequence column used to read only what changed).',
      action: { vi: 'Kiểm tra cursorField và initialCursor trong tệp tác vụ.', en: 'Check cursorField and initialCursor in the job file.' },
    },
  },
];

/** The explanation of a code, or undefined for a code this catalogue does not know. */
export function explainCode(code: string): CodeExplanation | undefined {
  const exact = CODE_EXPLANATIONS[code];
  if (exact) return exact;
  return CODE_FAMILY_EXPLANATIONS.find((f) => code.startsWith(f.prefix))?.explanation;
}

/** The explanation in one language; an unknown code is shown as itself. */
export function explainCodeIn(code: string, lang: CodeLang): string {
  return explainCode(code)?.[lang] ?? code;
}

/** What to do about a code, in one language, when the catalogue says. */
export function codeActionIn(code: string, lang: CodeLang): string | undefined {
  return explainCode(code)?.action?.[lang];
}

/** The explanation followed by what to do: one sentence or two, for summaries and `status`. */
export function describeCodeIn(code: string, lang: CodeLang): string {
  const action = codeActionIn(code, lang);
  const text = explainCodeIn(code, lang);
  return action === undefined ? text : `${text} ${action}`;
}

/** Codes about lienthong's ledger, the state store (state.db), and the SQLite engine under it. */
import { type CodeExplanation, entry } from './types.js';

const REPORT_BUG_VI = 'Đây là lỗi của lienthong: báo cho người bảo trì kèm nhật ký.';
const REPORT_BUG_EN = 'A fault in lienthong: report it to the maintainers with the log.';
const STORE_RECOVER_VI = 'Chạy "lienthong store check"; nếu hỏng, khôi phục bản sao lưu bằng "lienthong store restore".';
const STORE_RECOVER_EN = 'Run "lienthong store check"; if damaged, restore a backup with "lienthong store restore".';
const CHECK_DIR_VI = 'Kiểm tra thư mục dữ liệu (dataDir) có tồn tại và tài khoản chạy lienthong được đọc, ghi.';
const CHECK_DIR_EN = 'Check that the data directory (dataDir) exists and the account running lienthong may read and write it.';

export const STORE_CODES: Readonly<Record<string, CodeExplanation>> = {
  STORE_EMPTIED: entry(
    'Tệp sổ cái (state.db) đã bị làm rỗng: nếu coi như lần chạy đầu, mọi bản ghi sẽ bị gửi lại.',
    'The ledger (state.db) has been emptied: treating it as a first run would resend every record.',
    STORE_RECOVER_VI,
    STORE_RECOVER_EN,
  ),
  STORE_REPLACED: entry('Tệp sổ cái đã bị thay bằng một tệp khác (không phải sổ cái của cài đặt này).', 'The ledger file was replaced by another one (not the ledger of this installation).', STORE_RECOVER_VI, STORE_RECOVER_EN),
  STORE_DAMAGED: entry('Tệp sổ cái bị hỏng (kiểm tra toàn vẹn thất bại).', 'The ledger file is damaged (its integrity check failed).', STORE_RECOVER_VI, STORE_RECOVER_EN),
  STORE_TOO_NEW: entry('Sổ cái do phiên bản lienthong mới hơn tạo ra.', 'The ledger was made by a newer lienthong.', 'Cập nhật lienthong lên phiên bản mới hơn.', 'Upgrade lienthong.'),
  STORE_WORKER_FAILED: entry('Luồng xử lý sổ cái gặp lỗi.', "The ledger's thread failed.", REPORT_BUG_VI, REPORT_BUG_EN),
  STORE_WORKER_EXITED: entry('Luồng xử lý sổ cái dừng bất thường.', "The ledger's thread ended unexpectedly.", REPORT_BUG_VI, REPORT_BUG_EN),
  SQLITE_FULL: entry('Ổ đĩa chứa sổ cái đã đầy.', 'The disk holding the ledger is full.', 'Giải phóng dung lượng rồi chạy lại; sổ cái không mất gì.', 'Free some space and run again; nothing in the ledger is lost.'),
  OUTBOX_CURSOR: entry('Con trỏ hàng đợi gửi không thuộc sổ cái này.', 'An outbox cursor does not belong to this ledger.', REPORT_BUG_VI, REPORT_BUG_EN),
  STORE_MISSING: entry('Không có sổ cái ở đường dẫn đã cho.', 'There is no ledger at the given path.', CHECK_DIR_VI, CHECK_DIR_EN),
  STORE_CANNOT_OPEN: entry('Không mở được sổ cái.', 'The ledger cannot be opened.', CHECK_DIR_VI, CHECK_DIR_EN),
  STORE_IN_USE: entry('Một tác vụ đang chạy trên sổ cái này nên không khôi phục được.', 'A job is running on this ledger, so it cannot be restored.', 'Dừng "lienthong start" / "lienthong run" rồi khôi phục lại.', 'Stop "lienthong start" / "lienthong run", then restore again.'),
  STORE_BACKUP_EXISTS: entry('Tệp sao lưu đã tồn tại; sao lưu không bao giờ ghi đè.', 'The backup file already exists; a backup never overwrites a file.', 'Đặt tên tệp sao lưu khác.', 'Name another backup file.'),
  STORE_BACKUP_UNUSABLE: entry('Tệp sao lưu không khôi phục được (hỏng hoặc không phải sổ cái); sổ cái hiện tại không bị thay đổi.', 'The backup cannot be restored (damaged, or not a ledger); the current ledger is unchanged.', 'Chọn một bản sao lưu khác.', 'Choose another backup.'),
  SQLITE_BUSY: entry('Sổ cái đang bị một tiến trình khác khoá.', 'Another process holds a lock on the ledger.', 'Chờ tiến trình kia xong rồi chạy lại.', 'Wait for the other process, then run again.'),
  SQLITE_CORRUPT: entry('Tệp sổ cái bị hỏng.', 'The ledger file is damaged.', STORE_RECOVER_VI, STORE_RECOVER_EN),
  SQLITE_NOTADB: entry('Tệp ở vị trí sổ cái không phải cơ sở dữ liệu SQLite.', 'The file where the ledger should be is not an SQLite database.', STORE_RECOVER_VI, STORE_RECOVER_EN),
  SQLITE_READONLY: entry('Sổ cái chỉ đọc được, không ghi được.', 'The ledger can be read but not written.', CHECK_DIR_VI, CHECK_DIR_EN),
  SQLITE_CANTOPEN: entry('Không mở được tệp sổ cái.', 'The ledger file cannot be opened.', CHECK_DIR_VI, CHECK_DIR_EN),
  SQLITE_PERM: entry('Không có quyền truy cập tệp sổ cái.', 'No permission to access the ledger file.', CHECK_DIR_VI, CHECK_DIR_EN),
};

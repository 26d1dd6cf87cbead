/** Codes of the web console's server: accounts, sessions, API tokens, its HTTP answers, and the audit log. */
import { type CodeExplanation, entry } from './types.js';

const LOG_IN_VI = 'Đăng nhập lại trên trang bảng điều khiển, hoặc gửi mã API cá nhân ("Authorization: Bearer").';
const LOG_IN_EN = 'Log in again on the console page, or send a personal API token ("Authorization: Bearer").';
const SEE_LOG_VI = 'Xem nhật ký của lienthong; nếu lỗi lặp lại, báo cho người bảo trì kèm nhật ký.';
const SEE_LOG_EN = "See lienthong's log; if it happens again, report it to the maintainers with the log.";

export const ACCESS_CODES: Readonly<Record<string, CodeExplanation>> = {
  UNAUTHENTICATED: entry('Yêu cầu chưa đăng nhập (không có phiên hoặc mã API hợp lệ, hoặc phiên đã hết hạn).', 'The request is not logged in (no valid session or API token, or the session has expired).', LOG_IN_VI, LOG_IN_EN),
  FORBIDDEN: entry('Vai trò của tài khoản không được làm việc này.', "The account's role may not do this.", 'Nhờ quản trị viên cấp vai trò phù hợp (viewer < operator < admin; người ký chỉ xem yêu cầu ký của mình).', "Ask an administrator for the right role (viewer < operator < admin; a signer sees only their own signing requests)."),
  CSRF: entry('Yêu cầu thay đổi dữ liệu thiếu mã chống giả mạo (X-CSRF-Token) của phiên, hoặc mã sai.', "A request that changes something lacks the session's anti-forgery token (X-CSRF-Token), or it is wrong.", 'Tải lại trang rồi làm lại.', 'Reload the page and try again.'),
  LOGIN_FAILED: entry('Sai tên tài khoản hoặc mật khẩu.', 'Wrong account name or password.', 'Kiểm tra lại; sau 5 lần sai, tài khoản bị khoá tạm 15 phút.', 'Check them; after 5 failures the account is locked for 15 minutes.'),
  LOGIN_LOCKED: entry('Quá nhiều lần đăng nhập sai: tài khoản (hoặc địa chỉ máy) bị khoá tạm thời.', 'Too many failed logins: the account (or the address) is locked for a while.', 'Chờ hết thời gian khoá (retryAfterSeconds) rồi thử lại; nếu không phải bạn thử, báo quản trị viên.', 'Wait for the lock to end (retryAfterSeconds) and try again; if it was not you, tell an administrator.'),
  USERNAME_INVALID: entry('Tên tài khoản không hợp lệ: 2–64 ký tự chữ thường, số, ".", "_" hoặc "-", bắt đầu bằng chữ.', 'Invalid account name: 2–64 lowercase letters, digits, ".", "_" or "-", starting with a letter.'),
  ROLE_UNKNOWN: entry('Vai trò không tồn tại; các vai trò: viewer, operator, admin, và người ký: teacher, homeroom, principal.', 'Unknown role; the roles are viewer, operator, admin, and the signers: teacher, homeroom, principal.'),
  PERSONAL_ID_INVALID: entry('Tài khoản người ký (teacher, homeroom, principal) cần số định danh cá nhân 12 chữ số của người đó.', "A signer's account (teacher, homeroom, principal) needs that person's 12-digit personal id.", 'Thêm --personal-id với số CCCD của người ký, đúng như dữ liệu học bạ ghi.', "Add --personal-id with the signer's CCCD number, as the school records name them."),
  PERSONAL_ID_NOT_FOR_ROLE: entry('Chỉ tài khoản người ký mới gắn với số định danh cá nhân.', "Only a signer's account is linked to a personal id.", 'Bỏ --personal-id, hoặc chọn vai trò teacher, homeroom hay principal.', 'Leave out --personal-id, or choose the role teacher, homeroom or principal.'),
  SIGNING_REQUEST_NOT_YOURS: entry('Yêu cầu ký này không đứng tên bạn: chỉ người ký được nêu mới xem và quyết định được.', 'This signing request does not name you: only the signer it names may review and decide it.', 'Xem danh sách yêu cầu của bạn trên trang "Ký duyệt".', 'See your own requests on the "Review and sign" page.'),
  PASSWORD_TOO_SHORT: entry('Mật khẩu phải có từ 10 đến 1024 ký tự.', 'A password has 10 to 1024 characters.'),
  PASSWORD_MISSING: entry('Không nhận được mật khẩu (đầu vào chuẩn trống hoặc bị ngắt).', 'No password was given (standard input empty, or interrupted).', 'Đưa mật khẩu vào dòng đầu của đầu vào chuẩn, hoặc gõ ở lời nhắc.', 'Give the password as the first line of standard input, or type it at the prompt.'),
  PASSWORD_MISMATCH: entry('Hai lần nhập mật khẩu không giống nhau.', 'The two passwords typed differ.'),
  USER_NOT_FOUND: entry('Không có tài khoản mang tên này.', 'No account has this name.', 'Xem danh sách bằng "lienthong users list".', 'See the list with "lienthong users list".'),
  USER_EXISTS: entry('Đã có tài khoản mang tên này.', 'An account with this name exists already.'),
  USER_DISABLED: entry('Tài khoản đã bị vô hiệu hoá.', 'The account is disabled.'),
  INVALID_REQUEST: entry('Yêu cầu gửi đến API không đúng định dạng (JSON hoặc các trường không hợp lệ).', 'The request sent to the API is malformed (its JSON or its fields are invalid).', 'Đối chiếu với tài liệu OpenAPI tại /api/v1/openapi.json.', 'Compare it with the OpenAPI document at /api/v1/openapi.json.'),
  UNSUPPORTED_MEDIA_TYPE: entry('API chỉ nhận nội dung JSON.', 'The API accepts only JSON bodies.'),
  REQUEST_TOO_LARGE: entry('Nội dung yêu cầu quá lớn.', 'The request body is too large.'),
  NOT_FOUND: entry('Không có trang hoặc đường dẫn API này.', 'There is no such page or API route.'),
  INTERNAL: entry('Lỗi bên trong máy chủ bảng điều khiển.', 'An internal error of the console server.', SEE_LOG_VI, SEE_LOG_EN),
  LISTEN_INVALID: entry('Địa chỉ lắng nghe không hợp lệ; cần dạng HOST:PORT, ví dụ 127.0.0.1:8080.', 'Invalid listen address; it is HOST:PORT, e.g. 127.0.0.1:8080.'),
  LISTEN_FAILED: entry('Không mở được cổng cho bảng điều khiển (cổng đang được dùng, hoặc không có quyền).', 'The console cannot listen on its port (in use, or not permitted).', 'Chọn cổng khác bằng server.listen hoặc --listen, hoặc dừng chương trình đang dùng cổng.', 'Choose another port with server.listen or --listen, or stop the program using it.'),
  TLS_FILE_UNREADABLE: entry('Không đọc được tệp chứng thư hoặc khoá TLS của bảng điều khiển (server.tls).', "The console's TLS certificate or key file (server.tls) cannot be read.", 'Kiểm tra đường dẫn (tính từ tệp cấu hình) và quyền đọc.', 'Check the path (relative to the configuration file) and that it may be read.'),
  RUN_WITHOUT_ID: entry('Một lần chạy kết thúc mà không có mã lần chạy.', 'A run ended without a run id.', 'Đây là lỗi của lienthong: báo cho người bảo trì kèm nhật ký.', 'A fault in lienthong: report it to the maintainers with the log.'),
};

/**
 * Codes about the ministry data hub: its answers to a record, the connection to it, delivery and
 * reconciliation.
 */
import { type CodeExplanation, entry } from './types.js';

const CHECK_HUB_VI = 'Kiểm tra baseUrl, clientId, clientSecret và unitCode của kết nối hub.';
const CHECK_HUB_EN = 'Check baseUrl, clientId, clientSecret and unitCode of the hub connection.';
const RETRIED_VI = 'Sẽ tự thử lại; nếu kéo dài, liên hệ đơn vị vận hành trục.';
const RETRIED_EN = 'Retried by itself; if it lasts, contact the hub operator.';
const REPORT_BUG_VI = 'Đây là lỗi của lienthong hoặc của trục: báo cho người bảo trì kèm nhật ký.';
const REPORT_BUG_EN = 'A fault in lienthong or in the hub: report it to the maintainers with the log.';

export const HUB_CODES: Readonly<Record<string, CodeExplanation>> = {
  // the hub's answer to one record
  SIGNATURE_INVALID: entry('Chữ ký số trong tệp học bạ không hợp lệ hoặc không xác minh được.', 'A digital signature in the school record file is invalid or cannot be verified.'),
  SCHEMA_INVALID: entry('Tệp XML không đúng lược đồ (schema) của phiên bản khai báo.', 'The XML file does not match the schema of its declared version.'),
  HASH_MISMATCH: entry('Mã băm SHA-256 của tệp đính kèm không khớp với nội dung gửi lên.', 'The SHA-256 hash of the attached file does not match its content.'),
  DATA_MISMATCH: entry('Số định danh hoặc năm học trong tệp XML khác với dữ liệu gửi kèm.', 'The personal id or school year in the XML file differs from the submitted data.'),
  VERSION_CONFLICT: entry(
    'Trục đang giữ phiên bản mới hơn với nội dung khác (có nơi khác đã ghi); cần đối chiếu thủ công.',
    'The hub holds a newer version with different content (someone else wrote it); check by hand.',
  ),
  RECORD_TOO_LARGE: entry('Riêng bản ghi này đã vượt giới hạn kích thước của trục; cần rút gọn tệp đính kèm.', 'This record alone exceeds the hub size limit; shrink its attachment.'),
  RECORD_NOT_FOUND: entry('Trục không có bản ghi này.', 'The hub holds no such record.'),

  // delivery
  RECORD_TRANSIENT: entry(
    'Gửi lại nhiều lần vẫn lỗi tạm thời (mạng, trục quá tải); sẽ thử lại ở lần chạy sau.',
    'Still failing with temporary errors (network, hub overload) after retries; a later run will try again.',
  ),
  DEAD: entry('Việc gửi đã dừng sau nhiều lần thử; xem hàng đợi lỗi (dead letters).', 'Delivery gave up after retries; see the dead letters.', 'Sửa nguyên nhân rồi chạy "lienthong dead-letters retry".', 'Fix the cause, then run "lienthong dead-letters retry".'),
  TIMEOUT: entry('Nơi nhận không trả lời kịp thời hạn; sẽ thử lại.', 'The destination did not answer in time; it will be retried.', RETRIED_VI, RETRIED_EN),
  BATCH_TOO_LARGE: entry('Lô gửi quá lớn với trục (HTTP 413); lô được chia đôi và gửi lại.', 'The batch was too large for the hub (HTTP 413); it is split and sent again.'),
  BATCH_OVER_MAX: entry('Lô gửi vượt số bản ghi tối đa của nơi nhận.', "A batch is over the destination's maximum size.", REPORT_BUG_VI, REPORT_BUG_EN),

  // reconciliation
  GONE_FROM_SOURCE: entry(
    'Trục vẫn giữ bản ghi này nhưng nguồn không còn bản ghi nào ứng với nó (đã xoá hoặc đổi mã ở nguồn).',
    'The hub still holds this record but no source record maps to it any more (deleted or re-keyed at the source).',
    'Nếu văn bằng phải bị huỷ, đặt trạng thái huỷ ở nguồn để gửi CANCEL; nếu không, kiểm tra lại nguồn.',
    'If the diploma must be withdrawn, set a cancelled status at the source so that a CANCEL is sent; otherwise check the source.',
  ),
  MISSING_AT_HUB: entry(
    'Trục đã xác nhận nhận bản ghi này (sổ cái có mã biên nhận) nhưng nay không còn giữ nó. lienthong không tự gửi lại bản ghi đã được xác nhận.',
    'The hub acknowledged this record (the ledger has its receipt) but no longer holds it. lienthong does not resend a record the hub acknowledged by itself.',
    'Báo cho đơn vị vận hành trục kèm mã biên nhận trong sổ cái (lienthong status, báo cáo CSV).',
    "Report it to the hub's operators with the receipt id from the ledger (lienthong status, the CSV report).",
  ),
  EXTRA_AT_HUB: entry('Trục có bản ghi mà sổ cái không biết (có thể do hệ thống khác gửi).', 'The hub holds a record the ledger does not know (perhaps sent by another system).'),
  VERSION_MISMATCH: entry('Phiên bản trên trục khác phiên bản trong sổ cái.', 'The hub holds a different version than the ledger.'),
  CONTENT_MISMATCH: entry('Cùng phiên bản nhưng nội dung trên trục khác nội dung đã gửi.', 'Same version, but the content at the hub differs from what was sent.'),
  NO_READ_BACK: entry('Nơi nhận không có API đọc lại nên không đối soát được.', 'The destination has no read-back API to reconcile against.'),

  // the connection to the hub
  HUB_CONFIG_INVALID: entry('Cấu hình kết nối hub không hợp lệ.', 'The hub connection configuration is invalid.', CHECK_HUB_VI, CHECK_HUB_EN),
  HUB_AUTH_FAILED: entry('Trục từ chối thông tin đăng nhập của ứng dụng (client credentials).', 'The hub refused the client credentials.', CHECK_HUB_VI, CHECK_HUB_EN),
  HUB_UNAUTHORIZED: entry('Trục từ chối thông tin đăng nhập hai lần liên tiếp (401).', 'The hub refused the credentials twice (401).', CHECK_HUB_VI, CHECK_HUB_EN),
  HUB_FORBIDDEN: entry('Trục không cho ứng dụng này gửi cho đơn vị hoặc tập dữ liệu này (403).', 'The hub does not let this client act for this unit or dataset (403).', 'Kiểm tra unitCode và quyền của tài khoản với đơn vị vận hành trục.', "Check unitCode and the account's rights with the hub operator."),
  HUB_NOT_FOUND: entry('Trục không có địa chỉ hoặc tập dữ liệu này (404).', 'The hub has no such endpoint or dataset (404).', 'Kiểm tra baseUrl và tên tập dữ liệu (dataset).', 'Check baseUrl and the dataset name.'),
  HUB_INSECURE_HTTP: entry(
    'Địa chỉ trục dùng http:// (không mã hoá) trên máy khác: mật khẩu ứng dụng và dữ liệu cá nhân sẽ đi dưới dạng rõ.',
    'The hub address uses plain http:// on another host: the client secret and personal data would travel in clear.',
    'Dùng https://; chỉ khi thật cần (mạng nội bộ đã mã hoá) mới đặt allowInsecureHttp: true.',
    'Use https://; only if truly needed (an already encrypted internal network) set allowInsecureHttp: true.',
  ),
  HUB_TLS: entry(
    'Không thiết lập được kết nối TLS an toàn với trục (chứng thư không tin cậy, hết hạn, sai tên máy).',
    "No safe TLS connection to the hub (certificate untrusted, expired, or for another host name).",
    'Kiểm tra địa chỉ trục, đồng hồ máy chủ và chứng thư CA mà máy chủ tin cậy, rồi chạy lại.',
    "Check the hub address, the server's clock and the CA certificates the server trusts, then run again.",
  ),
  HUB_ANSWER_TOO_LARGE: entry(
    'Câu trả lời của trục dài bất thường so với lô đã gửi nên bị từ chối trước khi đọc.',
    'The hub answer is abnormally long for the batch sent, so it is refused before it is read.',
    RETRIED_VI,
    RETRIED_EN,
  ),
  HUB_BAD_REQUEST: entry('Trục từ chối yêu cầu vì không hợp lệ (400).', 'The hub refused the request as invalid (400).', 'Xem mã và nội dung trục trả về; nếu do lienthong, báo cho người bảo trì.', "Read the hub's code and message; if lienthong is at fault, report it to the maintainers."),
  HUB_UNPROCESSABLE: entry('Trục không xử lý được nội dung gửi lên (422).', 'The hub cannot process what was sent (422).', 'Xem mã và nội dung trục trả về; nếu do lienthong, báo cho người bảo trì.', "Read the hub's code and message; if lienthong is at fault, report it to the maintainers."),
  HUB_NETWORK: entry('Không nhận được trả lời từ trục (lỗi mạng); lô có thể đã hoặc chưa được ghi, sẽ gửi lại an toàn.', 'No answer from the hub (network error); the batch may or may not have been applied, and is safely resent.', RETRIED_VI, RETRIED_EN),
  HUB_TIMEOUT: entry('Trục không trả lời kịp; lô có thể đã hoặc chưa được ghi, sẽ gửi lại an toàn.', 'The hub did not answer in time; the batch may or may not have been applied, and is safely resent.', RETRIED_VI, RETRIED_EN),
  HUB_UNAVAILABLE: entry('Trục đang lỗi hoặc bảo trì (5xx).', 'The hub is failing or under maintenance (5xx).', RETRIED_VI, RETRIED_EN),
  HUB_RATE_LIMITED: entry('Trục đang giới hạn tốc độ gửi (429); lienthong chờ rồi gửi tiếp.', 'The hub is rate limiting (429); lienthong waits, then goes on.', 'Nếu lặp lại thường xuyên, giảm rateLimit hoặc concurrency của đích.', "If it keeps happening, lower the destination's rateLimit or concurrency."),
  HUB_ABORTED: entry('Yêu cầu gửi trục đã bị huỷ (lần chạy dừng).', 'The request to the hub was cancelled (the run stopped).'),
  HUB_BAD_ANSWER: entry('Trục trả lời lô gửi bằng nội dung không đúng hợp đồng giao tiếp.', 'The hub answered a batch with a body that does not follow the contract.', REPORT_BUG_VI, REPORT_BUG_EN),
  HUB_BAD_TOKEN_ANSWER: entry('Trục trả lời yêu cầu cấp token bằng nội dung không đọc được.', 'The hub answered the token request with an unreadable body.', REPORT_BUG_VI, REPORT_BUG_EN),
  HUB_RESULT_COUNT: entry('Số kết quả trục trả về khác số bản ghi đã gửi.', 'The hub answered a different number of results than records sent.', REPORT_BUG_VI, REPORT_BUG_EN),
  HUB_RESULT_ORDER: entry('Kết quả trục trả về không theo thứ tự bản ghi đã gửi.', "The hub's results name other records than those sent, in that order.", REPORT_BUG_VI, REPORT_BUG_EN),
  HUB_CURSOR_LOOP: entry('Trục trả cùng một con trỏ đọc lại hai lần.', 'The hub answered the same read-back cursor twice.', REPORT_BUG_VI, REPORT_BUG_EN),
  INVALID_TOKEN: entry('Token truy cập thiếu, hết hạn hoặc đã bị thu hồi; lienthong xin token mới.', 'The access token is missing, expired or revoked; lienthong asks for a new one.'),
  MALFORMED_BATCH: entry('Nội dung lô gửi không phải đối tượng JSON hợp lệ.', 'The batch body is not a valid JSON object.', REPORT_BUG_VI, REPORT_BUG_EN),
  // the hub's whole-request refusals (contract: ministry-hub, "Errors")
  NOT_FOUND: entry('Trục không có địa chỉ này.', 'The hub has no such endpoint.', 'Kiểm tra baseUrl của kết nối hub.', "Check the hub connection's baseUrl."),
  RATE_LIMITED: entry('Trục báo gửi quá nhanh; lienthong chờ rồi gửi tiếp.', 'The hub says requests come too fast; lienthong waits, then goes on.'),
  MISSING_UNIT_CODE: entry('Yêu cầu gửi trục thiếu mã đơn vị.', 'The request to the hub lacks the unit code.', CHECK_HUB_VI, CHECK_HUB_EN),
  UNIT_NOT_ALLOWED: entry('Tài khoản ứng dụng không được gửi/đọc cho đơn vị này.', 'The client account may not act for this unit.', 'Kiểm tra unitCode với đơn vị vận hành trục.', 'Check unitCode with the hub operator.'),
  DATASET_NOT_ALLOWED: entry('Tài khoản ứng dụng không được dùng tập dữ liệu này.', 'The client account may not use this dataset.', 'Xin cấp quyền với đơn vị vận hành trục.', 'Ask the hub operator for the right.'),
  UNIT_CODE_MISMATCH: entry('Mã đơn vị trong lô khác mã đơn vị của yêu cầu.', "The batch's unit code differs from the request's.", REPORT_BUG_VI, REPORT_BUG_EN),
  MISSING_IDEMPOTENCY_KEY: entry('Yêu cầu gửi trục thiếu khoá chống gửi trùng (Idempotency-Key).', 'The request to the hub lacks its Idempotency-Key.', REPORT_BUG_VI, REPORT_BUG_EN),
  UNSUPPORTED_SCHEMA_VERSION: entry('Trục không nhận phiên bản định dạng (schemaVersion) này cho tập dữ liệu.', 'The hub does not accept this schemaVersion for the dataset.', 'Dùng ánh xạ đúng phiên bản trục yêu cầu (mapping.name).', 'Use the mapping version the hub expects (mapping.name).'),
  MALFORMED_JSON: entry('Nội dung gửi trục không phải JSON hợp lệ.', 'The body sent to the hub is not valid JSON.', REPORT_BUG_VI, REPORT_BUG_EN),
  MALFORMED_GZIP: entry('Nội dung nén gzip gửi trục không giải nén được.', 'The gzip body sent to the hub cannot be decompressed.', REPORT_BUG_VI, REPORT_BUG_EN),
  UNSUPPORTED_ENCODING: entry('Trục không nhận kiểu nén này (chỉ gzip hoặc không nén).', 'The hub does not accept this content encoding (gzip or none only).', REPORT_BUG_VI, REPORT_BUG_EN),
  INVALID_LIMIT: entry('Số bản ghi mỗi trang khi đọc lại không hợp lệ.', 'The page size of a read-back is invalid.', REPORT_BUG_VI, REPORT_BUG_EN),
  INVALID_CURSOR: entry('Con trỏ đọc lại không phải con trỏ trục đã cấp.', 'The read-back cursor is not one the hub gave.', REPORT_BUG_VI, REPORT_BUG_EN),
  INVALID_FAULTS: entry('Cấu hình giả lập lỗi của trục thử không hợp lệ.', "The test hub's fault settings are invalid."),
  UNKNOWN_DATASET: entry('Trục không có tập dữ liệu này.', 'The hub has no such dataset.', 'Kiểm tra dataset của đích trong tệp tác vụ.', "Check the destination's dataset in the job file."),
};

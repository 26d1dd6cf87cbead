/** Codes of the VNeID-facing credential service (connectors/vneid-credential, docs/contracts/vneid.md). */
import { type CodeExplanation, entry } from './types.js';

const CHECK_CONN_VI = 'Kiểm tra endpoint, username, password, client và service (X-Road) của kết nối vneid-credential.';
const CHECK_CONN_EN = 'Check endpoint, username, password, client and service (X-Road) of the vneid-credential connection.';
const LATER_VI = 'Không cần làm gì: lienthong gửi lại sau với cùng mã thông điệp; nếu kéo dài, liên hệ đơn vị vận hành dịch vụ.';
const LATER_EN = 'Nothing to do: lienthong sends again later under the same message id; if it lasts, contact the service operator.';
const REPORT_BUG_VI = 'Đây là lỗi của lienthong hoặc của dịch vụ: báo cho người bảo trì kèm nhật ký.';
const REPORT_BUG_EN = 'A fault in lienthong or the service: report it to the maintainers with the log.';
const FIX_SOURCE_VI = 'Sửa trường được nêu ở hệ thống nguồn; bản ghi được gửi lại ở lượt chạy sau.';
const FIX_SOURCE_EN = 'Correct the named field in the source system; the record is sent again by a later run.';

export const VNEID_CODES: Readonly<Record<string, CodeExplanation>> = {
  // the connection: the job stops
  VNEID_CONFIG_INVALID: entry('Cấu hình kết nối dịch vụ chứng chỉ VNeID không hợp lệ.', 'The VNeID credential service connection is misconfigured.', CHECK_CONN_VI, CHECK_CONN_EN),
  VNEID_INSECURE_HTTP: entry(
    'Địa chỉ dịch vụ chứng chỉ VNeID dùng http không mã hoá tới máy khác: mật khẩu và dữ liệu cá nhân sẽ đi dạng rõ.',
    'The credential service endpoint is plain http to another machine: the password and personal data would travel unencrypted.',
    'Dùng địa chỉ https:// của dịch vụ, hoặc đặt allowInsecureHttp: true nếu đường truyền đã được bảo vệ (VPN).',
    "Use the service's https:// address, or set allowInsecureHttp: true if the link is protected (VPN).",
  ),
  VNEID_TLS: entry('Không tin cậy được kết nối TLS tới dịch vụ chứng chỉ VNeID.', "The credential service's TLS connection cannot be trusted.", 'Kiểm tra tên máy trong endpoint, hạn chứng thư và CA của dịch vụ (NODE_EXTRA_CA_CERTS).', "Check the host name in endpoint, the certificate's dates and the service's CA (NODE_EXTRA_CA_CERTS)."),
  VNEID_AUTH_FAILED: entry('Dịch vụ từ chối đăng nhập WS-Security (username/password).', 'The service refused the WS-Security login (username/password).', CHECK_CONN_VI, CHECK_CONN_EN),
  VNEID_UNAUTHORIZED: entry('Máy chủ bảo mật của dịch vụ từ chối máy khách (HTTP 401).', "The service's security server refused the client (HTTP 401).", CHECK_CONN_VI, CHECK_CONN_EN),
  VNEID_FORBIDDEN: entry('Máy chủ bảo mật của dịch vụ không cho máy khách gọi dịch vụ (HTTP 403).', "The service's security server does not let the client call it (HTTP 403).", CHECK_CONN_VI, CHECK_CONN_EN),
  VNEID_NOT_FOUND: entry('Không có dịch vụ tại địa chỉ đã cấu hình (HTTP 404).', 'There is no service at the configured address (HTTP 404).', CHECK_CONN_VI, CHECK_CONN_EN),
  VNEID_REDIRECTED: entry('Dịch vụ chuyển hướng sang địa chỉ khác.', 'The service redirects to another address.', 'Đặt endpoint là địa chỉ được chuyển tới.', 'Set endpoint to the address it redirects to.'),
  VNEID_UNIT_NOT_AUTHORISED: entry(
    'Dịch vụ cho biết đơn vị chưa được phép công bố chứng chỉ (mã 20): công việc dừng lại.',
    'The service says the unit is not authorised to publish credentials (code 20): the job stops.',
    'Kiểm tra memberCode/subsystemCode của client và việc đăng ký đơn vị với dịch vụ.',
    "Check the client's memberCode/subsystemCode and the unit's registration with the service.",
  ),
  VNEID_CLOCK_SKEW: entry(
    'Dịch vụ hai lần liên tiếp coi thông điệp có dấu thời gian mới là đã hết hạn: đồng hồ máy này lệch quá 5 phút so với dịch vụ.',
    "The service twice in a row found a fresh timestamp expired: this machine's clock is more than 5 minutes from the service's.",
    'Chỉnh đồng hồ máy chủ (NTP) rồi chạy lại.',
    'Set the server clock right (NTP) and run again.',
  ),
  // one call: retried
  VNEID_MESSAGE_EXPIRED: entry('Dịch vụ coi thông điệp là đã hết hạn (dấu thời gian); lienthong gửi lại ngay với dấu thời gian mới.', 'The service found the message expired (its timestamp); lienthong sends it again at once with a fresh one.'),
  VNEID_FAULT: entry('Dịch vụ trả về SOAP Fault.', 'The service answered a SOAP Fault.', LATER_VI, LATER_EN),
  VNEID_UNAVAILABLE: entry('Dịch vụ gặp lỗi tạm thời (HTTP 5xx).', 'The service failed for now (HTTP 5xx).', LATER_VI, LATER_EN),
  VNEID_RATE_LIMITED: entry('Dịch vụ đang giới hạn số yêu cầu (429).', 'The service is rate limiting (429).', LATER_VI, LATER_EN),
  VNEID_TIMEOUT: entry('Dịch vụ không trả lời kịp.', 'The service did not answer in time.', LATER_VI, LATER_EN),
  VNEID_NETWORK: entry('Không kết nối được tới dịch vụ (mạng, kết nối bị ngắt).', 'No answer from the service (network, connection reset).', LATER_VI, LATER_EN),
  VNEID_ABORTED: entry('Việc gửi tới dịch vụ đã bị huỷ (dừng lượt chạy).', 'Sending to the service was cancelled (the run stopped).'),
  VNEID_ANSWER_TOO_LARGE: entry('Câu trả lời của dịch vụ lớn bất thường nên bị từ chối.', "The service's answer was abnormally large and was refused.", LATER_VI, LATER_EN),
  VNEID_BUSY: entry('Dịch vụ đang bận (mã 90).', 'The service is busy (code 90).', LATER_VI, LATER_EN),
  VNEID_INTERNAL_ERROR: entry('Dịch vụ gặp lỗi nội bộ (mã 99).', 'The service had an internal error (code 99).', LATER_VI, LATER_EN),
  // one record: reported
  VNEID_INVALID_FIELD: entry('Dịch vụ từ chối một trường của chứng chỉ (mã 10).', 'The service refused a field of the credential (code 10).', FIX_SOURCE_VI, FIX_SOURCE_EN),
  VNEID_PERSONAL_ID_UNKNOWN: entry(
    'Cơ sở dữ liệu quốc gia về dân cư không có số định danh này (mã 11).',
    'The national population database does not know this personal id (code 11).',
    'Đối chiếu số định danh với căn cước của người học rồi sửa ở hệ thống nguồn.',
    "Compare the id with the person's identity card and correct it in the source system.",
  ),
  VNEID_HTTP_REFUSED: entry('Dịch vụ từ chối yêu cầu với một mã HTTP khác.', 'The service refused the request with another HTTP status.', REPORT_BUG_VI, REPORT_BUG_EN),
  VNEID_NOT_A_CREDENTIAL: entry(
    'Bản ghi không phải văn bằng, học bạ hay bản tóm tắt chứng chỉ nên không công bố lên VNeID được.',
    'The record is neither a diploma, a school record nor a credential summary, so it cannot be published to VNeID.',
    'Kiểm tra đích vneid-credential được gắn với đúng công việc (văn bằng, học bạ).',
    'Check that the vneid-credential destination belongs to the right job (diplomas, school records).',
  ),
  VNEID_FIELD_MISSING: entry('Thiếu trường mà VNeID cần (số định danh, tên, đơn vị cấp, ngày cấp).', 'A field VNeID needs is missing (personal id, title, issuer, issue date).', FIX_SOURCE_VI, FIX_SOURCE_EN),
  VNEID_PERSONAL_ID_INVALID: entry('Số định danh không phải 12 chữ số.', 'The personal id is not 12 digits.', FIX_SOURCE_VI, FIX_SOURCE_EN),
  VNEID_FIELD_TOO_LONG: entry('Một trường dài quá 500 ký tự mà dịch vụ nhận.', 'A field is longer than the 500 characters the service takes.', FIX_SOURCE_VI, FIX_SOURCE_EN),
  VNEID_ISSUE_DATE_INVALID: entry('VNeID cần ngày cấp đầy đủ (YYYY-MM-DD), không chỉ tháng hoặc năm.', 'VNeID needs the full issue date (YYYY-MM-DD), not only a month or a year.', FIX_SOURCE_VI, FIX_SOURCE_EN),
  VNEID_DOCUMENT_HASH_INVALID: entry('documentHash không phải SHA-256 dạng hex chữ thường.', 'documentHash is not a SHA-256 in lowercase hex.', FIX_SOURCE_VI, FIX_SOURCE_EN),
  // a peer or lienthong breaking the contract: stops
  VNEID_ANSWER_DTD: entry(
    'Câu trả lời của dịch vụ chứa DOCTYPE hoặc khai báo thực thể (SOAP cấm): bị từ chối, không đọc.',
    "The service's answer holds a DOCTYPE or an entity declaration (SOAP forbids them): refused unread.",
    'Báo cho đơn vị vận hành dịch vụ; có thể có thiết bị trung gian sửa câu trả lời.',
    'Tell the service operator; something in between may be altering answers.',
  ),
  VNEID_BAD_ANSWER: entry('Câu trả lời của dịch vụ không đúng hợp đồng giao tiếp.', "The service's answer does not follow the contract.", REPORT_BUG_VI, REPORT_BUG_EN),
  VNEID_UNKNOWN_RESULT: entry('Dịch vụ trả về mã kết quả ngoài hợp đồng.', 'The service answered a result code outside the contract.', REPORT_BUG_VI, REPORT_BUG_EN),
  VNEID_WSDL_MISSING: entry('Thiếu tệp WSDL của dịch vụ chứng chỉ trong bản cài đặt.', "The credential service's WSDL is missing from the installation.", 'Cài đặt lại lienthong.', 'Reinstall lienthong.'),
  VNEID_WSDL_UNREADABLE: entry('Không đọc được WSDL của dịch vụ chứng chỉ.', "The credential service's WSDL cannot be read.", REPORT_BUG_VI, REPORT_BUG_EN),
  VNEID_WSDL_REMOTE_IMPORT: entry('WSDL trỏ tới lược đồ trên mạng; lienthong chỉ đọc WSDL và XSD từ đĩa.', 'The WSDL names a schema on the network; lienthong reads its WSDL and XSD from disk only.', REPORT_BUG_VI, REPORT_BUG_EN),
  VNEID_WSDL_OPERATION: entry('WSDL thiếu một thao tác của dịch vụ.', 'The WSDL lacks an operation of the service.', REPORT_BUG_VI, REPORT_BUG_EN),
  VNEID_RECORD_NOT_JSON: entry('Dữ liệu của bản ghi đã xếp hàng không phải JSON.', "A staged record's data is not JSON.", REPORT_BUG_VI, REPORT_BUG_EN),
  VNEID_OUTBOX_UNREADABLE: entry('Nội dung chờ gửi tới dịch vụ chứng chỉ không đọc được.', 'The text waiting to be sent to the credential service cannot be read.', REPORT_BUG_VI, REPORT_BUG_EN),
};

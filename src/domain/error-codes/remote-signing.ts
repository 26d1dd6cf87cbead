/** Codes about remote signing services (the signer's key at a CA, approval on the phone) and signers' certificates. */
import { type CodeExplanation, entry } from './types.js';

const CHECK_CONN_VI = 'Kiểm tra baseUrl, clientId và clientSecret của kết nối dịch vụ ký số từ xa.';
const CHECK_CONN_EN = 'Check baseUrl, clientId and clientSecret of the remote signing connection.';
const LATER_VI = 'Không cần làm gì: lienthong thử lại sau; nếu kéo dài, liên hệ nhà cung cấp dịch vụ ký số.';
const LATER_EN = 'Nothing to do: lienthong tries again later; if it lasts, contact the signing service provider.';
const REPORT_BUG_VI = 'Đây là lỗi của lienthong hoặc của dịch vụ ký số: báo cho người bảo trì kèm nhật ký.';
const REPORT_BUG_EN = 'A fault in lienthong or the signing service: report it to the maintainers with the log.';
const NEW_CERT_VI = 'Người ký cần chứng thư số hợp lệ của chính mình từ nhà cung cấp; sau đó yêu cầu ký lại.';
const NEW_CERT_EN = 'The signer needs a valid certificate of their own from the provider; then ask for the signature again.';

export const REMOTE_SIGNING_CODES: Readonly<Record<string, CodeExplanation>> = {
  // the connection
  RSIGN_CONFIG_INVALID: entry('Cấu hình kết nối dịch vụ ký số từ xa không hợp lệ.', 'The remote signing connection is misconfigured.', CHECK_CONN_VI, CHECK_CONN_EN),
  RSIGN_INSECURE_HTTP: entry(
    'Địa chỉ dịch vụ ký số dùng http không mã hoá tới máy khác: mật khẩu ứng dụng và mã truy cập sẽ đi dạng rõ.',
    'The signing service address is plain http to another machine: the client secret and tokens would travel unencrypted.',
    'Dùng địa chỉ https:// của dịch vụ, hoặc đặt allowInsecureHttp: true nếu đường truyền đã được bảo vệ (VPN).',
    "Use the service's https:// address, or set allowInsecureHttp: true if the link is protected (VPN).",
  ),
  RSIGN_TLS: entry('Không tin cậy được kết nối TLS tới dịch vụ ký số (chứng thư máy chủ, tên máy).', "The signing service's TLS connection cannot be trusted (server certificate, host name).", 'Kiểm tra tên máy trong baseUrl và CA của dịch vụ (NODE_EXTRA_CA_CERTS).', "Check the host name in baseUrl and the service's CA (NODE_EXTRA_CA_CERTS)."),
  RSIGN_AUTH_FAILED: entry('Dịch vụ ký số từ chối thông tin đăng nhập của ứng dụng (clientId/clientSecret).', 'The signing service refused the client credentials (clientId/clientSecret).', CHECK_CONN_VI, CHECK_CONN_EN),
  RSIGN_UNAUTHORIZED: entry('Dịch vụ ký số từ chối mã truy cập hai lần liên tiếp.', 'The signing service refused the access token twice in a row.', CHECK_CONN_VI, CHECK_CONN_EN),
  RSIGN_FORBIDDEN: entry('Tài khoản ứng dụng của đơn vị không được yêu cầu chữ ký của người này.', "The unit's service account may not ask this person for signatures.", 'Đề nghị nhà cung cấp gắn người ký vào tài khoản của đơn vị.', "Ask the provider to attach the signer to the unit's account."),
  // one call
  RSIGN_RATE_LIMITED: entry('Dịch vụ ký số đang giới hạn số yêu cầu (429).', 'The signing service is rate limiting (429).', LATER_VI, LATER_EN),
  RSIGN_UNAVAILABLE: entry('Dịch vụ ký số gặp lỗi tạm thời (5xx).', 'The signing service failed for now (5xx).', LATER_VI, LATER_EN),
  RSIGN_TIMEOUT: entry('Dịch vụ ký số không trả lời kịp.', 'The signing service did not answer in time.', LATER_VI, LATER_EN),
  RSIGN_NETWORK: entry('Không kết nối được tới dịch vụ ký số (mạng, kết nối bị ngắt).', 'No answer from the signing service (network, connection reset).', LATER_VI, LATER_EN),
  RSIGN_ABORTED: entry('Việc chờ dịch vụ ký số đã bị huỷ (dừng lượt chạy).', 'Waiting for the signing service was cancelled (the run stopped).'),
  RSIGN_ANSWER_TOO_LARGE: entry('Câu trả lời của dịch vụ ký số lớn bất thường nên bị từ chối.', "The signing service's answer was abnormally large and was refused.", LATER_VI, LATER_EN),
  RSIGN_NOT_FOUND: entry('Dịch vụ ký số không biết chứng thư hoặc giao dịch được nêu (404).', 'The signing service does not know the named credential or transaction (404).', 'Kiểm tra người ký còn chứng thư tại nhà cung cấp; yêu cầu ký lại.', 'Check the signer still has a credential with the provider; ask for the signature again.'),
  RSIGN_BAD_REQUEST: entry('Dịch vụ ký số từ chối yêu cầu (400); lý do nằm trong thông báo.', 'The signing service refused the request (400); the reason is in the message.', REPORT_BUG_VI, REPORT_BUG_EN),
  RSIGN_REFUSED: entry('Dịch vụ ký số từ chối yêu cầu với một mã trạng thái khác.', 'The signing service refused the request with another status.', REPORT_BUG_VI, REPORT_BUG_EN),
  RSIGN_BAD_ANSWER: entry('Câu trả lời của dịch vụ ký số không đúng hợp đồng giao tiếp.', "The signing service's answer does not follow the contract.", REPORT_BUG_VI, REPORT_BUG_EN),
  RSIGN_HASH_COUNT: entry('Một yêu cầu ký phải có từ 1 đến 500 giá trị băm.', 'One signing request takes 1 to 500 hashes.', REPORT_BUG_VI, REPORT_BUG_EN),
  RSIGN_BAD_HASH: entry('Giá trị băm gửi đi ký không phải SHA-256 (32 byte).', 'A hash sent for signing is not a SHA-256 digest (32 bytes).', REPORT_BUG_VI, REPORT_BUG_EN),
  RSIGN_BAD_REQUEST_ARGUMENT: entry('Yêu cầu ký thiếu mô tả hoặc mã yêu cầu không hợp lệ.', 'A signing request lacks its description or has an invalid request id.', REPORT_BUG_VI, REPORT_BUG_EN),

  // the signer's certificate and signatures
  SIGNER_CERT_UNREADABLE: entry('Không đọc được chứng thư số của người ký (chỉ hỗ trợ RSA).', "The signer's certificate cannot be read (RSA only).", NEW_CERT_VI, NEW_CERT_EN),
  SIGNER_CERT_NOT_YET_VALID: entry('Chứng thư số của người ký chưa có hiệu lực tại thời điểm ký.', "The signer's certificate is not yet valid at signing time.", 'Kiểm tra đồng hồ máy chủ, hoặc chờ tới ngày chứng thư có hiệu lực.', "Check the server clock, or wait until the certificate's start date."),
  SIGNER_CERT_EXPIRED: entry('Chứng thư số của người ký đã hết hạn tại thời điểm ký.', "The signer's certificate has expired at signing time.", NEW_CERT_VI, NEW_CERT_EN),
  SIGNER_CERT_KEY_USAGE: entry('Chứng thư số của người ký không được phép dùng để ký (key usage).', "The signer's certificate may not be used for signing (key usage).", NEW_CERT_VI, NEW_CERT_EN),
  SIGNER_CERT_UNTRUSTED: entry('Chứng thư số của người ký không do CA tin cậy cấp.', "The signer's certificate does not chain to a trusted CA.", 'Thêm CA của nhà cung cấp vào trust.caFiles nếu nhà cung cấp đáng tin cậy.', "Add the provider's CA to trust.caFiles if the provider is to be trusted."),
  SIGNER_CERT_REVOKED: entry('Dịch vụ ký số cho biết chứng thư số của người ký đã bị thu hồi.', "The signing service says the signer's certificate is revoked.", NEW_CERT_VI, NEW_CERT_EN),
  SIGNER_KEY_DISABLED: entry('Dịch vụ ký số cho biết khoá ký của người ký đang bị khoá.', "The signing service says the signer's key is disabled.", 'Người ký liên hệ nhà cung cấp để mở lại khoá; sau đó yêu cầu ký lại.', 'The signer asks the provider to enable the key again; then ask for the signature again.'),
  SIGNER_CERT_NO_PERSONAL_ID: entry('Chứng thư số của người ký không ghi số định danh (CCCD:<12 số>).', "The signer's certificate carries no personal id (CCCD:<12 digits>).", NEW_CERT_VI, NEW_CERT_EN),
  SIGNER_CERT_PERSON_MISMATCH: entry(
    'Chứng thư số thuộc về người khác với người ký ghi trong dữ liệu.',
    'The certificate belongs to someone other than the signer the data names.',
    'Kiểm tra số định danh người ký trong dữ liệu nguồn và tài khoản của người ký tại nhà cung cấp.',
    "Check the signer's personal id in the source data and the signer's account with the provider.",
  ),
  SIGNATURE_COUNT_MISMATCH: entry('Dịch vụ ký số trả về số chữ ký khác số giá trị băm đã gửi.', 'The signing service returned a different number of signatures than hashes sent.', REPORT_BUG_VI, REPORT_BUG_EN),
  SIGNATURE_VALUE_INVALID: entry('Một chữ ký trả về không khớp giá trị băm hoặc chứng thư của người ký.', "A returned signature does not match its hash or the signer's certificate.", REPORT_BUG_VI, REPORT_BUG_EN),
};

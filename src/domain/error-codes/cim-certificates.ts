/** Codes of the CIM certificate service, its verify page and its kiosk tokens (docs/cim.md). */
import { type CodeExplanation, entry } from './types.js';

const ASK_AGAIN_VI = 'Ki-ốt gửi lại cùng yêu cầu (cùng requestId) sau ít phút: không bị thu phí hai lần.';
const ASK_AGAIN_EN = 'The kiosk sends the same request (same requestId) again in a few minutes: the fee is not charged twice.';

export const CIM_CERTIFICATE_CODES: Readonly<Record<string, CodeExplanation>> = {
  CIM_NOT_CONFIGURED: entry(
    'Dịch vụ cấp giấy chứng nhận chưa được cấu hình (thiếu khối certificates: trong tệp cấu hình).',
    'The certificate service is not configured (no certificates: block in the configuration).',
    'Thêm khối certificates: theo docs/cim.md rồi khởi động lại lienthong start.',
    'Add the certificates: block as docs/cim.md shows and restart lienthong start.',
  ),
  CIM_SEAL_MISSING: entry('Không đọc được tệp chứng thư số (PKCS#12) của trường để ký giấy chứng nhận.', "The university's certificate (PKCS#12) that signs the certificates cannot be read.", 'Kiểm tra đường dẫn certificates.seal.p12.', 'Check the path certificates.seal.p12.'),
  CIM_SOURCE_UNSUITABLE: entry('Kết nối nguồn của dịch vụ cấp giấy không đọc được theo mã sinh viên.', 'The source connection of the certificate service cannot read one student by id.', 'Dùng một kết nối kiểu sql cho certificates.uis.connection.', 'Use a sql connection for certificates.uis.connection.'),
  CIM_KIOSK_UNAUTHENTICATED: entry('Ki-ốt không gửi mã truy cập hoặc mã không đúng.', 'The kiosk sent no token, or a token that is not valid.', 'Tạo mã mới bằng lienthong kiosks token KIOSK và cài vào ki-ốt.', 'Make a new token with lienthong kiosks token KIOSK and install it on the kiosk.'),
  CIM_KIOSK_MISMATCH: entry('Mã truy cập thuộc về một ki-ốt khác với ki-ốt ghi trong yêu cầu.', 'The token belongs to another kiosk than the one the request names.'),
  CIM_KIOSK_ID_INVALID: entry('Mã ki-ốt chỉ gồm chữ, số và . _ - (tối đa 64 ký tự).', 'A kiosk id is letters, digits and . _ - (at most 64).'),
  CIM_TEMPLATE_NOT_FOUND: entry('Không có mẫu giấy chứng nhận đang dùng với mã này.', 'No active certificate template has this code.', 'Kiểm tra danh mục mẫu (config/templates/) và mã ki-ốt gửi.', 'Check the template registry (config/templates/) and the code the kiosk sent.'),
  CIM_LANGUAGE_UNSUPPORTED: entry('Mẫu giấy này không cấp bằng ngôn ngữ được yêu cầu.', 'This template is not issued in the language asked for.'),
  CIM_STUDENT_NOT_FOUND: entry('Hệ thống quản lý đào tạo không có sinh viên với mã này.', 'The student information system has no student with this id.'),
  CIM_STUDENT_DATA_INVALID: entry(
    'Dữ liệu sinh viên đọc từ hệ thống quản lý đào tạo sai quy định (thiếu cột, ngày hoặc điểm không hợp lệ).',
    'The student data read from the student information system breaks a rule (a column missing, a bad date or score).',
    'Sửa dữ liệu (hoặc câu SELECT trong certificates.uis) theo trường được nêu.',
    'Correct the data (or the SELECT of certificates.uis) at the named field.',
  ),
  CIM_REQUEST_CONFLICT: entry(
    'Mã yêu cầu (requestId) này đã được dùng cho một yêu cầu khác.',
    'This requestId was already used for another request.',
    'Mỗi yêu cầu mới cần requestId mới; gửi lại đúng yêu cầu cũ thì nhận lại đúng giấy cũ.',
    'A new request needs a new requestId; the same request again gets the same certificate.',
  ),
  CIM_REQUEST_IN_PROGRESS: entry('Giấy chứng nhận của yêu cầu này đang được tạo.', 'The certificate of this request is still being made.', ASK_AGAIN_VI, ASK_AGAIN_EN),
  CIM_UIS_UNAVAILABLE: entry(
    'Không kết nối được hệ thống quản lý đào tạo và chưa có dữ liệu lưu trước đó của sinh viên này.',
    'The student information system cannot be reached and no earlier data of this student is kept.',
    ASK_AGAIN_VI,
    ASK_AGAIN_EN,
  ),
  CIM_CODE_NOT_FOUND: entry('Không có giấy chứng nhận nào mang mã xác thực này.', 'No certificate has this verification code.', 'Đối chiếu lại mã in trên giấy; giấy không có trong sổ cấp có thể là giả.', 'Check the code printed on the paper again; a certificate not in the register may be forged.'),
  RECORD_NOT_ISSUED: entry(
    'Không có văn bằng hay học bạ nào mang mã này đã được Trục dữ liệu Bộ GD&ĐT tiếp nhận.',
    'No diploma or school record with this id was accepted by the ministry data hub.',
    'Đối chiếu lại mã (từ VNeID); bản ghi đang chờ gửi hoặc bị Trục từ chối chưa được coi là đã cấp.',
    'Check the id (from VNeID) again; a record still waiting to be sent or refused by the hub is not issued.',
  ),
  CIM_VERIFY_RATE_LIMITED: entry('Tra cứu quá nhiều lần từ cùng một địa chỉ.', 'Too many look-ups from this address.', 'Chờ một phút rồi tra cứu lại.', 'Wait a minute and look up again.'),
  CIM_CERTIFICATE_NOT_FOUND: entry('Không có giấy chứng nhận với số này.', 'No certificate has this number.'),
  CIM_CERTIFICATE_REVOKED: entry('Giấy chứng nhận này đã bị thu hồi trước đó.', 'This certificate was revoked already.'),
  CIM_REVOKE_REASON: entry('Thu hồi giấy chứng nhận cần ghi lý do.', 'Revoking a certificate needs a reason.'),
  CIM_REPORT_MONTH: entry('Tháng của báo cáo phải có dạng YYYY-MM.', 'The month of the report is YYYY-MM.'),
};

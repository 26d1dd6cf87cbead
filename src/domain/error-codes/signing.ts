/** Codes about signing school records and making their XML and PDF documents. */
import { type CodeExplanation, entry } from './types.js';

const REPORT_BUG_VI = 'Đây là lỗi của lienthong: báo cho người bảo trì kèm nhật ký.';
const REPORT_BUG_EN = 'A fault in lienthong: report it to the maintainers with the log.';
const CHECK_KEYS_VI = 'Kiểm tra thư mục khoá ký (keys) và mật khẩu của tệp PKCS#12.';
const CHECK_KEYS_EN = 'Check the signing key folder (keys) and the PKCS#12 passphrase.';
const POPPLER_VI = 'Cài gói poppler-utils (Debian/Ubuntu) trên máy chủ.';
const POPPLER_EN = 'Install poppler-utils (Debian/Ubuntu) on the server.';

export const SIGNING_CODES: Readonly<Record<string, CodeExplanation>> = {
  // keys and trust
  SIGNING_KEY_MISSING: entry(
    'Thiếu khoá ký số (khoá của trường hoặc của người ký): không ký được học bạ nào.',
    'A signing key (the school seal or a signer) is missing: no school record can be signed.',
    'Đặt tệp PKCS#12 vào thư mục khoá theo hướng dẫn rồi chạy lại; học bạ chưa ký sẽ được ký ở lần chạy sau.',
    'Put the PKCS#12 file in the key folder as documented and run again; unsigned records are signed by the next run.',
  ),
  SIGNING_KEY_PASSWORD: entry('Mật khẩu khoá (transform.keyPassword) không mở được khoá ký trong thư mục khoá.', 'The key password (transform.keyPassword) does not open the signing key in the key folder.', 'Đặt đúng mật khẩu (biến môi trường hoặc tệp bí mật) rồi chạy lại.', 'Set the right password (environment variable or secret file) and run again.'),
  SIGNING_KEY_INVALID: entry('Khoá ký trong thư mục khoá không dùng được (tệp hỏng, hết hạn hoặc sai loại).', 'A signing key in the key folder cannot be used (damaged, expired or of the wrong kind).', CHECK_KEYS_VI, CHECK_KEYS_EN),
  SIGNING_KEY_ID_INVALID: entry('Số định danh của người ký không phải 12 chữ số nên không tìm được khoá.', "The signer's personal id is not 12 digits, so no key can be found.", 'Sửa số định danh người ký ở nguồn.', "Correct the signer's personal id at the source."),
  SIGNER_ID_MISSING: entry('Thiếu số định danh của người ký nên không có ai ký.', "The signer's personal id is missing: no one to sign.", 'Bổ sung số định danh người ký ở nguồn.', "Add the signer's personal id at the source."),
  P12_UNREADABLE: entry('Không đọc được tệp khoá PKCS#12.', 'The PKCS#12 key file cannot be read.', CHECK_KEYS_VI, CHECK_KEYS_EN),
  P12_INVALID: entry('Không mở được tệp PKCS#12: sai mật khẩu hoặc không phải tệp PKCS#12.', 'Cannot open the PKCS#12 file: wrong passphrase or not a PKCS#12 file.', CHECK_KEYS_VI, CHECK_KEYS_EN),
  P12_KEY: entry('Tệp PKCS#12 phải chứa đúng một khoá riêng.', 'The PKCS#12 file must hold exactly one private key.', CHECK_KEYS_VI, CHECK_KEYS_EN),
  P12_CERT: entry('Tệp PKCS#12 không có chứng thư cho khoá riêng của nó.', 'The PKCS#12 file holds no certificate for its private key.', CHECK_KEYS_VI, CHECK_KEYS_EN),
  SIGN_ALGORITHM: entry('Thuật toán chữ ký không được hỗ trợ (chỉ RSA-SHA256).', 'Unsupported signature algorithm (RSA-SHA256 only).'),
  NO_TRUSTED_CA: entry('Chưa có chứng thư CA tin cậy nào để kiểm tra chữ ký.', 'No trusted CA certificate to check signatures with.', 'Chỉ tệp CA bằng --ca hoặc trust.caFiles trong cấu hình.', 'Give a CA file with --ca or trust.caFiles in the configuration.'),
  TRUSTED_CA_UNREADABLE: entry('Không đọc được tệp CA tin cậy trong trust.caFiles.', 'A trusted CA file in trust.caFiles cannot be read.', 'Kiểm tra đường dẫn và quyền đọc.', 'Check the path and read permission.'),
  TRUSTED_CA_EMPTY: entry('Tệp CA tin cậy (--ca hoặc trust.caFiles) không chứa chứng thư PEM nào.', 'A trusted CA file (--ca or trust.caFiles) holds no PEM certificate.', 'Dùng tệp PEM có dòng -----BEGIN CERTIFICATE-----.', 'Use a PEM file with -----BEGIN CERTIFICATE----- lines.'),
  HOCBA_SIGN_NO_TRUST: entry('Ký học bạ cần ít nhất một chứng thư CA tin cậy.', 'Signing school records needs at least one trusted CA certificate.', 'Khai báo trust.caFiles trong cấu hình.', 'Set trust.caFiles in the configuration.'),
  HOCBA_SIGN_POOL: entry('Bộ ký học bạ cần các tệp khoá PKCS#12.', 'The school record signer needs PKCS#12 key files.', CHECK_KEYS_VI, CHECK_KEYS_EN),
  HOCBA_SIGN_PDF_KEY: entry('Tạo bản PDF cần tệp PKCS#12 của trường.', "Making the PDF needs the school's PKCS#12 file.", CHECK_KEYS_VI, CHECK_KEYS_EN),
  DEMO_PKI_CA_KEY_MISSING: entry('Thiếu khoá CA của bộ khoá thử (demo) nên không cấp được khoá mới.', 'The demo CA key is missing, so no new keys can be issued.', 'Xoá thư mục khoá thử để lienthong tạo lại.', 'Delete the demo key folder so that lienthong makes it again.'),
  DEMO_PKI_PERSON_ID: entry('Số định danh của người ký thử phải có 12 chữ số.', "A demo signer's personal id must be 12 digits."),

  // signing a record
  SIGNING_FAILED: entry('Ký số học bạ thất bại.', 'Signing the school record failed.', 'Xem thông báo đi kèm; sửa khoá hoặc dữ liệu rồi chạy lại, bản ghi sẽ được ký lại.', 'See the message; fix the key or the data and run again: the record is signed again.'),
  SIGNATURE_UNVERIFIED: entry('Tài liệu vừa ký không xác minh được (chứng thư không tin cậy hoặc chữ ký hỏng).', 'The document just signed does not verify (untrusted certificate or broken signature).', 'Kiểm tra chuỗi chứng thư của khoá ký và trust.caFiles.', "Check the signing key's certificate chain and trust.caFiles."),
  HOCBA_SIGNER_MISSING: entry('Không có người ký cho giáo viên của một môn học.', "No signer for a subject's teacher.", CHECK_KEYS_VI, CHECK_KEYS_EN),
  HOCBA_SIGNING_ORDER: entry('Thứ tự ký không đúng (giáo viên bộ môn → GVCN → hiệu trưởng → dấu).', 'The signing order is wrong (subject teachers → homeroom teacher → principal → seal).'),
  HOCBA_SIGNING_TIME_ORDER: entry('Thời điểm ký sai thứ tự (giáo viên bộ môn ≤ GVCN ≤ hiệu trưởng ≤ dấu).', 'A signing time is out of order (subject teachers ≤ homeroom teacher ≤ principal ≤ seal).', 'Yêu cầu ký lại với thời điểm ký hiện tại.', 'Ask for the signature again with the current time.'),
  HOCBA_SIGNER_MISMATCH: entry('Chứng thư ký không thuộc người mà học bạ ghi cho vai trò này.', 'The signing certificate does not belong to the person the record names for this role.', 'Kiểm tra số định danh của người ký trong dữ liệu và chứng thư của họ.', "Check the signer's personal id in the data and their certificate."),
  HOCBA_SIGNATURE_VALUE_INVALID: entry('Giá trị chữ ký nhận về không khớp với chứng thư của người ký hoặc với tài liệu đã chuẩn bị.', "A returned signature value does not verify with the signer's certificate or the prepared document.", 'Chữ ký không được ghi vào tài liệu; yêu cầu người ký ký lại.', 'The value is not written into the document; ask the signer again.'),
  HOCBA_SIGNATURE_NOT_PREPARED: entry('Tài liệu không có chữ ký đang chờ giá trị với mã này.', 'The document has no signature with this id waiting for its value.', REPORT_BUG_VI, REPORT_BUG_EN),
  HOCBA_SIGNATURE_COUNT: entry('Số giá trị chữ ký nhận về khác số chữ ký đã chuẩn bị.', 'The number of returned signature values differs from the number of prepared signatures.', REPORT_BUG_VI, REPORT_BUG_EN),
  HOCBA_CARRY_OVER: entry('Không chép được các chữ ký còn hiệu lực sang tài liệu mới.', 'The signatures that still stand could not be copied into the new document.', REPORT_BUG_VI, REPORT_BUG_EN),
  PHIENBAN_INVALID: entry('Phiên bản của học bạ cần ký không phải số nguyên từ 1 đến 99999.', 'The version of the record to sign is not a whole number from 1 to 99999.', REPORT_BUG_VI, REPORT_BUG_EN),
  SIGNING_WORKER_FAILED: entry('Luồng ký số dừng khi đang ký bản ghi này; bản ghi sẽ được ký lại.', 'The signing thread stopped while signing this record; it will be signed again.'),
  SIGN_POOL_CLOSED: entry('Bộ ký đã đóng khi bản ghi đang được ký (lần chạy dừng).', 'The signing pool closed while this record was being signed (the run stopped).'),

  // the XML document
  HOCBA_STRUCTURE: entry('Tài liệu học bạ thiếu phần dữ liệu chính.', 'The school record document lacks its data part.', REPORT_BUG_VI, REPORT_BUG_EN),
  HOCBA_BUILD: entry('Không tạo được tài liệu học bạ.', 'The school record document could not be built.', REPORT_BUG_VI, REPORT_BUG_EN),
  HOCBA_SCHEMA: entry('Tài liệu học bạ không đúng lược đồ XSD.', 'The school record document does not match the XSD.'),
  HOCBA_NO_SUBJECT: entry('Học bạ không có môn học nào.', 'The school record has no subject.'),
  HOCBA_DUPLICATE_SUBJECT: entry('Một môn học xuất hiện hai lần.', 'A subject appears twice.'),
  HOCBA_DUPLICATE_ID: entry('Một mã Id được dùng hai lần trong tài liệu.', 'An Id is used twice in the document.', REPORT_BUG_VI, REPORT_BUG_EN),
  HOCBA_FIELD_REQUIRED: entry('Thiếu trường bắt buộc của tài liệu học bạ.', 'A required field of the school record document is missing.'),
  HOCBA_FIELD_TYPE: entry('Trường của tài liệu học bạ sai kiểu (cần danh sách).', 'A school record field has the wrong type (a list is expected).'),
  HOCBA_UNKNOWN_FIELD: entry('Trường không thuộc tài liệu học bạ.', 'A field that is not part of the school record document.'),
  XML_MALFORMED: entry('Tài liệu XML không đúng cú pháp.', 'The XML document is malformed.'),
  XML_DOCTYPE_FORBIDDEN: entry('Tài liệu XML có DOCTYPE, điều không được phép (chống tấn công XML).', 'The XML document has a DOCTYPE, which is not allowed (XML attack protection).'),
  DOCUMENT_NAME_INVALID: entry('Mã bản ghi không dùng được làm tên tệp.', 'The record id cannot be used as a file name.'),
  DOCUMENT_WRITE_FAILED: entry('Không ghi được tài liệu vào thư mục tài liệu.', 'The documents could not be written to the documents folder.', 'Kiểm tra dung lượng ổ đĩa và quyền ghi.', 'Check free disk space and write permission.'),

  // the PDF
  PDF_MISSING: entry('Bản PDF đã đóng dấu không được tạo.', 'The sealed PDF was not made.'),
  PDF_BAD_DATE: entry('Một ngày trong bản PDF không có dạng YYYY-MM-DD.', 'A date for the PDF is not YYYY-MM-DD.'),
  PDF_UNKNOWN_LEVEL: entry('Mức đánh giá trong bản PDF không phải T, K, Đ, CĐ.', 'A level for the PDF is not T, K, Đ or CĐ.'),
  PDF_FONT_MISSING: entry('Thiếu phông chữ DejaVu để in chữ Việt trong PDF.', 'The DejaVu fonts for Vietnamese text in the PDF are missing.', 'Cài lại lienthong (npm install) để có gói dejavu-fonts-ttf.', 'Reinstall lienthong (npm install) to get dejavu-fonts-ttf.'),
  PDF_SIGNING_KEY: entry('Không mở được tệp PKCS#12 để ký PDF.', 'The PKCS#12 file for signing the PDF cannot be opened.', CHECK_KEYS_VI, CHECK_KEYS_EN),
  PDF_UNREADABLE: entry('Không đọc được tệp PDF cần ký.', 'The PDF to sign cannot be read.'),
  PDF_ALREADY_SIGNED: entry('Tệp PDF đã có chữ ký; lưu lại sẽ làm hỏng chữ ký đó.', 'The PDF already holds a signature; saving it again would break it.'),
  PDF_SIGNING_FAILED: entry('Ký tệp PDF thất bại.', 'Signing the PDF failed.', REPORT_BUG_VI, REPORT_BUG_EN),
  PDF_NO_BYTE_RANGE: entry('PDF đã ký không có /ByteRange.', 'The signed PDF has no /ByteRange.', REPORT_BUG_VI, REPORT_BUG_EN),
  PDF_PARTIAL_SIGNATURE: entry('Chữ ký không phủ toàn bộ tệp PDF.', 'The signature does not cover the whole PDF.', REPORT_BUG_VI, REPORT_BUG_EN),
  POPPLER_MISSING: entry('Thiếu công cụ poppler để kiểm tra PDF.', 'The poppler tools for checking PDFs are missing.', POPPLER_VI, POPPLER_EN),
  PDFSIG_MISSING: entry('Kiểm tra chữ ký PDF cần công cụ pdfsig.', 'Verifying a PDF needs pdfsig.', POPPLER_VI, POPPLER_EN),
  PDFTOTEXT_FAILED: entry('Công cụ pdftotext báo lỗi.', 'pdftotext failed.'),
  NSS_DB_FAILED: entry('Không tạo được kho chứng thư tạm (certutil) để kiểm tra PDF.', 'The temporary certificate store (certutil) for checking PDFs could not be made.', 'Cài gói libnss3-tools trên máy chủ.', 'Install libnss3-tools on the server.'),
};

/** Codes about signing school records and making their XML and PDF documents. */
import { type CodeExplanation, entry } from './types.js';

const REPORT_BUG_VI = 'Đây là lỗi của lienthong: báo cho người bảo trì kèm nhật ký.';
const REPORT_BUG_EN = 'A fault in lienthong: report it to the maintainers with the log.';
const CHECK_KEYS_VI = 'Kiểm tra thư mục khoá ký (keys) và mật khẩu của tệp PKCS#12.';
const CHECK_KEYS_EN = 'Check the signing key folder (keys) and the PKCS#12 passphrase.';
const TOKEN_DRIVER_VI = 'Kiểm tra token đã cắm, đường dẫn thư viện PKCS#11 của nhà cung cấp token, rồi chạy lại.';
const TOKEN_DRIVER_EN = "Check that the token is plugged in and the path of the token vendor's PKCS#11 library, then run again.";
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
  // the school's seal on a PKCS#11 token (transform.seal.pkcs11)
  PKCS11_BINDING_MISSING: entry('Thiếu thư viện PKCS#11 của lienthong (pkcs11js chưa được biên dịch).', "lienthong's PKCS#11 binding (pkcs11js) is not installed or not compiled.", 'Cài lại lienthong (npm install) trên máy có trình biên dịch C++ (build-essential, python3).', 'Reinstall lienthong (npm install) on a machine with a C++ compiler (build-essential, python3).'),
  PKCS11_MODULE: entry('Không nạp được thư viện PKCS#11 của token (seal.pkcs11.module).', "The token's PKCS#11 library (seal.pkcs11.module) cannot be loaded.", TOKEN_DRIVER_VI, TOKEN_DRIVER_EN),
  PKCS11_TOKEN_NOT_FOUND: entry('Không thấy token có nhãn (hoặc khe) đã khai báo: token chưa cắm hoặc sai nhãn.', 'No token with the configured label (or slot): the token is not plugged in or the label is wrong.', 'Cắm token, kiểm tra nhãn (seal.pkcs11.tokenLabel) theo danh sách token trong thông báo.', 'Plug the token in and check its label (seal.pkcs11.tokenLabel) against the tokens the message lists.'),
  PKCS11_TOKEN_AMBIGUOUS: entry('Nhiều token cùng nhãn: không biết dùng token nào.', 'Several tokens share the label: which one to use is unclear.', 'Khai báo thêm seal.pkcs11.slotId.', 'Set seal.pkcs11.slotId as well.'),
  PKCS11_SESSION: entry('Không mở được phiên làm việc với token.', 'A session with the token cannot be opened.', TOKEN_DRIVER_VI, TOKEN_DRIVER_EN),
  PKCS11_PIN_INCORRECT: entry('Mã PIN không mở được token con dấu của trường.', "The PIN does not open the school's seal token.", 'Đặt đúng mã PIN (biến môi trường hoặc tệp bí mật của seal.pkcs11.pin) rồi chạy lại; nhập sai nhiều lần sẽ khoá token.', 'Set the right PIN (the environment variable or secret file of seal.pkcs11.pin) and run again; too many wrong PINs lock the token.'),
  PKCS11_PIN_LOCKED: entry('Mã PIN của token đã bị khoá do nhập sai nhiều lần.', "The token's PIN is locked after too many wrong PINs.", 'Người quản trị token (SO) phải mở khoá PIN; sau đó sửa mã PIN trong cấu hình.', "The token's security officer must unlock the PIN; then correct the PIN in the configuration."),
  PKCS11_LOGIN_FAILED: entry('Không đăng nhập được vào token.', 'Logging in to the token failed.', TOKEN_DRIVER_VI, TOKEN_DRIVER_EN),
  PKCS11_KEY_NOT_FOUND: entry('Token không có khoá riêng RSA với nhãn/mã đã khai báo.', 'The token holds no RSA private key with the configured label/id.', 'Kiểm tra seal.pkcs11.keyLabel / keyId.', 'Check seal.pkcs11.keyLabel / keyId.'),
  PKCS11_KEY_AMBIGUOUS: entry('Token có nhiều khoá riêng cùng nhãn.', 'The token holds several private keys with that label.', 'Khai báo thêm seal.pkcs11.keyId.', 'Set seal.pkcs11.keyId as well.'),
  PKCS11_CERT_FILE: entry('Không đọc được tệp chứng thư (seal.pkcs11.certificateFile) hoặc tệp không có chứng thư PEM.', 'The certificate file (seal.pkcs11.certificateFile) cannot be read or holds no PEM certificate.', 'Kiểm tra đường dẫn và nội dung tệp PEM.', 'Check the path and the PEM content.'),
  PKCS11_CERT_NOT_FOUND: entry('Không có chứng thư cho khoá con dấu, trên token cũng như trong tệp chứng thư.', 'No certificate for the seal key, on the token or in the certificate file.', 'Nạp chứng thư lên token hoặc đặt nó vào seal.pkcs11.certificateFile.', 'Store the certificate on the token or put it in seal.pkcs11.certificateFile.'),
  PKCS11_SIGN_FAILED: entry('Token từ chối ký (token bị rút ra hoặc khoá không được phép ký).', 'The token refused to sign (pulled out, or the key may not sign).', TOKEN_DRIVER_VI, TOKEN_DRIVER_EN),
  PKCS11_SIGNER_CLOSED: entry('Bộ ký PKCS#11 được dùng sau khi đã đóng.', 'The PKCS#11 signer was used after it was closed.', REPORT_BUG_VI, REPORT_BUG_EN),
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

  // school records signed in the vendor's software (signed-hocba-folder → hocba-verify)
  SIGNED_FOLDER_UNREADABLE: entry('Không đọc được thư mục học bạ đã ký (path của nguồn signed-hocba-folder).', 'The folder of signed school records (the signed-hocba-folder source path) cannot be read.', 'Kiểm tra đường dẫn và quyền đọc thư mục.', 'Check the path and the read permission of the folder.'),
  SIGNED_FOLDER_UNKNOWN_STREAM: entry('Nguồn signed-hocba-folder không có luồng (stream) mang tên này.', 'The signed-hocba-folder source has no stream of this name.', REPORT_BUG_VI, REPORT_BUG_EN),
  SIGNED_FILE_NOT_UTF8: entry('Tệp học bạ đã ký không phải văn bản UTF-8.', 'The signed school record file is not UTF-8 text.', 'Xuất lại tệp từ phần mềm của nhà cung cấp (UTF-8); lần chạy sau sẽ đọc lại.', "Export the file again from the vendor's software (UTF-8); the next run reads it again."),
  SIGNED_FILE_NOT_HOCBA: entry('Tệp trong thư mục không phải tài liệu học bạ đọc được (sai cú pháp XML hoặc sai cấu trúc).', 'A file of the folder is not a readable school record document (malformed XML or the wrong structure).', 'Xuất lại tệp từ phần mềm của nhà cung cấp, hoặc bỏ tệp không phải học bạ khỏi thư mục.', "Export the file again from the vendor's software, or remove what is not a school record from the folder."),
  SIGNED_UNIT_MISMATCH: entry('Học bạ đã ký thuộc trường khác (matruong) với mã đơn vị của tác vụ.', "The signed school record is of another school (matruong) than the job's unit code.", 'Kiểm tra tệp có đúng của trường mình không, và unitCode của tác vụ.', "Check that the file is your school's, and the job's unitCode."),
  SIGNED_FILE_TIME: entry('Không biết thời điểm tệp học bạ đến thư mục.', 'The time the school record file arrived is unknown.', REPORT_BUG_VI, REPORT_BUG_EN),
  SIGNED_DOCUMENT_NOT_READ: entry('Tệp học bạ đã ký của bản ghi không được nguồn signed-hocba-folder đọc trong lần chạy này (hocba-verify chỉ dùng với nguồn đó).', 'The signed file of the record was not read by a signed-hocba-folder source in this run (hocba-verify works only with that source).', 'Dùng transform hocba-verify cùng nguồn signed-hocba-folder; bản ghi được đọc lại ở lần chạy sau.', 'Use the hocba-verify transform with a signed-hocba-folder source; the record is read again by the next run.'),
  SIGNED_FILE_CHANGED: entry('Tệp học bạ đã ký thay đổi (hoặc bị chuyển đi) sau khi được đọc; không gửi bản đã đổi mà chưa kiểm tra.', 'The signed school record file changed (or was moved) after it was read; a changed file is not sent unchecked.', 'Không cần làm gì: lần chạy sau đọc lại tệp.', 'Nothing to do: the next run reads the file again.'),
  SIGNED_DOCUMENT_INVALID: entry('Học bạ đã ký không xác minh được: thiếu chữ ký bắt buộc, sai bố cục hoặc cấu trúc không an toàn.', 'The signed school record does not verify: a required signature is missing, the layout is wrong or the structure is unsafe.', 'Ký lại học bạ trong phần mềm của nhà cung cấp rồi đặt tệp mới vào thư mục.', "Sign the record again in the vendor's software and put the new file in the folder."),
  DOCUMENT_VERSION_MISMATCH: entry('Phiên bản ghi trong học bạ đã ký (phienbanthongtinhocba) khác phiên bản mà thay đổi này được gửi lên Trục.', 'The version written in the signed school record (phienbanthongtinhocba) is not the version this change goes to the hub at.', 'Ký lại học bạ trong phần mềm của nhà cung cấp với phiên bản được nêu trong thông báo.', "Sign the record again in the vendor's software with the version the message names."),

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
  // the remote signing workflow (docs/signing.md)
  AWAITING_SIGNATURE: entry(
    'Học bạ đang chờ người ký phê duyệt (giáo viên bộ môn, giáo viên chủ nhiệm hoặc hiệu trưởng, nêu theo vai trò và số định danh đã che): chưa gửi, không phải lỗi dữ liệu.',
    'The school record waits for its signers to approve (subject teacher, homeroom teacher or principal, named by role and masked id): not sent yet, not a data error.',
    'Nhắc người được nêu phê duyệt yêu cầu ký trên điện thoại; xem: lienthong signing status <job>. Lần chạy sau tự thu chữ ký và gửi học bạ.',
    'Ask the people named to approve the signing request on their phone; see: lienthong signing status <job>. The next run collects the signatures and sends the record.',
  ),
  SIGNING_RETURNED: entry(
    'Người ký đã trả lại học bạ kèm lý do: học bạ không được gửi và không được yêu cầu ký lại cho tới khi dữ liệu được sửa hoặc có yêu cầu ký lại.',
    'A signer returned the school record with a reason: it is not sent, and not asked again until the data is corrected or staff ask again.',
    'Sửa dữ liệu theo lý do ở nguồn (lần chạy sau chỉ hỏi lại những người ký bị ảnh hưởng), hoặc hỏi lại: lienthong signing retry <job> [--signer SỐ_ĐỊNH_DANH].',
    'Correct the data at the source as the reason says (the next run asks only the signers affected), or ask again: lienthong signing retry <job> [--signer ID].',
  ),
  SIGNER_NO_REMOTE_KEY: entry(
    'Dịch vụ ký số từ xa không có khoá ký nào cho người ký này (nêu theo số định danh đã che).',
    'The remote signing service holds no signing key for this signer (named by masked personal id).',
    'Người ký cần đăng ký chữ ký số từ xa với nhà cung cấp, hoặc sửa số định danh người ký ở nguồn.',
    "The signer must register for remote signing with the provider, or the signer's personal id must be corrected at the source.",
  ),
  SIGNING_REQUEST_NOT_FOUND: entry('Không có yêu cầu ký với mã này.', 'There is no signing request with this id.', 'Xem các yêu cầu: lienthong signing status <job>.', 'See the requests: lienthong signing status <job>.'),
  SIGNING_RECORD_NOT_IN_REQUEST: entry(
    'Yêu cầu ký này không có học bạ được nêu (đã trả lại, hoặc thuộc yêu cầu khác).',
    'This signing request does not carry the record named (already returned, or in another request).',
    'Xem các học bạ của yêu cầu trong trang duyệt ký, hoặc: lienthong signing status <job>.',
    "See the request's records on its review page, or: lienthong signing status <job>.",
  ),
  SIGNING_REQUEST_NOT_IN_REVIEW: entry(
    'Yêu cầu ký này không còn chờ duyệt (đã gửi, đã trả lại hoặc đã xong).',
    'This signing request no longer waits for review (sent, returned or done).',
    'Xem trạng thái: lienthong signing status <job>.',
    'See its state: lienthong signing status <job>.',
  ),
  SUBJECT_YEAR_RESULT_MISSING: entry('Học bạ chuẩn bị ký thiếu kết quả cả năm của một môn (điều hiệu trưởng thấy khi duyệt).', 'A record being signed has no year result for a subject (shown to the principal in review).', 'Kiểm tra và bổ sung điểm hoặc mức đánh giá cả năm ở nguồn, rồi trả lại yêu cầu ký với lý do.', 'Check and complete the year score or level at the source, and return the signing request with a reason.'),
  YEAR_RESULT_MISSING: entry('Học bạ chuẩn bị ký thiếu kết quả học tập cả năm (canam).', 'A record being signed has no year learning result (canam).', 'Bổ sung kết quả ở nguồn, rồi trả lại yêu cầu ký với lý do.', 'Complete the result at the source, and return the signing request with a reason.'),
  SIGNING_ITEM_TAKEN: entry('Một chữ ký đã nằm trong một yêu cầu ký khác: không gửi hai lần.', 'A signature is already in another signing request: it is not sent twice.', REPORT_BUG_VI, REPORT_BUG_EN),
  HOCBA_SIGN_REMOTE_NO_STORE: entry('Ký số từ xa cần lưu yêu cầu ký trong kho trạng thái, nhưng kho đang dùng không hỗ trợ.', 'Remote signing keeps its requests in the state store, and the configured store does not support it.', 'Dùng kho SQLite của lienthong (store.kind: sqlite).', "Use lienthong's SQLite store (store.kind: sqlite)."),
  SIGNING_NOT_REMOTE: entry('Công việc này không ký số từ xa nên không có yêu cầu ký để duyệt hay hỏi lại.', 'This job does not sign remotely, so it has no signing requests to review or ask again.', 'Đặt transform.signing.mode: remote cho công việc (docs/signing.md).', 'Set transform.signing.mode: remote on the job (docs/signing.md).'),
};

/**
 * Codes about a record's data: what the mappings find in a source row (held back, never sent)
 * and what the hub says about a field. The fix is almost always in the source system.
 */
import { type CodeExplanation, entry } from './types.js';

const FIX_SOURCE_VI = 'Sửa dữ liệu ở hệ thống nguồn; lần chạy sau sẽ tự đọc lại bản ghi.';
const FIX_SOURCE_EN = 'Correct the data in the source system; the next run reads the record again by itself.';

export const DATA_CODES: Readonly<Record<string, CodeExplanation>> = {
  // required fields, lengths, forms
  REQUIRED: entry('Thiếu trường bắt buộc theo từ điển dữ liệu quốc gia.', 'A field the national data dictionary requires is empty.', FIX_SOURCE_VI, FIX_SOURCE_EN),
  MAX_LENGTH: entry('Giá trị dài hơn độ dài cho phép của trường.', 'The value is longer than the field allows.'),
  TOO_LONG: entry('Giá trị dài hơn độ dài cho phép của trường.', 'The value is longer than the field allows.'),
  FORMAT_INVALID: entry('Giá trị không có dạng mà bản ghi yêu cầu.', 'The value does not have the form the record requires.'),
  INVALID_FORMAT: entry('Giá trị sai định dạng (ví dụ không phải base64 hay mã băm 64 ký tự hexa).', 'The value has the wrong format (e.g. not base64, or not a 64-character hex hash).'),
  INVALID_CODE: entry('Giá trị không có trong danh mục mã cho phép.', 'The value is not in the allowed code list.'),
  INVALID_INTEGER: entry('Cần một số nguyên hợp lệ.', 'A valid integer is expected.'),
  INVALID_RECORD: entry('Bản ghi không đúng cấu trúc mà trục yêu cầu.', 'The record does not have the structure the hub expects.'),
  NUMBER_INVALID: entry('Cần một số nguyên.', 'A whole number is expected.'),
  FLAG_INVALID: entry('Cần giá trị 0 hoặc 1.', 'The value must be 0 or 1.'),
  IDBANGHI_MISMATCH: entry('Mã bản ghi trong dữ liệu khác với mã bản ghi của phong bì gửi đi.', "The record id inside the data differs from the envelope's record id."),

  // text
  INVALID_TEXT_ENCODING: entry(
    'Văn bản ở nguồn không phải UTF-8 hợp lệ: có ký tự thay thế (�) hoặc ký tự bị cắt đôi, nên chữ gốc đã mất.',
    'The source text is not valid UTF-8: it holds a replacement character (�) or half a character, so the original letters are lost.',
    'Kiểm tra bảng mã của cột nguồn (ví dụ cột Latin-1 chứa chữ Việt) và sửa dữ liệu; nếu nguồn dùng bảng mã cũ (TCVN3, VNI), khai báo sourceEncoding.',
    'Check the encoding of the source column (e.g. a Latin-1 column holding Vietnamese) and fix the data; if the source uses a legacy encoding (TCVN3, VNI), declare sourceEncoding.',
  ),
  TEXT_MOJIBAKE: entry(
    'Văn bản có vẻ là chữ Việt mã hoá sai (ví dụ "NguyÔn" thay cho "Nguyễn").',
    'The text looks like wrongly decoded Vietnamese (e.g. "NguyÔn" for "Nguyễn").',
    'Khai báo bảng mã của nguồn (sourceEncoding: tcvn3, vni…) trong mapping.options.',
    "Declare the source's encoding (sourceEncoding: tcvn3, vni…) in mapping.options.",
  ),

  // dates and times
  INVALID_DATE: entry('Ngày không hợp lệ hoặc sai định dạng (cần YYYY-MM-DD).', 'The date is invalid or not in YYYY-MM-DD form.'),
  DATE_INVALID: entry('Ngày không có trên lịch (ví dụ 31/02).', 'The date does not exist in the calendar (e.g. 31 February).', FIX_SOURCE_VI, FIX_SOURCE_EN),
  DATE_FORMAT: entry(
    'Không đọc được định dạng ngày.',
    'The date format is not recognised.',
    'Dùng YYYY-MM-DD, DD/MM/YYYY, MM/YYYY hoặc YYYY ở nguồn (hoặc chuyển đổi trong câu SELECT).',
    'Use YYYY-MM-DD, DD/MM/YYYY, MM/YYYY or YYYY in the source (or convert it in the SELECT).',
  ),
  DATE_EMPTY: entry('Ngày bị bỏ trống.', 'The date is empty.'),
  DATE_RANGE: entry('Năm nằm ngoài khoảng hợp lý.', 'The year is outside the plausible range.'),
  DATE_PRECISION: entry('Cần ngày đầy đủ (ngày, tháng, năm), không chỉ tháng hoặc năm.', 'A full date (day, month and year) is required, not only a month or a year.'),
  YEAR_INVALID: entry('Không phải một năm hợp lệ.', 'Not a valid year.'),
  TIMESTAMP_INVALID: entry(
    'Thời điểm cập nhật ở nguồn bị trống hoặc không đọc được.',
    'The update time at the source is empty or cannot be read.',
    'Kiểm tra cột thời điểm cập nhật (updated_at) trong câu SELECT; giờ không kèm múi giờ được hiểu theo sourceTimeZone (mặc định Asia/Ho_Chi_Minh).',
    'Check the update-time column (updated_at) of the SELECT; times without an offset are read in sourceTimeZone (default Asia/Ho_Chi_Minh).',
  ),
  INVALID_TIMESTAMP: entry('Thời điểm không hợp lệ (cần YYYY-MM-DDTHH:mm:ss, giờ Việt Nam).', 'Invalid timestamp (YYYY-MM-DDTHH:mm:ss, Vietnam time, expected).'),
  DATES_OUT_OF_ORDER: entry(
    'Các ngày không theo thứ tự: ngày sinh phải trước ngày quyết định tốt nghiệp, ngày quyết định không được sau ngày cấp bằng.',
    'The dates are out of order: the birth date must come before the graduation decision, and the decision no later than the issue date.',
    'Đối chiếu ngày sinh, ngày quyết định và ngày cấp với hồ sơ gốc rồi sửa ở nguồn.',
    'Check the birth, decision and issue dates against the paper records and correct the source.',
  ),
  GRADUATION_YEAR_MISMATCH: entry(
    'Năm tốt nghiệp không khớp với năm của quyết định công nhận tốt nghiệp (hoặc năm trước đó), hoặc sau năm cấp bằng.',
    "The graduation year does not match the year of the graduation decision (or the year before), or comes after the issue year.",
    FIX_SOURCE_VI,
    FIX_SOURCE_EN,
  ),
  AGE_IMPLAUSIBLE: entry(
    'Tuổi của người học khi tốt nghiệp không hợp lý (mặc định dưới 15 hoặc trên 100 tuổi): thường do gõ sai năm sinh hoặc ngày quyết định.',
    "The holder's age at graduation is implausible (by default under 15 or over 100): usually a typo in the birth year or the decision date.",
    'Sửa ngày sinh ở nguồn; nếu đúng là trường hợp đặc biệt, đổi minGraduationAge / maxGraduationAge trong mapping.options.',
    'Correct the birth date in the source; if the case is genuine, change minGraduationAge / maxGraduationAge in mapping.options.',
  ),

  // personal codes
  UNKNOWN_ETHNICITY: entry('Mã dân tộc không có trong danh mục (01–54).', 'The ethnic group code is not in the code list (01–54).'),
  ETHNICITY_UNKNOWN: entry(
    'Dân tộc không thuộc 54 dân tộc trong danh mục (theo tên, cách viết khác hay mã 01–54).',
    'The ethnic group is not one of the 54 in the code list (by name, spelling variant or code 01–54).',
    FIX_SOURCE_VI,
    FIX_SOURCE_EN,
  ),
  GENDER_UNKNOWN: entry('Giới tính trống hoặc không nhận ra (cần Nam/Nữ, 1/2, hoặc 0 nếu không rõ).', 'The sex is empty or not recognised (Nam/Nữ, 1/2, or 0 for unknown expected).'),
  NATIONALITY_UNKNOWN: entry('Quốc tịch không có trong danh mục quốc gia.', 'The nationality is not in the country code list.'),

  // diplomas
  XEPLOAI_UNKNOWN: entry(
    'Xếp loại tốt nghiệp không thuộc danh sách (Xuất sắc, Giỏi, Khá, Trung bình khá, Trung bình, Yếu, Kém).',
    'The graduation classification is not one of Xuất sắc, Giỏi, Khá, Trung bình khá, Trung bình, Yếu, Kém.',
  ),
  STATUS_UNKNOWN: entry(
    'Giá trị trạng thái văn bằng ở nguồn không có trong bảng trạng thái, nên bản ghi bị giữ lại (không gửi như văn bằng còn hiệu lực).',
    'The status value at the source is not in the status table, so the record is held back (never sent as a valid diploma).',
    'Thêm giá trị đó vào mapping.options.statusValues (issued, revoked, cancelled hoặc corrected) hoặc sửa ở nguồn.',
    'Add the value to mapping.options.statusValues (issued, revoked, cancelled or corrected) or correct it in the source.',
  ),
  STATUS_MISSING: entry('Trạng thái văn bằng ở nguồn bị trống, nên không biết gửi là cấp mới, sửa hay thu hồi.', 'The status at the source is empty, so it is unknown whether to send a new, corrected or revoked diploma.', FIX_SOURCE_VI, FIX_SOURCE_EN),
  TRANGTHAI_UNKNOWN: entry('Trạng thái không thuộc các mã cho phép.', 'The status is not one of the allowed codes.', FIX_SOURCE_VI, FIX_SOURCE_EN),
  // kept for warnings stored by earlier versions: a correction without its decision is now held back (CORRECTION_DECISION_MISSING)
  CORRECTION_BLOCK_MISSING: entry(
    'Cảnh báo: văn bằng đã chỉnh sửa được gửi là UPDATE nhưng thiếu thông tin quyết định hiệu chỉnh (nguồn không có các cột này).',
    'Warning: a corrected diploma is sent as UPDATE without the correction decision block (the source has no such columns).',
  ),
  CORRECTION_DECISION_MISSING: entry(
    'Văn bằng đã chỉnh sửa (trạng thái 4) nhưng thiếu số hoặc ngày quyết định hiệu chỉnh: bản ghi được giữ lại, không gửi.',
    'The diploma is corrected (status 4) but the correction decision number or date is missing: the record is held back, not sent.',
    'Nhập quyết định hiệu chỉnh (số, ngày, người ký) vào hệ thống nguồn và đưa các cột correction_decision_* vào câu SELECT; lần chạy sau sẽ gửi bản ghi với phiên bản tăng 1.',
    'Enter the correction decision (number, date, signer) in the source system and select the correction_decision_* columns; the next run sends the record at phienban + 1.',
  ),
  CORRECTION_SIGNER_MISSING: entry('Thiếu người ký quyết định hiệu chỉnh (họ tên, số định danh hoặc chức danh).', "The correction decision's signer (name, personal id or title) is missing.", FIX_SOURCE_VI, FIX_SOURCE_EN),
  CORRECTION_DATE_INVALID: entry('Ngày quyết định hiệu chỉnh không phải một ngày đầy đủ (ngày, tháng, năm).', 'The correction decision date is not a full date (day, month and year).', FIX_SOURCE_VI, FIX_SOURCE_EN),
  GPA_MISSING: entry('Thiếu điểm trung bình (thang 4 hoặc thang 10) để xếp loại.', 'No grade point average (4- or 10-point scale) to classify with.'),
  SCALE_HAS_NO_BAND: entry('Thang điểm không có mức chữ cho điểm này.', 'The grading scale has no letter band for this score.'),
  SCALE_HAS_NO_4_POINT: entry('Thang điểm này không có xếp loại theo thang 4.', 'This grading scale has no 4-point classification.'),
  UNKNOWN_GRADING_SCALE: entry('Phiên bản thang điểm không được hỗ trợ.', 'The grading scale version is not supported.'),

  // school records (học bạ)
  KHOI_INVALID: entry('Khối lớp phải là lớp trung học từ 6 đến 12.', 'The grade must be a secondary grade from 6 to 12.'),
  NAMHOC_INVALID: entry('Năm học phải có dạng YYYY-YYYY với hai năm liên tiếp.', 'The school year must be YYYY-YYYY with consecutive years.'),
  LEVEL_UNKNOWN: entry('Mức đánh giá phải là T, K, Đ hoặc CĐ.', 'The level must be T, K, Đ or CĐ.'),
  UNKNOWN_TT22_LEVEL: entry('Mã mức đánh giá không thuộc Thông tư 22.', 'The level code is not a Circular 22 level.'),
  SCHOOL_LEVEL_UNKNOWN: entry('Cấp học không nhận ra.', 'The school level is not recognised.'),
  SCHOOL_LEVEL_NOT_SECONDARY: entry('Cấp học không phải THCS hoặc THPT.', 'The school level is not lower or upper secondary (THCS/THPT).'),
  SUBJECTS_MISSING: entry('Học bạ không có môn học nào.', 'The school record has no subject.'),
  SUBJECTS_INVALID: entry('Cột danh sách môn học không phải danh sách JSON.', 'The subjects column is not a JSON list.', 'Kiểm tra phần json_agg / JSON_ARRAYAGG của câu SELECT.', 'Check the json_agg / JSON_ARRAYAGG part of the SELECT.'),
  SUBJECT_INVALID: entry('Một dòng môn học không đúng cấu trúc.', 'A subject row does not have the expected structure.'),
  SUBJECT_DUPLICATE: entry('Một môn học xuất hiện hai lần trong cùng học bạ.', 'A subject appears twice in the same school record.'),
  SUBJECT_TEACHER_LEFT_INVALID: entry('Ô "giáo viên đã nghỉ" (teacher_left) của một môn không phải 0/1: không đoán ai ký môn đó.', 'A subject\'s "teacher has left" cell (teacher_left) is not 0/1: who signs the subject is not guessed.', FIX_SOURCE_VI, FIX_SOURCE_EN),
  SUBJECT_TEACHER_MISSING: entry('Môn học thiếu giáo viên bộ môn (họ tên và số định danh), nên không có người ký.', 'A subject has no teacher (name and personal id), so no one can sign it.', FIX_SOURCE_VI, FIX_SOURCE_EN),
  HISTORY_INVALID: entry('Quá trình học tập không phải danh sách JSON các dòng văn bản.', 'The study history is not a JSON list of text rows.'),
  STORED_RESULT_DISAGREES: entry(
    'Cảnh báo: kết quả lưu ở nguồn khác kết quả tính theo Thông tư 22; bản tính được gửi đi.',
    'Warning: the result stored at the source differs from the one computed by Circular 22; the computed one is sent.',
    'Kiểm tra điểm và kết quả ở phần mềm quản lý trường.',
    "Check the scores and the result in the school's management software.",
  ),
  SCORE_MISSING: entry('Thiếu điểm (ô điểm bỏ trống).', 'A score is missing (the cell is empty).', FIX_SOURCE_VI, FIX_SOURCE_EN),
  SCORE_NOT_A_NUMBER: entry('Điểm không phải là số.', 'The score is not a number.', FIX_SOURCE_VI, FIX_SOURCE_EN),
  SCORE_OUT_OF_RANGE: entry('Điểm nằm ngoài thang 0–10.', 'The score is outside 0–10.', FIX_SOURCE_VI, FIX_SOURCE_EN),
  REGULAR_TESTS_MISSING: entry('Không có điểm đánh giá thường xuyên (ĐĐGtx).', 'No regular assessment score (ĐĐGtx).'),
  REGULAR_TEST_COUNT_MISMATCH: entry(
    'Cảnh báo: số điểm đánh giá thường xuyên khác số Thông tư 22 quy định theo số tiết của môn.',
    "Warning: the number of regular assessment scores differs from what Circular 22 sets for the subject's periods.",
  ),
  TERMS_INCONSISTENT: entry('Hai học kỳ được đánh giá theo hai cách khác nhau; không tính được kết quả cả năm.', 'The two terms are assessed differently; no year result can be computed.'),
  TERM_RESULT_UNREADABLE: entry('Kết quả học kỳ không phải điểm số, Đ/CĐ hay M.', 'A term result is neither scores nor Đ/CĐ/M.'),
  ASSESSMENT_KIND_MISMATCH: entry(
    'Môn đánh giá bằng nhận xét lại có điểm số, hoặc ngược lại (Thông tư 22, Điều 5).',
    'A comment-assessed subject holds scores, or the other way round (Circular 22, art. 5).',
  ),
  LEVEL_NOT_COMPUTED: entry('Không có kết quả của giai đoạn này nên không xếp mức được.', 'No result for this period, so no level is computed.'),

  // duplicates
  DUPLICATE_IDBANGHI: entry(
    'Hai bản ghi nguồn sinh ra cùng một idbanghi (ví dụ cùng số hiệu văn bằng); cả hai bị giữ lại, không bản nào được gửi.',
    'Two source records produce the same idbanghi (e.g. the same diploma serial); both are held back and neither is sent.',
    'Tìm hai dòng trùng ở nguồn và sửa dòng sai; lần chạy sau sẽ gửi dòng còn lại.',
    'Find the two rows at the source and fix the wrong one; the next run sends the remaining one.',
  ),
};

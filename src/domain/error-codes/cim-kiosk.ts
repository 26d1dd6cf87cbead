/**
 * Codes about CIM kiosks: the certificate template registry, transcripts from the UIS's course
 * results, and pushing templates and student snapshots to the kiosks (docs/cim.md).
 */
import { type CodeExplanation, entry } from './types.js';

export const CIM_KIOSK_CODES: Readonly<Record<string, CodeExplanation>> = {
  INVALID_CREDITS: entry(
    'Học phần không có số tín chỉ hợp lệ (số nguyên dương).',
    'A course has no valid number of credits (a positive whole number).',
    'Sửa số tín chỉ của học phần ở hệ thống nguồn.',
    "Correct the course's credits in the source system.",
  ),
  CIM_TEMPLATES_MISSING: entry(
    'Không tìm thấy thư mục mẫu giấy chứng nhận, hoặc thư mục không có tệp YAML nào.',
    'The certificate template folder is missing or holds no YAML file.',
    'Tạo thư mục (mặc định config/templates/cim) với một tệp YAML cho mỗi đơn vị; xem docs/cim.md.',
    'Create the folder (by default config/templates/cim) with one YAML file per unit; see docs/cim.md.',
  ),
  CIM_TEMPLATE_DUPLICATE: entry(
    'Một mã mẫu giấy chứng nhận được khai báo hai lần.',
    'A certificate template code is defined twice.',
    'Đổi mã hoặc xóa bản trùng: mỗi mã chỉ có một nghĩa trên mọi ki-ốt.',
    'Rename or remove the duplicate: a code must mean one thing on every kiosk.',
  ),
  // a student snapshot (mappings/cim-student-snapshot)
  STUDENT_ID_MISSING: entry('Thiếu mã sinh viên.', 'The student id is missing.', 'Bổ sung mã sinh viên ở hệ thống nguồn.', 'Fill in the student id in the source system.'),
  STUDENT_NAME_MISSING: entry('Thiếu họ tên sinh viên.', "The student's full name is missing.", 'Bổ sung họ tên ở hệ thống nguồn.', 'Fill in the full name in the source system.'),
  STUDENT_STATUS_MISSING: entry('Thiếu tình trạng học tập của sinh viên.', "The student's status is missing.", 'Bổ sung tình trạng ở hệ thống nguồn.', 'Fill in the status in the source system.'),
  STUDENT_STATUS_UNKNOWN: entry(
    'Tình trạng học tập không có trong bảng chuyển đổi (mapping.options.statuses).',
    'The status is not in the status table (mapping.options.statuses).',
    'Thêm giá trị này vào mapping.options.statuses của tác vụ (studying, suspended, withdrawn hoặc graduated).',
    "Add this value to the job's mapping.options.statuses (studying, suspended, withdrawn or graduated).",
  ),
  // pushing to the kiosks (connectors/cim-kiosk)
  KIOSK_OFFLINE: entry(
    'Ki-ốt không kết nối được (từ chối kết nối hoặc không tới được): các thay đổi được giữ lại để gửi sau.',
    'The kiosk cannot be reached (connection refused or unreachable): its changes are kept for later.',
    'Không cần làm gì: lần chạy sau gửi lại khi ki-ốt hoạt động; nếu kéo dài, kiểm tra nguồn điện và mạng của ki-ốt.',
    'Nothing to do: a later run sends them once the kiosk is back; if it lasts, check its power and network.',
  ),
  KIOSK_UNAVAILABLE: entry('Ki-ốt trả lời lỗi (5xx): đã thử lại, các thay đổi còn lại được giữ để gửi sau.', 'The kiosk answers with an error (5xx): asked again, the rest is kept for later.'),
  KIOSK_RATE_LIMITED: entry('Ki-ốt yêu cầu gửi chậm lại (429).', 'The kiosk asks to slow down (429).', 'Giảm rateLimit của ki-ốt này.', "Lower this kiosk's rateLimit."),
  KIOSK_TIMEOUT: entry('Ki-ốt không trả lời kịp thời.', 'The kiosk did not answer in time.'),
  KIOSK_NETWORK: entry('Mất câu trả lời của ki-ốt (kết nối bị ngắt): thay đổi được gửi lại (an toàn vì PUT lặp lại không đổi kết quả).', "The kiosk's answer was lost (connection cut): the change is sent again (safe: PUT is idempotent)."),
  KIOSK_ABORTED: entry('Lần chạy dừng khi đang gửi tới ki-ốt.', 'The run stopped while sending to the kiosk.'),
  KIOSK_BAD_ANSWER: entry('Câu trả lời của ki-ốt không đúng hợp đồng.', "The kiosk's answer does not follow the contract.", 'Kiểm tra phiên bản phần mềm ki-ốt.', "Check the kiosk's software version."),
  KIOSK_UNAUTHORIZED: entry(
    'Ki-ốt không chấp nhận mã truy cập (401/403).',
    'The kiosk does not accept its token (401/403).',
    'Đặt lại token của ki-ốt trong connections.<tên>.kiosks rồi chạy lại: các thay đổi đang chờ sẽ được gửi.',
    "Set the kiosk's token in connections.<name>.kiosks and run again: the queued changes are sent then.",
  ),
  KIOSK_TOKEN_MISSING: entry('Chưa có mã truy cập cho các ki-ốt (LIENTHONG_KIOSK_TOKEN).', 'No token for the kiosks (LIENTHONG_KIOSK_TOKEN).', 'Đặt biến môi trường LIENTHONG_KIOSK_TOKEN là token các ki-ốt chấp nhận.', 'Set LIENTHONG_KIOSK_TOKEN to the token the kiosks accept.'),
  KIOSK_ID_MISMATCH: entry('Địa chỉ đã cấu hình trả lời với mã ki-ốt khác.', 'The configured url answers as another kiosk.', 'Kiểm tra url của ki-ốt.', "Check the kiosk's url."),
  KIOSK_REFUSED: entry(
    'Ki-ốt từ chối hẳn thay đổi này (4xx): không gửi lại.',
    'The kiosk refuses this change for good (4xx): it is not sent again.',
    'Xem lý do: lienthong kiosks dead-letters; sửa dữ liệu nguồn hoặc mẫu giấy chứng nhận, rồi đưa lại vào hàng đợi: lienthong kiosks requeue --kiosk ID --all.',
    'See why: lienthong kiosks dead-letters; correct the source data or the template, then queue them again: lienthong kiosks requeue --kiosk ID --all.',
  ),
  KIOSK_DEAD_LETTER_NOT_FOUND: entry('Ki-ốt không có thư chết (dead letter) với khóa này.', 'The kiosk has no dead letter with this key.', 'Xem danh sách: lienthong kiosks dead-letters --kiosk ID.', 'See the list: lienthong kiosks dead-letters --kiosk ID.'),
  KIOSK_CONNECTION_UNKNOWN: entry('Không có kết nối cim-kiosk mang tên này.', 'No cim-kiosk connection has this name.', 'Dùng tên một kết nối type: cim-kiosk của cấu hình.', 'Name a connection of type cim-kiosk of the configuration.'),
  KIOSK_UNKNOWN: entry('Không kết nối cim-kiosk nào biết ki-ốt này.', 'No cim-kiosk connection knows this kiosk.', 'Xem lienthong status, hoặc nêu kết nối bằng --connection.', 'See lienthong status, or name the connection with --connection.'),
  KIOSK_AMBIGUOUS: entry('Ki-ốt thuộc nhiều kết nối cim-kiosk.', 'The kiosk belongs to several cim-kiosk connections.', 'Nêu kết nối bằng --connection.', 'Name the connection with --connection.'),
  KIOSK_STORE_MISSING: entry('Kho trạng thái không có hàng đợi ki-ốt (lỗi của lienthong).', 'The state store has no kiosk lanes (a fault in lienthong).'),
  KIOSK_RUN_NOT_BEGUN: entry('Đích ki-ốt được dùng trước khi lần chạy bắt đầu (lỗi của lienthong).', 'The kiosk destination was used before the run began (a fault in lienthong).'),
  KIOSK_CHANGE_MALFORMED: entry('Một thay đổi trong hàng đợi không đúng định dạng (lỗi của lienthong).', 'A queued change is malformed (a fault in lienthong).'),
};

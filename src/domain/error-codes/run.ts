/**
 * Codes about a run as a whole: configuration, secrets, the source database and its query, the
 * guard on invalid records, delivery across runs.
 */
import { type CodeExplanation, entry } from './types.js';

const FIX_CONFIG_VI = 'Sửa tệp cấu hình được nêu rồi chạy "lienthong validate".';
const FIX_CONFIG_EN = 'Correct the named configuration file, then run "lienthong validate".';
const REPORT_BUG_VI = 'Đây là lỗi của lienthong: báo cho người bảo trì kèm nhật ký.';
const REPORT_BUG_EN = 'A fault in lienthong: report it to the maintainers with the log.';

export const RUN_CODES: Readonly<Record<string, CodeExplanation>> = {
  // configuration
  CONFIG_INVALID: entry('Tệp cấu hình không hợp lệ.', 'A configuration file is invalid.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  CONFIG_YAML: entry('Tệp cấu hình sai cú pháp YAML (thụt lề, dấu hai chấm, ngoặc kép).', 'A configuration file has a YAML syntax error (indentation, colons, quotes).', 'Sửa dòng được nêu trong thông báo.', 'Fix the line the message names.'),
  CONFIG_NOT_FOUND: entry('Không tìm thấy tệp cấu hình.', 'No configuration file found.', 'Chạy "lienthong init" hoặc chỉ đường dẫn bằng --config.', 'Run "lienthong init" or give the path with --config.'),
  CONFIG_UNREADABLE: entry('Không đọc được tệp cấu hình (quyền truy cập hoặc tệp hỏng).', 'The configuration file cannot be read (permissions or a damaged file).'),
  JOB_DUPLICATE: entry('Hai tệp tác vụ dùng cùng một tên tác vụ.', 'Two job files use the same job name.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  JOB_NOT_FOUND: entry('Không có tác vụ mang tên này.', 'No job has this name.', 'Xem danh sách bằng "lienthong status".', 'See the list with "lienthong status".'),
  JOB_NOT_A_SOURCE: entry('Kết nối nguồn của tác vụ không phải kết nối nguồn (SQL).', "The job's source connection is not a source (SQL) connection.", FIX_CONFIG_VI, FIX_CONFIG_EN),
  JOB_NOT_A_DESTINATION: entry('Kết nối đích của tác vụ là một kết nối nguồn.', "A job's destination connection is a source connection.", FIX_CONFIG_VI, FIX_CONFIG_EN),
  JOB_UNKNOWN_CONNECTION: entry('Tác vụ nhắc đến một kết nối không có trong cấu hình chính.', 'A job names a connection the main configuration does not have.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  UNKNOWN_CONNECTION: entry('Không có kết nối mang tên này trong cấu hình.', 'No connection of this name in the configuration.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  NOT_A_DESTINATION: entry('Kết nối này không phải là đích gửi.', 'This connection is not a destination.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  NO_UNIT_CODE: entry('Tác vụ không có đích ministry-hub để lấy mã đơn vị (unitCode).', 'The job has no ministry-hub destination to take the unit code from.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  UNKNOWN_MAPPING: entry('Không có ánh xạ (mapping) mang tên này.', 'No mapping has this name.', 'Dùng vanbangchungchi/2025 hoặc hocba-thcsthpt/2025.', 'Use vanbangchungchi/2025 or hocba-thcsthpt/2025.'),
  MAPPING_OPTION_INVALID: entry('Một tuỳ chọn trong mapping.options không hợp lệ.', 'An option in mapping.options is invalid.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  UNKNOWN_SOURCE_ENCODING: entry('Bảng mã nguồn (sourceEncoding) không được hỗ trợ.', 'The source encoding (sourceEncoding) is not supported.', 'Dùng unicode, tcvn3, vni, viqr, windows-1258 hoặc viscii.', 'Use unicode, tcvn3, vni, viqr, windows-1258 or viscii.'),
  DICTIONARY_TABLE_UNKNOWN: entry('Bảng không có trong từ điển dữ liệu quốc gia.', 'The table is not in the national data dictionary.', REPORT_BUG_VI, REPORT_BUG_EN),
  SECRET_ENV_MISSING: entry('Biến môi trường chứa bí mật (mật khẩu, khoá) chưa được đặt.', 'The environment variable holding a secret (password, key) is not set.', 'Đặt biến môi trường được nêu trong dịch vụ chạy lienthong.', 'Set the named environment variable in the service that runs lienthong.'),
  SECRET_FILE_UNREADABLE: entry('Không đọc được tệp chứa bí mật.', 'The secret file cannot be read.', 'Kiểm tra đường dẫn và quyền đọc của tài khoản chạy lienthong.', 'Check the path and that the account running lienthong may read it.'),
  SECRET_NOT_A_REFERENCE: entry('Bí mật được ghi thẳng trong cấu hình thay vì env:TÊN hoặc file:ĐƯỜNG_DẪN.', 'A secret is written in the configuration instead of env:NAME or file:PATH.', 'Chuyển bí mật vào biến môi trường hoặc tệp riêng.', 'Move the secret to an environment variable or a file of its own.'),

  // the source database and its query
  SQL_CONFIG_INVALID: entry('Cấu hình nguồn SQL không hợp lệ.', 'The SQL source configuration is invalid.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  SQL_URL_INVALID: entry('Địa chỉ kết nối cơ sở dữ liệu không hợp lệ.', 'The database connection URL is invalid.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  SQL_CONNECT_REFUSED: entry('Cơ sở dữ liệu nguồn từ chối đăng nhập (sai tài khoản, mật khẩu hoặc quyền).', 'The source database refused the login (wrong account, password or rights).', 'Kiểm tra url và tài khoản chỉ đọc của kết nối nguồn.', "Check the source connection's url and its read-only account."),
  SQL_CONNECT_FAILED: entry('Không kết nối được cơ sở dữ liệu nguồn (mạng hoặc máy chủ tạm thời không sẵn sàng).', 'Cannot reach the source database (network, or the server is temporarily unavailable).', 'Lần chạy sau sẽ thử lại; kiểm tra máy chủ CSDL nếu kéo dài.', 'The next run tries again; check the database server if it lasts.'),
  SQL_QUERY_INVALID: entry('Câu truy vấn của tác vụ bị cơ sở dữ liệu từ chối.', 'The database refused the job query.', 'Sửa câu SELECT trong tệp tác vụ rồi chạy "lienthong check".', 'Fix the SELECT in the job file, then run "lienthong check".'),
  SQL_QUERY_INTERRUPTED: entry('Câu truy vấn bị ngắt giữa chừng (mất kết nối, máy chủ khởi động lại).', 'The query was interrupted (connection lost, server restarted).', 'Lần chạy sau sẽ đọc lại.', 'The next run reads again.'),
  SQL_PARAM_MISSING: entry('Câu truy vấn dùng một tham số không có giá trị.', 'The query uses a parameter that has no value.', 'Chỉ dùng tham số :watermark trong câu SELECT.', 'Use only the :watermark parameter in the SELECT.'),
  SQL_POSITIONAL_PARAM: entry('Câu truy vấn dùng tham số theo vị trí (? hoặc $1).', 'The query uses a positional placeholder (? or $1).', 'Dùng tham số có tên, ví dụ :watermark.', 'Use named parameters such as :watermark.'),
  SQL_STREAM_BUSY: entry('Nguồn SQL đang đọc một luồng khác; mỗi kết nối chỉ đọc một luồng một lúc.', 'The SQL source is already reading another stream; one stream at a time per connection.', REPORT_BUG_VI, REPORT_BUG_EN),
  SQL_NOT_A_SELECT: entry(
    'Câu lệnh của tác vụ không phải một câu SELECT chỉ đọc duy nhất; lienthong không bao giờ chạy lệnh sửa dữ liệu nguồn.',
    'The job statement is not one read-only SELECT; lienthong never runs a statement that changes the source.',
    'Chỉ để một câu SELECT (hoặc WITH … SELECT) trong query.',
    'Keep a single SELECT (or WITH … SELECT) in the query.',
  ),
  SQL_CURSOR_TYPE_UNSUPPORTED: entry(
    'Cột mốc đọc (cursorField) có kiểu không dùng làm mốc được; cần cột thời điểm, ngày, số nguyên hoặc văn bản.',
    'The cursor column (cursorField) has a type that cannot be a watermark; a timestamp, date, whole number or text column is needed.',
    'Chọn cột thời điểm cập nhật làm cursorField.',
    'Use the update-time column as cursorField.',
  ),
  SQL_CURSOR_TYPE_CHANGED: entry(
    'Mốc đọc đã lưu có kiểu khác với cột mốc hiện tại (cột đã đổi kiểu hoặc đổi cột).',
    'The saved watermark has another type than the cursor column now has (the column changed type, or another column is used).',
    'Chạy một lần với --full-refresh; bản ghi không đổi được nhận ra theo nội dung và không gửi lại.',
    'Run once with --full-refresh; unchanged records are recognised by content and not sent again.',
  ),
  SQL_CURSOR_TYPE_MIXED: entry('Cột mốc đọc chứa các giá trị khác kiểu nhau nên không sắp thứ tự được.', 'The cursor column holds values of different kinds, so they cannot be ordered.', 'Dùng một cột mốc chỉ một kiểu (ví dụ ép kiểu trong câu SELECT).', 'Use a cursor column of one kind (e.g. cast it in the SELECT).'),
  SQL_CURSOR_VALUE_INVALID: entry('Một dòng có giá trị cột mốc đọc không dùng được, nên mốc không vượt qua được dòng đó.', 'A row holds a cursor value that cannot be used, so the watermark cannot move past it.', 'Sửa giá trị cột mốc của dòng được nêu ở nguồn.', "Correct the named row's cursor value at the source."),
  SQL_INITIAL_CURSOR_INVALID: entry('initialCursor không hợp với kiểu của cột mốc đọc.', "initialCursor does not fit the cursor column's type.", 'Bỏ initialCursor (đọc từ đầu) hoặc ghi giá trị đúng kiểu như thông báo gợi ý.', 'Remove initialCursor (read from the start) or give a value of the type the message names.'),
  SQL_LOOKBACK_INVALID: entry('source.lookback không hợp với cột mốc đọc (khoảng thời gian cho cột thời điểm, số nguyên cho cột số).', 'source.lookback does not fit the cursor column (a duration for time columns, a whole number for number columns).', FIX_CONFIG_VI, FIX_CONFIG_EN),
  SQL_UNKNOWN_STREAM: entry('Nguồn SQL không có luồng dữ liệu (stream) mang tên này.', 'The SQL source has no stream of this name.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  SQL_STATEMENT_NOT_SELECT: entry(
    'Câu lệnh của tác vụ không phải một câu SELECT duy nhất; lienthong chỉ đọc, không bao giờ chạy lệnh sửa dữ liệu nguồn.',
    'The job statement is not a single SELECT; lienthong only reads and never runs a statement that changes the source.',
    'Chỉ để một câu SELECT (hoặc WITH … SELECT) trong query.',
    'Keep a single SELECT (or WITH … SELECT) in the query.',
  ),
  SQL_COLUMN_MISSING: entry('Kết quả truy vấn thiếu cột khoá hoặc cột mốc thời gian mà tác vụ khai báo.', 'The query result lacks the key or cursor column the job declares.', 'Thêm cột đó vào câu SELECT hoặc sửa keyFields / cursorField.', 'Add the column to the SELECT or correct keyFields / cursorField.'),
  COLUMN_MISSING: entry(
    'Câu SELECT thiếu một cột mà ánh xạ bắt buộc phải đọc; lần chạy dừng trước khi gửi bất cứ gì.',
    'The SELECT lacks a column the mapping requires; the run stops before anything is sent.',
    'Thêm cột (hoặc đặt bí danh AS đúng tên) rồi chạy "lienthong check".',
    'Add the column (or alias it with AS to the expected name), then run "lienthong check".',
  ),
  COLUMN_DUPLICATE: entry('Câu SELECT trả về hai cột cùng tên; chỉ một cột được đọc.', 'The SELECT returns two columns of the same name; only one would be read.', 'Đặt bí danh AS khác nhau cho hai cột.', 'Give the two columns different AS aliases.'),
  COLUMNS_MISMATCH: entry(
    'Các cột của câu SELECT không khớp với những gì tác vụ đọc; lần chạy dừng trước khi đọc hay gửi gì.',
    "The SELECT's columns do not match what the job reads; the run stops before anything is read or sent.",
    'Sửa từng cột được liệt kê rồi chạy "lienthong check".',
    'Fix each listed column, then run "lienthong check".',
  ),
  COLUMN_UNKNOWN: entry(
    'Câu SELECT có một cột mà ánh xạ không đọc (thường là bí danh gõ sai, ví dụ birth_dat); lần chạy dừng trước khi gửi.',
    'The SELECT has a column the mapping does not read (usually a misspelled alias, e.g. birth_dat); the run stops before anything is sent.',
    'Sửa bí danh theo gợi ý "did you mean" hoặc bỏ cột thừa khỏi câu SELECT.',
    'Fix the alias as the "did you mean" hint says, or drop the extra column from the SELECT.',
  ),

  // the run
  RUN_HELD_INVALID_SHARE: entry(
    'Tỉ lệ bản ghi lỗi vượt ngưỡng (guard.maxInvalidPercent): lần chạy dừng, giữ nguyên mốc đọc, không gửi gì thêm. Thường do cấu hình sai chứ không phải dữ liệu.',
    'The share of invalid records passed the threshold (guard.maxInvalidPercent): the run stopped, kept its cursor and sent nothing more. Usually the configuration is wrong, not the data.',
    'Xem các mã lỗi nhiều nhất, sửa cấu hình hoặc dữ liệu rồi chạy lại; không cần --full-refresh.',
    'Look at the top error codes, fix the configuration or the data and run again; no --full-refresh is needed.',
  ),
  JOB_LOCKED: entry('Tác vụ đang chạy ở nơi khác (một tiến trình khác giữ khoá).', 'The job is already running elsewhere (another process holds its lock).', 'Chờ lần chạy kia xong; khoá tự hết hạn nếu tiến trình kia đã dừng.', 'Wait for the other run to finish; the lock expires by itself if that process died.'),
  RETRY_BUDGET_SPENT: entry(
    'Nơi nhận lỗi liên tục trong suốt thời gian thử lại cho phép (retry.budgetMs); các bản ghi còn lại được giữ để gửi ở lần chạy sau.',
    'The destination kept failing for the whole retry budget (retry.budgetMs); the remaining records are kept for the next run.',
    'Không cần làm gì nếu trục trở lại; nếu kéo dài, kiểm tra kết nối tới trục.',
    'Nothing to do if the hub comes back; if it lasts, check the connection to the hub.',
  ),
  DELIVERY_DEFERRED: entry('Bản ghi chưa gửi được trong lần chạy này và được giữ (không mất) để gửi ở lần chạy sau.', 'The record could not be sent in this run and is kept (not lost) for the next run.'),
  AWAITING_UPSTREAM: entry(
    'Bản ghi chờ đích đứng trước (after:) nhận phiên bản hiện tại của nó, ví dụ VNeID chờ Trục dữ liệu Bộ chấp nhận văn bằng; bản ghi được giữ, không mất.',
    'The record waits for the destination it comes after (after:) to accept its current version, e.g. VNeID waits for the ministry hub to accept the diploma; it is kept, not lost.',
    'Xem lý do ở đích đứng trước (bị từ chối, xung đột phiên bản, thư chết) và xử lý ở đó; lần chạy sau gửi bản ghi ngay khi đích đó chấp nhận.',
    'See why at the upstream destination (rejected, version conflict, dead letter) and fix it there; the next run sends the record as soon as it is accepted there.',
  ),
  DEADLINE_DATE_INVALID: entry('Một ngày hạn nộp trong cấu hình không có trên lịch (ví dụ 30/02).', 'A deadline date in the configuration does not exist in the calendar (e.g. 30 February).', FIX_CONFIG_VI, FIX_CONFIG_EN),
  UNEXPECTED: entry('Lỗi không lường trước.', 'An unexpected error.', REPORT_BUG_VI, REPORT_BUG_EN),
  DATA_NOT_KEPT: entry('Dữ liệu đã ánh xạ không được giữ lại cho bước tạo tài liệu.', 'The mapped data was not kept for the document step.', REPORT_BUG_VI, REPORT_BUG_EN),

  // the command line and the services
  USAGE: entry('Lệnh được gọi sai cách (thiếu hoặc thừa tham số).', 'The command was called the wrong way (a missing or extra argument).', 'Xem "lienthong <lệnh> --help".', 'See "lienthong <command> --help".'),
  LIMIT_INVALID: entry('Giới hạn số dòng phải là số nguyên dương.', 'The limit must be a whole number of at least 1.', 'Sửa giá trị --limit.', 'Correct the --limit value.'),
  RUN_NOT_FOUND: entry('Không có lần chạy nào với mã này cho tác vụ đã nêu.', 'The job has no run with this id.', 'Xem danh sách bằng "lienthong runs <tác vụ>".', 'List them with "lienthong runs <job>".'),
  LEDGER_STATUS_UNKNOWN: entry('Trạng thái sổ cái không tồn tại (pending, sent, accepted, stale, rejected, dead).', 'Not a ledger status (pending, sent, accepted, stale, rejected, dead).', 'Dùng một trong các trạng thái đã nêu.', 'Use one of the statuses listed.'),
  TARGET_UNKNOWN: entry('Tác vụ không gửi tới đích (kết nối/tập dữ liệu) đã nêu.', 'The job does not deliver to the named target (connection/dataset).', 'Xem các đích của tác vụ bằng "lienthong status <tác vụ>".', 'See the job\'s targets with "lienthong status <job>".'),
  // the web console's API
  JOB_RUNNING: entry('Tác vụ đang chạy: không thể bắt đầu lần chạy thứ hai cùng lúc.', 'The job is running: a second run cannot start at the same time.', 'Chờ lần chạy hiện tại kết thúc (xem tiến độ trên bảng điều khiển).', 'Wait for the current run to end (watch its progress on the dashboard).'),
  SCHEDULER_OFF: entry('Tiến trình này không chạy bộ lập lịch nên không thể chạy tác vụ theo yêu cầu.', 'This process runs no scheduler, so it cannot run a job on request.', 'Chạy tác vụ bằng "lienthong run <tác vụ>" hoặc dùng "lienthong start".', 'Run the job with "lienthong run <job>" or use "lienthong start".'),
  LEDGER_RECORD_NOT_FOUND: entry('Kho trạng thái không có bản ghi này của tác vụ.', 'The state store has no such record of the job.', 'Tìm bản ghi trong sổ cái theo khoá nguồn, idbanghi hoặc số định danh.', 'Search the ledger by source key, idbanghi or personal id.'),

  // plugins and how a job is put together
  UNKNOWN_CONNECTION_TYPE: entry('Loại kết nối (type) không có trong các plugin đã đăng ký.', 'The connection type is not one of the registered plugins.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  UNKNOWN_TRANSFORM: entry('Loại biến đổi (transform.kind) không có trong các plugin đã đăng ký.', 'The transform kind is not one of the registered plugins.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  UNKNOWN_STORE_KIND: entry('Loại kho trạng thái (store.kind) không có trong các plugin đã đăng ký.', 'The state store kind is not one of the registered plugins.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  DESTINATION_NO_ENCODE: entry('Plugin nơi nhận không khai báo cách mã hoá bản ghi (encode).', 'The destination plugin does not declare how it encodes a record (encode).', REPORT_BUG_VI, REPORT_BUG_EN),
  PLUGIN_DUPLICATE: entry('Hai plugin đăng ký cùng một loại.', 'Two plugins register the same type.', REPORT_BUG_VI, REPORT_BUG_EN),
  PLUGIN_NOT_PREPARED: entry('Plugin được dùng trước khi mã của nó được nạp.', 'A plugin was used before its code was loaded.', REPORT_BUG_VI, REPORT_BUG_EN),
  JOB_WITHOUT_DESTINATION: entry('Tác vụ không có nơi nhận nào.', 'The job has no destination.', FIX_CONFIG_VI, FIX_CONFIG_EN),
  NOT_AN_ENVELOPE: entry('Nội dung trong hàng đợi gửi không phải phong bì bản ghi của trục dữ liệu.', 'What the outbox holds is not a ministry hub record envelope.', REPORT_BUG_VI, REPORT_BUG_EN),
  BAD_VERSION: entry('Phiên bản yêu cầu không hợp lệ (phải từ 1 trở lên).', 'The version asked for is not valid (it must be 1 or more).', REPORT_BUG_VI, REPORT_BUG_EN),
};

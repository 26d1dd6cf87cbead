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
};

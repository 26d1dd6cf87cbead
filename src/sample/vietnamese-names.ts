/** Vietnamese personal names for sample data, weighted roughly as in the population. */
import { type SeededRandom, weightedTable } from '../core/seeded-random.js';

export type Sex = 'male' | 'female';

const FAMILY_NAMES = weightedTable<string>([
  ['Nguyễn', 380],
  ['Trần', 110],
  ['Lê', 95],
  ['Phạm', 70],
  ['Hoàng', 50],
  ['Huỳnh', 40],
  ['Phan', 45],
  ['Vũ', 39],
  ['Võ', 30],
  ['Đặng', 21],
  ['Bùi', 20],
  ['Đỗ', 14],
  ['Hồ', 13],
  ['Ngô', 13],
  ['Dương', 10],
  ['Lý', 5],
  ['Đinh', 6],
  ['Trương', 6],
  ['Lâm', 4],
  ['Mai', 4],
  ['Trịnh', 4],
  ['Đoàn', 4],
  ['Lương', 3],
  ['Cao', 3],
  ['Hà', 3],
  ['Tạ', 2],
  ['Tô', 2],
  ['Châu', 1],
]);

const MIDDLE_NAMES: Record<Sex, readonly string[]> = {
  male: ['Văn', 'Văn', 'Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Thành', 'Công', 'Xuân', 'Ngọc', 'Anh', 'Tuấn', 'Hoàng', 'Gia', 'Đình', 'Trọng', 'Quốc', 'Thế', 'Bá'],
  female: ['Thị', 'Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Phương', 'Hồng', 'Mai', 'Thùy', 'Kim', 'Bảo', 'Khánh', 'Diệu', 'Hải', 'Quỳnh', 'Tuyết'],
};

const GIVEN_NAMES: Record<Sex, readonly string[]> = {
  male: [
    'An', 'Bình', 'Cường', 'Dũng', 'Đức', 'Hải', 'Hiếu', 'Hoàng', 'Hùng', 'Huy', 'Khánh', 'Khoa', 'Long', 'Minh', 'Nam',
    'Nghĩa', 'Phong', 'Phúc', 'Quân', 'Quang', 'Sơn', 'Tài', 'Thắng', 'Thành', 'Tiến', 'Trung', 'Tuấn', 'Việt', 'Vinh',
    'Vũ', 'Duy', 'Đạt', 'Hiển', 'Lộc', 'Trường', 'Khải', 'Thịnh', 'Nhật', 'Kiên', 'Toàn',
  ],
  female: [
    'Anh', 'Ánh', 'Chi', 'Dung', 'Dương', 'Giang', 'Hà', 'Hằng', 'Hạnh', 'Hiền', 'Hoa', 'Hòa', 'Hồng', 'Hương', 'Huyền',
    'Lan', 'Linh', 'Loan', 'Ly', 'Mai', 'My', 'Nga', 'Ngân', 'Ngọc', 'Nhung', 'Oanh', 'Phương', 'Quyên', 'Quỳnh', 'Tâm',
    'Thảo', 'Thu', 'Thủy', 'Thuỷ', 'Trang', 'Trâm', 'Uyên', 'Vân', 'Vy', 'Yến', 'Nhi', 'Xuân',
  ],
};

/** A full name in NFC with single spaces, e.g. "Nguyễn Thị Thu Hà". */
export function vietnameseName(rng: SeededRandom, sex: Sex): string {
  const parts = [rng.weighted(FAMILY_NAMES), rng.pick(MIDDLE_NAMES[sex])];
  // about one name in six has a second middle name
  if (rng.chance(0.16)) parts.push(rng.pick(MIDDLE_NAMES[sex === 'male' ? 'male' : 'female'].filter((m) => m !== 'Văn' && m !== 'Thị')));
  parts.push(rng.pick(GIVEN_NAMES[sex]));
  return parts.join(' ');
}

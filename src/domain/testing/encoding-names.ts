/** ~50 correctly spelled Vietnamese names (incl. both tone placements, ethnic-minority names, all caps) used to tune and test detectLikelyMojibake. */
export const CORRECT_NAMES: readonly string[] = [
  'Nguyễn Văn An', 'Trần Thị Bích Ngọc', 'Lê Hoàng Phúc', 'Phạm Minh Tuấn', 'Hoàng Thị Thu Hương',
  'Huỳnh Đức Thắng', 'Phan Thanh Hải', 'Vũ Thị Mỹ Duyên', 'Võ Quốc Bảo', 'Đặng Thị Ánh Tuyết',
  'Bùi Xuân Trường', 'Đỗ Thị Hồng Nhung', 'Hồ Ngọc Hà', 'Ngô Bảo Châu', 'Dương Thị Quỳnh',
  'Lý Thường Kiệt', 'Trịnh Công Sơn', 'Đinh Tiên Hoàng', 'Lương Thế Vinh', 'Mai Thị Hoà',
  'Tạ Thị Thuỷ', 'Châu Ngọc Ẩn', 'Ông Văn Ứng', 'Âu Thị Ổn', 'Ưng Hoàng Phúc',
  'Kiều Thị Ý Nhi', 'Lâm Tường Vy', 'La Thị Ẽm', 'Quách Tuấn Du', 'Tôn Nữ Thị Ninh',
  'Khúc Thừa Dụ', 'Lưu Hữu Phước', 'Nguyễn Thị Hòa', 'Thái Thị Kiều Oanh', 'Cao Bá Quát',
  'Đàm Vĩnh Hưng', 'Triệu Thị Trinh', 'Nông Văn Dền', 'Giàng A Pử', 'Hà Thị Ngữ',
  'Y Moan Ênuôl', "H'Hen Niê", 'Mạc Đĩnh Chi', 'Chu Văn An', 'Phùng Khắc Khoan',
  'Văn Thị Yến', 'Doãn Quốc Khánh', 'Nghiêm Xuân Yêm', 'NGUYỄN THỊ MỸ LỆ', 'TRƯƠNG ĐỨC ỨNG',
  'Kim Thị Ngọc Diệp', 'Ngụy Như Kon Tum', 'Thân Thị Khuê', 'Lã Thị Quế', 'Khổng Minh Khoa',
];

import type { JsonObject } from '../../../src/core/records.js';
import type { RecordEnvelope } from '../envelope.js';

/**
 * A made-up diploma that passes the `VanBangChungChi` checks, for tests and the demo. Every value is
 * synthetic (no real person); `n` makes the record distinct.
 */
export function sampleDiplomaData(n: number, unitCode = 'DHA'): JsonObject {
  const seq = String(n).padStart(6, '0');
  return {
    sodinhdanh: `001099${seq}`,
    hovaten: `Nguyễn Văn Mẫu ${n}`,
    ngaythangnamsinh: '1999-05-12',
    mahocvien: `SV${seq}`,
    noisinh_diachichitiet: 'Phường Ba Đình, Hà Nội',
    gioitinh: '1',
    dantoc: '01',
    tentruong: 'Trường Đại học Mẫu',
    matruong: unitCode,
    namtotnghiep: '2024',
    xeploaitn: 'Khá',
    sohieu: `VB-${seq}`,
    sovaosogoc: `SG-${seq}`,
    soquyetdinhtn: 'QĐ-123/2024',
    nguoiky: 'Trần Thị Ký',
    soddcnnguoiky: '001080000001',
    chucvu: 'Hiệu trưởng',
    noicap: 'Hà Nội',
    donvicap: 'Trường Đại học Mẫu',
    tenvanbangcc: 'Bằng cử nhân',
    nguoikyvbccbangiay_hovaten: 'Trần Thị Ký',
    nguoikyvbccbangiay_chucdanh: 'Hiệu trưởng',
    madinhdanhvbcc: `MD-${seq}`,
    thongtu: '27/2019',
    trangthai: '1',
  };
}

export function sampleDiplomaEnvelope(n: number, phienban = 1, unitCode = 'DHA'): RecordEnvelope {
  return {
    idbanghi: `${unitCode}-VB-${String(n).padStart(6, '0')}`,
    sukien: phienban === 1 ? 'NEW' : 'UPDATE',
    phienban,
    thoigiancapnhat: '2026-06-20T10:15:00',
    data: sampleDiplomaData(n, unitCode),
  };
}

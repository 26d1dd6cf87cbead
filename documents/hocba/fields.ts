/**
 * The fields of the secondary school record `thongtinsohocbasothcsthpt` and its child tables, as the
 * national data dictionary lists them (type, length, required). This table is the single source of
 * truth for the record's TypeScript type, the XML document's element order and the XSD.
 *
 * Left out on purpose: the surrogate keys (`key*`, database plumbing) and the sync envelope fields
 * (`sukien`, `phienban`, `thoigiancapnhat`, `ngaycapnhat`): they travel in the envelope and change on
 * every send, while the signed document must stay byte-stable once the first signature exists.
 */

export type FieldType = 'varchar' | 'date' | 'boolean' | 'int' | 'double';

/** `dulieu` fields sit directly in DuLieuHocBa; `ketqua` fields sit in KetQua (signed by the homeroom teacher). */
export type FieldPart = 'dulieu' | 'ketqua';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** characters (varchar) — the dictionary's length */
  readonly length: number;
  readonly required: boolean;
  readonly part?: FieldPart;
  /** an XSD regular expression the value must match, for codes with a fixed shape */
  readonly pattern?: string;
  readonly enumeration?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

const RESULT_LEVELS = ['T', 'K', 'Đ', 'CĐ'] as const;
/** A 0–10 score with at most one decimal, `Đ`/`CĐ` for comment-assessed subjects, `M` for exempt. */
const SCORE_PATTERN = '(10(\\.0)?|[0-9](\\.[0-9])?|Đ|CĐ|M)';
const DIGITS_12 = '[0-9]{12}';

export const HOCBA_FIELDS = [
  { name: 'idbanghi', type: 'varchar', length: 150, required: true },
  { name: 'trangthaithongtinhocba', type: 'varchar', length: 1, required: true, enumeration: ['1', '2'] },
  { name: 'trichluc', type: 'boolean', length: 1, required: true },
  { name: 'phienbanthongtinhocba', type: 'varchar', length: 10, required: true },
  { name: 'thongtu', type: 'varchar', length: 30, required: true },
  { name: 'madinhdanhhocba', type: 'varchar', length: 36, required: true },
  { name: 'namhoc', type: 'varchar', length: 9, required: true, pattern: '[0-9]{4}-[0-9]{4}' },
  { name: 'masogd', type: 'varchar', length: 2, required: true },
  { name: 'tensogd', type: 'varchar', length: 150, required: true },
  { name: 'matruong', type: 'varchar', length: 20, required: true },
  { name: 'tentruong', type: 'varchar', length: 150, required: true },
  { name: 'tenhuyen', type: 'varchar', length: 250, required: false },
  { name: 'thongtintruong_diachi_tenxa', type: 'varchar', length: 150, required: true },
  { name: 'thongtintruong_diachi_tentinh', type: 'varchar', length: 150, required: true },
  { name: 'thongtintruong_diachi_maxa', type: 'varchar', length: 5, required: false, pattern: '[0-9]{5}' },
  { name: 'thongtintruong_diachi_matinh', type: 'varchar', length: 2, required: true, pattern: '[0-9]{2}' },
  { name: 'macaphoc', type: 'varchar', length: 2, required: true },
  { name: 'sosodangbo', type: 'varchar', length: 50, required: false },
  { name: 'hovaten', type: 'varchar', length: 150, required: true },
  { name: 'sodinhdanh', type: 'varchar', length: 12, required: true, pattern: DIGITS_12 },
  { name: 'mahocsinh', type: 'varchar', length: 20, required: true },
  { name: 'gioitinh', type: 'varchar', length: 1, required: true, enumeration: ['0', '1', '2'] },
  { name: 'ngaythangnamsinh', type: 'date', length: 10, required: false },
  { name: 'thangnamsinh', type: 'varchar', length: 7, required: false, pattern: '[0-9]{4}-[0-9]{2}' },
  { name: 'namsinh', type: 'varchar', length: 4, required: false, pattern: '[0-9]{4}' },
  { name: 'noisinh_diachichitiet', type: 'varchar', length: 250, required: true },
  { name: 'noisinh_maxa', type: 'varchar', length: 5, required: false, pattern: '[0-9]{5}' },
  { name: 'noisinh_matinh', type: 'varchar', length: 2, required: false, pattern: '[0-9]{2}' },
  { name: 'quequan_diachichitiet', type: 'varchar', length: 250, required: true },
  { name: 'quequan_maxa', type: 'varchar', length: 5, required: false, pattern: '[0-9]{5}' },
  { name: 'quequan_matinh', type: 'varchar', length: 2, required: false, pattern: '[0-9]{2}' },
  { name: 'noiohiennay_diachichitiet', type: 'varchar', length: 250, required: true },
  { name: 'noiohiennay_maxa', type: 'varchar', length: 5, required: false, pattern: '[0-9]{5}' },
  { name: 'noiohiennay_matinh', type: 'varchar', length: 2, required: false, pattern: '[0-9]{2}' },
  { name: 'dantoc', type: 'varchar', length: 3, required: true },
  { name: 'quoctich', type: 'varchar', length: 2, required: true, pattern: '[A-Z]{2}' },
  { name: 'doituongchinhsach', type: 'varchar', length: 250, required: false },
  { name: 'cokhuyettatkhongdanhgia', type: 'boolean', length: 1, required: true },
  { name: 'hotencha', type: 'varchar', length: 150, required: false },
  { name: 'nghenghiepcha', type: 'varchar', length: 150, required: false },
  { name: 'hotenme', type: 'varchar', length: 150, required: false },
  { name: 'nghenghiepme', type: 'varchar', length: 150, required: false },
  { name: 'hotennguoigiamho', type: 'varchar', length: 150, required: false },
  { name: 'nghenghiepnguoigiamho', type: 'varchar', length: 150, required: false },
  { name: 'tengiamhieu', type: 'varchar', length: 150, required: true },
  { name: 'soddcngiamhieu', type: 'varchar', length: 12, required: true, pattern: DIGITS_12 },
  { name: 'chucvugiamhieu', type: 'varchar', length: 150, required: true },
  { name: 'diadanhphathanh', type: 'varchar', length: 150, required: true },
  { name: 'ngaykyphathanh', type: 'date', length: 10, required: true },
  { name: 'ngaytao', type: 'date', length: 10, required: true },
  { name: 'tengvcn', type: 'varchar', length: 150, required: true },
  { name: 'soddcngvcn', type: 'varchar', length: 12, required: false, pattern: DIGITS_12 },
  { name: 'makhoi', type: 'varchar', length: 2, required: true },
  { name: 'tenlop', type: 'varchar', length: 10, required: true },
  // KetQua: results, conduct, promotion and the homeroom teacher's comments — what the homeroom teacher signs.
  // hocky1/hocky2/canam are required by the dictionary except for a pupil with cokhuyettatkhongdanhgia=1;
  // XSD 1.0 cannot express that condition, so they are optional here and the mapping enforces it.
  { name: 'hocky1', type: 'varchar', length: 2, required: false, part: 'ketqua', enumeration: RESULT_LEVELS },
  { name: 'hocky2', type: 'varchar', length: 2, required: false, part: 'ketqua', enumeration: RESULT_LEVELS },
  { name: 'canam', type: 'varchar', length: 2, required: false, part: 'ketqua', enumeration: RESULT_LEVELS },
  { name: 'renluyenhocky1', type: 'varchar', length: 2, required: true, part: 'ketqua', enumeration: RESULT_LEVELS },
  { name: 'renluyenhocky2', type: 'varchar', length: 2, required: true, part: 'ketqua', enumeration: RESULT_LEVELS },
  { name: 'renluyencanam', type: 'varchar', length: 2, required: true, part: 'ketqua', enumeration: RESULT_LEVELS },
  { name: 'renluyenlai', type: 'varchar', length: 2, required: false, part: 'ketqua', enumeration: RESULT_LEVELS },
  { name: 'kqhoctaplai', type: 'varchar', length: 2, required: false, part: 'ketqua', enumeration: RESULT_LEVELS },
  // The dictionary gives 1..300; 0 is allowed so that "no absence" is not confused with "unknown".
  { name: 'sobuoinghi', type: 'double', length: 3, required: false, part: 'ketqua', min: 0, max: 300 },
  { name: 'duoclenlop', type: 'boolean', length: 1, required: true, part: 'ketqua' },
  { name: 'ndungduoclenlop', type: 'varchar', length: 150, required: true, part: 'ketqua' },
  { name: 'ndunghoanthanh', type: 'varchar', length: 150, required: false, part: 'ketqua' },
  { name: 'kquathamgiacuocthi', type: 'varchar', length: 2000, required: false, part: 'ketqua' },
  { name: 'ndungkquarenluyen', type: 'varchar', length: 500, required: false, part: 'ketqua' },
  { name: 'ndungkhenthuong', type: 'varchar', length: 2000, required: false, part: 'ketqua' },
  { name: 'nxetgvcn', type: 'varchar', length: 2000, required: true, part: 'ketqua' },
] as const satisfies readonly FieldSpec[];

/** `thongtinsohocbasothcsthpt_bangdiem`: one per subject, signed by that subject's teacher. */
export const BANGDIEM_FIELDS = [
  { name: 'mamonhoc', type: 'varchar', length: 3, required: true },
  { name: 'tenmonhoc', type: 'varchar', length: 20, required: true },
  { name: 'diemhocky1', type: 'varchar', length: 4, required: false, pattern: SCORE_PATTERN },
  { name: 'diemhocky2', type: 'varchar', length: 4, required: false, pattern: SCORE_PATTERN },
  { name: 'diemcanam', type: 'varchar', length: 4, required: false, pattern: SCORE_PATTERN },
  { name: 'diemkttralai', type: 'varchar', length: 4, required: false, pattern: SCORE_PATTERN },
  { name: 'nxetmonhoc', type: 'varchar', length: 2000, required: false },
  { name: 'gvbm', type: 'varchar', length: 150, required: true },
  { name: 'soddcngvbm', type: 'varchar', length: 12, required: true, pattern: DIGITS_12 },
] as const satisfies readonly FieldSpec[];

/** `thongtinsohocbasothcsthpt_quatrinhhoctap`: the pupil's earlier years and schools. */
export const QUATRINHHOCTAP_FIELDS = [
  { name: 'namhoc', type: 'varchar', length: 9, required: true, pattern: '[0-9]{4}-[0-9]{4}' },
  { name: 'tenlop', type: 'varchar', length: 100, required: true },
  { name: 'tentruong', type: 'varchar', length: 250, required: true },
  { name: 'tentinh', type: 'varchar', length: 150, required: true },
  { name: 'ngaytrangthaichuyenden', type: 'varchar', length: 10, required: false, pattern: '[0-9]{4}-[0-9]{2}-[0-9]{2}' },
] as const satisfies readonly FieldSpec[];

/** `thongtinsohocbasothcsthpt_chungchi`. */
export const CHUNGCHI_FIELDS = [
  { name: 'tenchungchi', type: 'varchar', length: 150, required: false },
  { name: 'loaichungchi', type: 'varchar', length: 500, required: false },
] as const satisfies readonly FieldSpec[];

/**
 * Fields a mapped record (or one of its child rows) may carry that the document leaves to the envelope
 * (see the file comment). The record's own `idbanghi` is a document field; the child rows' are not.
 */
export const ENVELOPE_FIELDS: ReadonlySet<string> = new Set([
  'keythongtinsohocbasothcsthpt',
  'keythongtinsohocbasothcsthpt_bangdiem',
  'keythongtinsohocbasothcsthpt_quatrinhhoctap',
  'keythongtinsohocbasothcsthpt_chungchi',
  'idbanghi',
  'sukien',
  'phienban',
  'thoigiancapnhat',
  'ngaycapnhat',
]);

type ValueOf<S> = S extends { type: 'boolean' } ? 0 | 1 : S extends { type: 'int' | 'double' } ? number : string;

/** The record type a spec list describes: required fields present, the others optional. */
export type RecordOf<T extends readonly FieldSpec[]> = {
  -readonly [S in T[number] as S extends { required: true } ? S['name'] : never]: ValueOf<S>;
} & {
  -readonly [S in T[number] as S extends { required: true } ? never : S['name']]?: ValueOf<S>;
};

export type BangDiemMon = RecordOf<typeof BANGDIEM_FIELDS>;
export type QuaTrinhHocTap = RecordOf<typeof QUATRINHHOCTAP_FIELDS>;
export type ChungChi = RecordOf<typeof CHUNGCHI_FIELDS>;

/** One pupil's secondary school record for one school and school year, as the document carries it. */
export type HocBaThcsThpt = RecordOf<typeof HOCBA_FIELDS> & {
  bangdiem: BangDiemMon[];
  quatrinhhoctap: QuaTrinhHocTap[];
  chungchi: ChungChi[];
};

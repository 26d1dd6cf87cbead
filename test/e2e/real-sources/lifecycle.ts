/**
 * A diploma's whole life on a college database nobody here designed, the same story on PostgreSQL
 * and on MariaDB (lifecycle.*.e2e.test.ts give the database): Vietnamese quoted identifiers, dates
 * as 'dd/mm/yyyy' text, statuses as words, correction decisions and reissues in tables of their own.
 * A college diploma with its exam course and council (khoathi, hoidongthi); a correction held back
 * without its decision, then sent once the decision is entered (phienban + 1 exactly, with
 * ThongTinHieuChinh); a second correction (+1 again); a revocation (CANCEL); a reissue of a lost
 * diploma (the original's idbanghi, phienban + 1).
 */
import { expect } from 'vitest';
import type { RealHub } from './hub.js';
import { cli, entriesFor, makeRealWorkspace, reconcile, status, type RealDriver } from './workspace.js';

/** How the story reaches one database: SQL is written with "double-quoted" identifiers. */
export interface LifecycleDb {
  driver: RealDriver;
  /** the URL the CLI reads, through the environment */
  sourceUrl: string;
  /** a table's name as the story writes it ("double-quoted") */
  table(name: string): string;
  /** SQL written with "double-quoted" identifiers, as this database quotes them */
  quoted(text: string): string;
  /** creates the tables (dropping earlier ones) */
  create(): Promise<void>;
  /** runs one statement; "identifiers" are quoted the database's way */
  sql(text: string, params?: unknown[]): Promise<void>;
  /** a placeholder for the n-th parameter (1-based) */
  param(n: number): string;
  /** sets a diploma's change time to `ms` (and a few microseconds), as the college's triggers write it */
  touch(id: number, ms: number): Promise<void>;
  /** the change time of a diploma first written, in the column's own form */
  firstChangeTime: string;
  /** the join of each diploma's latest correction decision, as `hc` */
  latestDecisionJoin: string;
  /** the text types of this database: a long text, a uuid and a change time column */
  types: { text: string; uuid: string; changedAt: string; id: string };
}

export function lifecycleDdl(db: LifecycleDb): string[] {
  const { text, uuid, changedAt, id } = db.types;
  return [
    `CREATE TABLE ${db.table('văn_bằng')} ("mã_vb" ${id} PRIMARY KEY, "mã_sv" ${text}, "họ_tên" ${text}, "ngày_sinh" ${text}, "giới_tính" ${text}, "dân_tộc" ${text},
       "số_cccd" ${text}, "nơi_sinh" ${text}, "tên_bằng" ${text}, "hình_thức" ${text}, "xếp_loại" ${text}, "năm_tn" smallint, "khóa_thi" ${text}, "hội_đồng_thi" ${text},
       "số_qđ" ${text}, "ngày_qđ" ${text}, "số_hiệu" ${text}, "số_vào_sổ" ${text}, "ngày_cấp" date, "mã_định_danh" ${uuid}, "người_ký" ${text}, "cccd_người_ký" ${text},
       "chức_vụ" ${text}, "trạng_thái" ${text} NOT NULL, "cập_nhật_lúc" ${changedAt} NOT NULL)`,
    `CREATE TABLE ${db.table('quyết_định_hiệu_chỉnh')} ("mã_vb" ${id}, "lần" integer, "số_qđ_hc" ${text}, "ngày_qđ_hc" ${text}, "người_ký_hc" ${text},
       "cccd_người_ký_hc" ${text}, "chức_vụ_hc" ${text}, "lý_do" ${text}, PRIMARY KEY ("mã_vb", "lần"))`,
    `CREATE TABLE ${db.table('cấp_lại')} ("mã_vb" ${id} PRIMARY KEY, "số_hiệu_gốc" ${text} NOT NULL)`,
  ];
}

/** The job's SELECT, every column renamed with AS to what the mapping reads. */
export function lifecycleQuery(db: LifecycleDb): string {
  return db.quoted(`SELECT vb."mã_vb" AS diploma_id, vb."cập_nhật_lúc" AS updated_at, vb."mã_sv" AS student_code, vb."họ_tên" AS full_name,
       vb."ngày_sinh" AS birth_date, vb."giới_tính" AS gender, vb."dân_tộc" AS ethnicity, vb."số_cccd" AS national_id,
       vb."nơi_sinh" AS birth_place, vb."tên_bằng" AS degree_name, vb."hình_thức" AS training_mode, vb."xếp_loại" AS classification,
       vb."năm_tn" AS graduation_year, vb."khóa_thi" AS exam_course, vb."hội_đồng_thi" AS exam_council,
       vb."số_qđ" AS decision_no, vb."ngày_qđ" AS decision_date, vb."số_hiệu" AS serial_no, vb."số_vào_sổ" AS register_no,
       vb."ngày_cấp" AS issue_date, vb."mã_định_danh" AS diploma_uuid, vb."người_ký" AS signer_name,
       vb."cccd_người_ký" AS signer_national_id, vb."chức_vụ" AS signer_title,
       CASE vb."trạng_thái" WHEN 'Đã cấp' THEN '1' WHEN 'Thu hồi' THEN '2' WHEN 'Hủy' THEN '3' WHEN 'Cải chính' THEN '4' ELSE vb."trạng_thái" END AS status,
       hc."số_qđ_hc" AS correction_decision_no, hc."ngày_qđ_hc" AS correction_decision_date, hc."người_ký_hc" AS correction_signer_name,
       hc."cccd_người_ký_hc" AS correction_signer_national_id, hc."chức_vụ_hc" AS correction_signer_title, hc."lý_do" AS correction_reason,
       cl."số_hiệu_gốc" AS original_serial_no
FROM ${db.table('văn_bằng')} vb
${db.latestDecisionJoin}
LEFT JOIN ${db.table('cấp_lại')} cl ON cl."mã_vb" = vb."mã_vb"
WHERE vb."cập_nhật_lúc" > :watermark
ORDER BY vb."cập_nhật_lúc", vb."mã_vb"`);
}

/** three college graduates: born 2003, graduated 2025, one national id each (male, 2000s) */
function diploma(db: LifecycleDb, id: number, serial: string): unknown[] {
  return [
    id, `CD22${id}`, ['Nguyễn Văn Khánh', 'Trần Minh Đức', 'Lê Quốc Bảo'][id - 1], '14/03/2003', 'Nam', 'Kinh', `0012030000${String(id).padStart(2, '0')}`,
    'Hà Nội', 'Bằng tốt nghiệp cao đẳng', 'Chính quy', 'Khá', 2025, 'Khóa 2022-2025', 'Hội đồng thi tốt nghiệp Trường Cao đẳng Kiểm Thử',
    '88/QĐ-CĐKT', '20/06/2025', serial, `SV-2025-${id}`, '2025-06-28', `6f1c2d3e-4b5a-4c6d-8e7f-00000000000${id}`, 'Lê Văn Kiểm', '001175000456', 'Hiệu trưởng',
    'Đã cấp', db.firstChangeTime,
  ];
}

/** The whole story through the built CLI; answers the installation's folder (to remove). */
export async function diplomaLifeStory(db: LifecycleDb, hub: RealHub): Promise<string> {
  await db.create();
  for (const [id, serial] of [[1, 'CĐKT-2025-0001'], [2, 'CĐKT-2025-0002'], [3, 'CĐKT-2025-0003']] as const) {
    await db.sql(`INSERT INTO ${db.table('văn_bằng')} VALUES (${Array.from({ length: 25 }, (_, i) => db.param(i + 1)).join(', ')})`, diploma(db, id, serial));
  }
  await hub.start();
  const ws = makeRealWorkspace(db.driver, db.sourceUrl, hub.url, { query: lifecycleQuery(db), mappingOptions: { tentruong: 'Trường Cao đẳng Kiểm Thử', donvicap: 'Trường Cao đẳng Kiểm Thử' } });
  let clock = Date.parse('2025-07-01T09:00:00+07:00');
  const touch = (id: number): Promise<void> => db.touch(id, (clock += 3_600_000));
  const T = (name: string): string => db.table(name);

  // 1. the college diplomas, with their exam course and council
  let r = await cli(ws, 'run', 'diplomas');
  expect(r.code, r.out).toBe(0);
  expect(hub.record('CĐKT-2025-0001')).toMatchObject({ phienban: 1, sukien: 'NEW', data: { khoathi: 'Khóa 2022-2025', hoidongthi: 'Hội đồng thi tốt nghiệp Trường Cao đẳng Kiểm Thử', trangthai: '1' } });

  // 2. marked corrected, the decision not yet entered: held back, reported, nothing sent
  await db.sql(`UPDATE ${T('văn_bằng')} SET "trạng_thái" = 'Cải chính', "ngày_sinh" = '15/03/2003' WHERE "mã_vb" = 1`);
  await touch(1);
  r = await cli(ws, 'run', 'diplomas');
  expect(r.code, r.out).toBe(3);
  expect(hub.record('CĐKT-2025-0001')?.phienban).toBe(1);
  expect((await status(ws)).invalid).toBe(1);
  // the report names the record, the field and the reason
  const { report } = await reconcile(ws);
  const held = JSON.stringify(entriesFor(report, '1'));
  expect(held).toContain('CORRECTION_DECISION_MISSING');
  expect(held).toContain('data.thongtinhieuchinh.soquyetdinhhieuchinh');

  // 3. the decision entered in its own table (the diploma's change time untouched): the record
  //    held back is read again by key and sent once, phienban + 1, with its correction block
  await db.sql(`INSERT INTO ${T('quyết_định_hiệu_chỉnh')} VALUES (1, 1, '12/QĐ-CĐKT-HC', '02/07/2025', 'lê văn kiểm', '001175000456', 'Hiệu trưởng', 'Sai ngày sinh')`);
  r = await cli(ws, 'run', 'diplomas');
  expect(r.code, r.out).toBe(0);
  const corrected = hub.record('CĐKT-2025-0001');
  expect(corrected).toMatchObject({ phienban: 2, sukien: 'UPDATE', data: { trangthai: '4', ngaythangnamsinh: '2003-03-15' } });
  expect(corrected?.data.thongtinhieuchinh).toEqual([
    expect.objectContaining({ soquyetdinhhieuchinh: '12/QĐ-CĐKT-HC', ngayquyetdinhhieuchinh: '2025-07-02', nguoiky_hovaten: 'Lê Văn Kiểm', nguoiky_sodinhdanh: '001175000456', nguoiky_chucdanh: 'Hiệu trưởng', nguoiky_lydohieuchinh: 'Sai ngày sinh' }),
  ]);
  expect((await status(ws)).invalid).toBe(0);

  // 4. a second correction: phienban + 1 again, exactly; a run with nothing new changes nothing
  await db.sql(`INSERT INTO ${T('quyết_định_hiệu_chỉnh')} VALUES (1, 2, '19/QĐ-CĐKT-HC', '10/07/2025', 'Lê Văn Kiểm', '001175000456', 'Hiệu trưởng', 'Sai nơi sinh')`);
  await db.sql(`UPDATE ${T('văn_bằng')} SET "nơi_sinh" = 'Thành phố Hà Nội' WHERE "mã_vb" = 1`);
  await touch(1);
  r = await cli(ws, 'run', 'diplomas');
  expect(r.code, r.out).toBe(0);
  expect(hub.record('CĐKT-2025-0001')).toMatchObject({ phienban: 3, data: { thongtinhieuchinh: [expect.objectContaining({ soquyetdinhhieuchinh: '19/QĐ-CĐKT-HC' })] } });
  r = await cli(ws, 'run', 'diplomas', '--full-refresh');
  expect(r.code, r.out).toBe(0);
  expect(hub.record('CĐKT-2025-0001')?.phienban).toBe(3);
  const first = hub.sim.acceptanceCounts('vanbangchungchi').find((a) => a.phienban === 3)?.idbanghi ?? '';
  expect(hub.sim.history('vanbangchungchi', first).map((h) => h.phienban)).toEqual([1, 2, 3]);

  // 5. revoked: a CANCEL at the hub
  await db.sql(`UPDATE ${T('văn_bằng')} SET "trạng_thái" = 'Thu hồi' WHERE "mã_vb" = 2`);
  await touch(2);
  r = await cli(ws, 'run', 'diplomas');
  expect(r.code, r.out).toBe(0);
  expect(hub.record('CĐKT-2025-0002')).toMatchObject({ phienban: 2, sukien: 'CANCEL', data: { trangthai: '2' } });

  // 6. the paper diploma lost and reissued under a new serial: the same national record, updated
  await db.sql(`INSERT INTO ${T('cấp_lại')} VALUES (3, 'CĐKT-2025-0003')`);
  await db.sql(`UPDATE ${T('văn_bằng')} SET "số_hiệu" = 'CĐKT-2025-0913', "số_vào_sổ" = 'SV-2025-913', "ngày_cấp" = '2025-09-01' WHERE "mã_vb" = 3`);
  await touch(3);
  r = await cli(ws, 'run', 'diplomas');
  expect(r.code, r.out).toBe(0);
  // held under the original serial's id, with the new serial in its data
  expect(hub.record('CĐKT-2025-0003')).toMatchObject({ phienban: 2, sukien: 'UPDATE', data: { sohieu: 'CĐKT-2025-0913', sovaosogoc: 'SV-2025-913', ngaycap_ngaythangnam: '2025-09-01' } });
  expect(hub.record('CĐKT-2025-0913')).toBeUndefined();
  expect(hub.count()).toBe(3);
  return ws.dir;
}

/**
 * The people who sign a sample school's records (src/sample/school.ts): its teachers and its
 * principal, read back from the generated SQLite database. The demo starts the remote signing
 * simulator with them; the tests of the remote signing workflow do too.
 */
import Database from 'better-sqlite3';

export interface SampleSchoolSigners {
  school: { code: string; name: string; principal: string; principalId: string };
  /** every teacher with a 12-digit personal id, once (the one who has left too: their key may still exist) */
  teachers: { personalId: string; name: string }[];
}

export function sampleSchoolSigners(schoolDb: string): SampleSchoolSigners {
  const db = new Database(schoolDb, { readonly: true });
  try {
    const school = db.prepare('SELECT ma_truong AS code, ten_truong AS name, ten_hieu_truong AS principal, cccd_hieu_truong AS principalId FROM dm_truong').get() as SampleSchoolSigners['school'];
    const teachers = db.prepare('SELECT DISTINCT so_cccd AS personalId, ho_ten AS name FROM dm_giao_vien WHERE so_cccd IS NOT NULL AND length(so_cccd) = 12').all() as SampleSchoolSigners['teachers'];
    return { school, teachers };
  } finally {
    db.close();
  }
}

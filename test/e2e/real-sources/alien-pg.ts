/**
 * A PostgreSQL university database nobody here designed: schema `e2e_dh`, Vietnamese quoted
 * identifiers, change times as `timestamptz` written with a `+07` offset and microseconds, birth
 * dates as `date`, decision dates as 'dd/mm/yyyy' text, the status in words ('Đã cấp', 'Hủy').
 * The job that reads it is fixtures/diplomas.postgres.yaml. This is test tooling: it writes,
 * with the URL as given.
 */
import pg from 'pg';
import { ddmmyyyy, vietnamTimestamptz, type AlienSchoolData } from './graduates.js';

export const PG_SCHEMA = 'e2e_dh';

const DDL = [
  `CREATE SCHEMA ${PG_SCHEMA}`,
  `CREATE TABLE ${PG_SCHEMA}."ngành_học" ("mã_ngành" integer PRIMARY KEY, "tên_ngành" text NOT NULL, "tên_văn_bằng" text NOT NULL, "hình_thức_đào_tạo" text NOT NULL)`,
  `CREATE TABLE ${PG_SCHEMA}."quyết_định_tốt_nghiệp" ("mã_qđ" integer PRIMARY KEY, "số_qđ" text NOT NULL, "ngày_qđ" text NOT NULL,
     "người_ký" text NOT NULL, "cccd_người_ký" text NOT NULL, "chức_vụ" text NOT NULL)`,
  `CREATE TABLE ${PG_SCHEMA}."sinh_viên" ("mã_sv" text PRIMARY KEY, "họ_và_tên" text NOT NULL, "ngày_sinh" date, "giới_tính" text,
     "dân_tộc" text, "số_cccd" text, "nơi_sinh" text, "mã_tỉnh" text, "mã_xã" text, "mã_ngành" integer REFERENCES ${PG_SCHEMA}."ngành_học")`,
  `CREATE TABLE ${PG_SCHEMA}."văn_bằng" ("mã_vb" bigint PRIMARY KEY, "mã_sv" text NOT NULL REFERENCES ${PG_SCHEMA}."sinh_viên",
     "mã_qđ" integer NOT NULL REFERENCES ${PG_SCHEMA}."quyết_định_tốt_nghiệp", "số_hiệu" text NOT NULL, "số_vào_sổ" text,
     "xếp_loại" text, "năm_tốt_nghiệp" smallint, "ngày_cấp" date, "mã_định_danh" uuid, "trạng_thái" text NOT NULL,
     "thời_điểm_cập_nhật" timestamptz(6) NOT NULL)`,
];

export async function withPg<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropPgAlienSchool(url: string): Promise<void> {
  await withPg(url, (c) => c.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`));
}

/** Drops and re-creates schema e2e_dh with `data` in it. */
export async function createPgAlienSchool(url: string, data: AlienSchoolData): Promise<void> {
  await dropPgAlienSchool(url);
  await withPg(url, async (c) => {
    await c.query('BEGIN');
    for (const sql of DDL) await c.query(sql);
    for (const p of data.programmes) {
      await c.query(`INSERT INTO ${PG_SCHEMA}."ngành_học" VALUES ($1, $2, $3, $4)`, [p.programmeId, p.programmeName, p.degreeName, p.trainingMode]);
    }
    for (const d of data.decisions) {
      await c.query(`INSERT INTO ${PG_SCHEMA}."quyết_định_tốt_nghiệp" VALUES ($1, $2, $3, $4, $5, $6)`, [
        d.decisionId,
        d.decisionNo,
        ddmmyyyy(d.decisionDate),
        d.signerName,
        d.signerNationalId,
        d.signerTitle,
      ]);
    }
    for (const g of data.graduates) {
      await c.query(`INSERT INTO ${PG_SCHEMA}."sinh_viên" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
        g.studentCode,
        g.fullName,
        g.birthDate,
        g.gender,
        g.ethnicity,
        g.nationalId,
        g.birthPlace,
        g.provinceCode,
        g.wardCode,
        g.programme.programmeId,
      ]);
      await c.query(`INSERT INTO ${PG_SCHEMA}."văn_bằng" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [
        g.id,
        g.studentCode,
        g.decision.decisionId,
        g.serialNo,
        g.registerNo,
        g.classification,
        g.graduationYear,
        g.issueDate,
        g.diplomaUuid,
        g.statusText,
        vietnamTimestamptz(g.changedAtMs, g.changedAtMicros),
      ]);
    }
    await c.query('COMMIT');
  });
}

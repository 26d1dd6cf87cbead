/**
 * A MariaDB/MySQL university database of another design: database `e2e_truong` (utf8mb4),
 * backquoted Vietnamese identifiers, change times as `DATETIME(6)` in Vietnam wall-clock time,
 * the issue date as a `TIMESTAMP`, birth dates as 'dd/mm/yyyy' text, a `YEAR` column and the
 * status in words. The job that reads it is fixtures/diplomas.mariadb.yaml. Test tooling: it
 * writes, as root.
 */
import mysql from 'mysql2/promise';
import { ddmmyyyy, vietnamLocal, type AlienSchoolData } from './graduates.js';

export const MYSQL_DATABASE = 'e2e_truong';

/** the server URL given (…/test) pointed at the test's own database */
export function mysqlDatabaseUrl(serverUrl: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${MYSQL_DATABASE}`;
  return u.toString();
}

const DDL = [
  `CREATE TABLE \`chuyên_ngành\` (\`mã\` INT PRIMARY KEY, \`tên\` VARCHAR(200) NOT NULL, \`văn_bằng\` VARCHAR(100) NOT NULL, \`hệ\` VARCHAR(50) NOT NULL)`,
  `CREATE TABLE \`quyết_định\` (\`mã_qđ\` INT PRIMARY KEY, \`số\` VARCHAR(50) NOT NULL, \`ngày_ký\` DATE NOT NULL,
     \`người_ký\` VARCHAR(100) NOT NULL, \`cccd_người_ký\` CHAR(12) NOT NULL, \`chức_vụ\` VARCHAR(100) NOT NULL)`,
  `CREATE TABLE \`người_học\` (\`mã_người_học\` INT PRIMARY KEY, \`mã_số\` VARCHAR(20) NOT NULL, \`họ_tên\` VARCHAR(100) NOT NULL,
     \`ngày_sinh\` VARCHAR(10), \`giới_tính\` VARCHAR(5), \`dân_tộc\` VARCHAR(50), \`cccd\` VARCHAR(12), \`quê_quán\` VARCHAR(300),
     \`tỉnh\` VARCHAR(3), \`xã\` VARCHAR(5), \`mã_ngành\` INT NOT NULL)`,
  `CREATE TABLE \`bằng_cấp\` (\`mã_bằng\` INT PRIMARY KEY, \`mã_người_học\` INT NOT NULL, \`mã_qđ\` INT NOT NULL,
     \`số_hiệu\` VARCHAR(30) NOT NULL, \`số_vào_sổ\` VARCHAR(30), \`xếp_loại\` VARCHAR(30), \`năm_tn\` YEAR,
     \`ngày_cấp\` TIMESTAMP NULL, \`mã_định_danh\` CHAR(36), \`tình_trạng\` VARCHAR(20) NOT NULL,
     \`sửa_đổi_lúc\` DATETIME(6) NOT NULL, KEY (\`sửa_đổi_lúc\`, \`mã_bằng\`))`,
];

export async function withMysql<T>(url: string, fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const c = await mysql.createConnection({ uri: url, charset: 'utf8mb4', multipleStatements: false });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function dropMysqlAlienSchool(serverUrl: string): Promise<void> {
  await withMysql(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS \`${MYSQL_DATABASE}\``));
}

/** Drops and re-creates database e2e_truong with `data` in it. */
export async function createMysqlAlienSchool(serverUrl: string, data: AlienSchoolData): Promise<void> {
  await dropMysqlAlienSchool(serverUrl);
  await withMysql(serverUrl, (c) => c.query(`CREATE DATABASE \`${MYSQL_DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
  await withMysql(mysqlDatabaseUrl(serverUrl), async (c) => {
    for (const sql of DDL) await c.query(sql);
    await c.beginTransaction();
    await c.query('INSERT INTO `chuyên_ngành` VALUES ?', [data.programmes.map((p) => [p.programmeId, p.programmeName, p.degreeName, p.trainingMode])]);
    await c.query('INSERT INTO `quyết_định` VALUES ?', [
      data.decisions.map((d) => [d.decisionId, d.decisionNo, d.decisionDate, d.signerName, d.signerNationalId, d.signerTitle]),
    ]);
    await c.query('INSERT INTO `người_học` VALUES ?', [
      data.graduates.map((g) => [
        g.id,
        g.studentCode,
        g.fullName,
        ddmmyyyy(g.birthDate),
        g.gender,
        g.ethnicity,
        g.nationalId,
        g.birthPlace,
        g.provinceCode,
        g.wardCode,
        g.programme.programmeId,
      ]),
    ]);
    await c.query('INSERT INTO `bằng_cấp` VALUES ?', [
      data.graduates.map((g) => [
        g.id,
        g.id,
        g.decision.decisionId,
        g.serialNo,
        g.registerNo,
        g.classification,
        g.graduationYear,
        `${g.issueDate} 09:00:00`,
        g.diplomaUuid,
        g.statusText,
        vietnamLocal(g.changedAtMs, g.changedAtMicros),
      ]),
    ]);
    await c.commit();
  });
}

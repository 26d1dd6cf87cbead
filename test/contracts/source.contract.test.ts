import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { plugins } from '../../src/plugins.js';
import { sourceContract, type ContractRow, type SourceSetup } from './source.contract.js';

/**
 * The sql source over every database the machine has: SQLite always, PostgreSQL and MariaDB when
 * LIENTHONG_TEST_PG / LIENTHONG_TEST_MYSQL are set. Each run stores the contract's rows in a
 * table of its own (`contract_…`) and drops it afterwards.
 */

const sql = plugins.source('sql')!;

interface Database_ {
  driver: 'sqlite' | 'postgres' | 'mysql';
  url: string;
  /** runs one statement with an admin connection */
  exec(statement: string): Promise<void>;
  end(): Promise<void>;
  textType: string;
  timestampType: string;
  /** a WHERE clause over table `t` that fails for each row it is evaluated on (and so never when no row is read) */
  poison(table: string): string;
}

function streamsOver(table: string, db: Database_): Record<string, unknown>[] {
  return [
    { name: 'rows', query: `SELECT id, name, updated_at FROM ${table} WHERE updated_at > :watermark ORDER BY updated_at, id`, keyFields: ['id'], cursorField: 'updated_at', lookback: 0 },
    { name: 'unreadable', query: `SELECT id, name, updated_at FROM ${table} WHERE ${db.poison(table)}`, keyFields: ['id'] },
    { name: 'broken', query: `SELECT id FROMM ${table}`, keyFields: ['id'] },
  ];
}

async function setUpSql(db: Database_, rows: readonly ContractRow[]): Promise<SourceSetup> {
  const table = `contract_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
  await db.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, name ${db.textType} NOT NULL, updated_at ${db.timestampType} NOT NULL)`);
  await db.exec(`INSERT INTO ${table} (id, name, updated_at) VALUES ${rows.map((r) => `(${r.id}, ${literal(r.name)}, ${literal(r.updatedAt)})`).join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'lt-source-contract-'));
  return {
    config: { driver: db.driver, url: db.url },
    context: { name: `contract: connections.${db.driver}`, baseDir: dir, dataDir: dir },
    streams: streamsOver(table, db),
    rename: (id, name) => db.exec(`UPDATE ${table} SET name = ${literal(name)} WHERE id = ${id}`),
    async tearDown() {
      await db.exec(`DROP TABLE IF EXISTS ${table}`);
      await db.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

sourceContract({
  name: 'sql on SQLite',
  plugin: sql,
  setUp(rows) {
    const dir = mkdtempSync(join(tmpdir(), 'lt-source-contract-sqlite-'));
    const file = join(dir, 'source.sqlite');
    const admin = new Database(file);
    return setUpSql(
      {
        driver: 'sqlite',
        url: file,
        exec: async (statement) => {
          admin.exec(statement);
        },
        end: async () => {
          admin.close();
          rmSync(dir, { recursive: true, force: true });
        },
        textType: 'TEXT',
        timestampType: 'DATETIME',
        // SQLite forgives most things per row (1/0 is NULL); malformed JSON it does not
        poison: () => `json_extract('x' || id, '$') IS NULL`,
      },
      rows,
    );
  },
});

const pgUrl = process.env.LIENTHONG_TEST_PG;
if (pgUrl) {
  sourceContract({
    name: 'sql on PostgreSQL',
    plugin: sql,
    async setUp(rows) {
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      return setUpSql(
        {
          driver: 'postgres',
          url: pgUrl,
          exec: async (statement) => {
            await admin.query(statement);
          },
          end: () => admin.end(),
          textType: 'TEXT',
          timestampType: 'TIMESTAMP',
          // a correlated subquery that finds several rows: an error at each row, none at planning
          poison: (table) => `name = (SELECT u.name FROM ${table} u WHERE u.id <> ${table}.id)`,
        },
        rows,
      );
    },
  });
}

const mysqlUrl = process.env.LIENTHONG_TEST_MYSQL;
if (mysqlUrl) {
  sourceContract({
    name: 'sql on MySQL/MariaDB',
    plugin: sql,
    async setUp(rows) {
      const admin = await mysql.createConnection({ uri: mysqlUrl, charset: 'UTF8MB4_UNICODE_CI' });
      return setUpSql(
        {
          driver: 'mysql',
          url: mysqlUrl,
          exec: async (statement) => {
            await admin.query(statement);
          },
          end: () => admin.end(),
          textType: 'VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin',
          timestampType: 'DATETIME',
          // MariaDB forgives bad JSON and 1/0 per row; a scalar subquery with several rows it does not
          poison: (table) => `name = (SELECT u.name FROM ${table} u WHERE u.id <> ${table}.id)`,
        },
        rows,
      );
    },
  });
}

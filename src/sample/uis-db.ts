/**
 * Where the sample UIS is written: a SQLite file, or a PostgreSQL/MySQL database given by URL.
 * A thin writer over the three clients: run DDL, insert rows in multi-row batches, read back.
 * This is test tooling, not a connector: it writes, and it connects with the URL as given.
 */
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { uisTableNames, type UisDialect, type UisNaming, type UisTableNames } from './uis-schema.js';

export type UisTarget =
  | { driver: 'sqlite'; path: string; prefix?: string }
  | { driver: 'postgres' | 'mysql'; url: string; schema?: string; prefix?: string };

type SqlValue = string | number | null;

export interface UisDb {
  readonly dialect: UisDialect;
  readonly tables: UisTableNames;
  readonly naming: UisNaming;
  exec(sql: string): Promise<void>;
  /** `?` placeholders in every dialect */
  query<T>(sql: string, params?: SqlValue[]): Promise<T[]>;
  run(sql: string, params?: SqlValue[]): Promise<void>;
  insert(table: string, columns: readonly string[], rows: SqlValue[][]): Promise<void>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  close(): Promise<void>;
}

export function targetNaming(target: UisTarget): UisNaming {
  return target.driver === 'sqlite' ? { prefix: target.prefix } : { schema: target.schema, prefix: target.prefix };
}

export async function openUisDb(target: UisTarget): Promise<UisDb> {
  const naming = targetNaming(target);
  const tables = uisTableNames(naming);
  switch (target.driver) {
    case 'sqlite':
      return openSqlite(target.path, naming, tables);
    case 'postgres':
      return openPostgres(target.url, naming, tables);
    case 'mysql':
      return openMysql(target.url, naming, tables);
  }
}

function openSqlite(path: string, naming: UisNaming, tables: UisTableNames): UisDb {
  const db = new Database(path);
  // sample data: speed over durability while generating (a crash just means generating again)
  db.pragma('journal_mode = DELETE');
  db.pragma('synchronous = OFF');
  const statements = new Map<string, Database.Statement<SqlValue[]>>();
  return {
    dialect: 'sqlite',
    tables,
    naming,
    exec: async (sql) => {
      db.exec(sql);
    },
    query: async <T>(sql: string, params: SqlValue[] = []) => db.prepare<SqlValue[], T>(sql).all(...params),
    run: async (sql, params = []) => {
      db.prepare(sql).run(...params);
    },
    insert: async (table, columns, rows) => {
      const key = `${table}(${columns.join(',')})`;
      let statement = statements.get(key);
      if (!statement) {
        statement = db.prepare<SqlValue[]>(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
        statements.set(key, statement);
      }
      for (const row of rows) statement.run(...row);
    },
    begin: async () => {
      db.exec('BEGIN');
    },
    commit: async () => {
      db.exec('COMMIT');
    },
    close: async () => {
      db.close();
    },
  };
}

/** `?` → `$1, $2…` (our own SQL has no `?` inside strings) */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

async function openPostgres(url: string, naming: UisNaming, tables: UisTableNames): Promise<UisDb> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  if (naming.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${naming.schema}`);
  return {
    dialect: 'postgres',
    tables,
    naming,
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <T>(sql: string, params: SqlValue[] = []) => (await client.query(numbered(sql), params)).rows as T[],
    run: async (sql, params = []) => {
      await client.query(numbered(sql), params);
    },
    insert: async (table, columns, rows) => {
      // at most 65535 parameters per statement
      const perStatement = Math.max(1, Math.floor(30_000 / columns.length));
      for (let start = 0; start < rows.length; start += perStatement) {
        const slice = rows.slice(start, start + perStatement);
        let n = 0;
        const values = slice.map(() => `(${columns.map(() => `$${++n}`).join(', ')})`).join(', ');
        await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, slice.flat());
      }
    },
    begin: async () => {
      await client.query('BEGIN');
    },
    commit: async () => {
      await client.query('COMMIT');
    },
    close: async () => {
      await client.end();
    },
  };
}

async function openMysql(url: string, naming: UisNaming, tables: UisTableNames): Promise<UisDb> {
  const conn = await mysql.createConnection({ uri: url, charset: 'UTF8MB4_UNICODE_CI' });
  if (naming.schema) await conn.query(`CREATE DATABASE IF NOT EXISTS ${naming.schema} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  return {
    dialect: 'mysql',
    tables,
    naming,
    exec: async (sql) => {
      await conn.query(sql);
    },
    query: async <T>(sql: string, params: SqlValue[] = []) => {
      const [rows] = await conn.query(sql, params);
      return rows as T[];
    },
    run: async (sql, params = []) => {
      await conn.query(sql, params);
    },
    insert: async (table, columns, rows) => {
      const perStatement = 1000;
      for (let start = 0; start < rows.length; start += perStatement) {
        // mysql2 expands `VALUES ?` with an array of rows into a multi-row insert
        await conn.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [rows.slice(start, start + perStatement)]);
      }
    },
    begin: async () => {
      await conn.query('START TRANSACTION');
    },
    commit: async () => {
      await conn.query('COMMIT');
    },
    close: async () => {
      await conn.end();
    },
  };
}

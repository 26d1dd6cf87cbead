import mysql from 'mysql2';
import type { Readable } from 'node:stream';
import type { ColumnInfo } from '../../../src/core/connector.js';
import { wrapAsDerivedTable } from '../derived-table.js';
import { compileNamedQuery } from '../dialect.js';
import type { DriverOptions, SqlDriver, StreamOptions } from '../driver.js';
import { mysqlColumnType } from '../typed-cursor.js';
import { connectionError, isNetworkError, nativeCode, queryError, StreamGuard, type SqlErrorScope } from '../sql-errors.js';

/** MySQL/MariaDB errors where a later retry can succeed. */
const MYSQL_TRANSIENT = new Set([
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_QUERY_INTERRUPTED',
  'ER_SERVER_SHUTDOWN',
  'ER_NET_READ_INTERRUPTED',
  'ER_NET_WRITE_INTERRUPTED',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);

function isTransient(err: unknown): boolean {
  return isNetworkError(err) || MYSQL_TRANSIENT.has(nativeCode(err));
}

function run(conn: mysql.Connection, sql: string, values: unknown[] = []): Promise<{ rows: unknown; fields: mysql.FieldPacket[] }> {
  return new Promise((resolve, reject) =>
    conn.query({ sql, values }, (err, rows, fields) => (err ? reject(err) : resolve({ rows, fields: (fields ?? []) as mysql.FieldPacket[] }))),
  );
}

/**
 * MySQL and MariaDB through mysql2. Rows are streamed by the protocol itself: the query's object
 * stream pauses the socket when we stop reading (backpressure), so memory holds a few rows.
 * Dates stay strings (dateStrings); DECIMAL and BIGINT beyond 2^53 stay exact strings.
 * The session is read-only and every statement runs in `START TRANSACTION READ ONLY` … `ROLLBACK`:
 * MySQL opens no read-only connection the way SQLite and PostgreSQL do, and a `DELETE` configured
 * by mistake must fail rather than change the school's database.
 */
export class MysqlDriver implements SqlDriver {
  readonly dialect = 'mysql' as const;
  private conn: mysql.Connection | null = null;
  private readonly guard = new StreamGuard();

  constructor(private readonly options: DriverOptions) {}

  private scope(stream?: string): SqlErrorScope {
    return { dialect: this.dialect, url: this.options.url, stream };
  }

  async connect(): Promise<void> {
    if (this.conn) return;
    const conn = mysql.createConnection({
      charset: 'UTF8MB4_UNICODE_CI',
      connectTimeout: this.options.connectTimeoutMs,
      dateStrings: true,
      supportBigNumbers: true,
      // BIGINT: a number when it fits, an exact string when it does not (as the other drivers)
      bigNumberStrings: false,
      // settings given in the URL (?charset=…) win over the defaults above
      uri: this.options.url,
    });
    // a fatal error with no query waiting is emitted here; forget the connection so we reconnect
    conn.on('error', () => {
      if (this.conn === conn) this.conn = null;
    });
    try {
      await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      conn.destroy();
      throw connectionError(err, !isTransient(err), this.scope());
    }
    try {
      await run(conn, 'SET SESSION TRANSACTION READ ONLY');
    } catch (err) {
      conn.destroy();
      throw connectionError(err, !isTransient(err), this.scope());
    }
    this.conn = conn;
  }

  async ping(): Promise<void> {
    const conn = await this.open();
    try {
      await new Promise<void>((resolve, reject) => conn.query('SELECT 1', (err) => (err ? reject(err) : resolve())));
    } catch (err) {
      throw queryError(err, isTransient(err), this.scope());
    }
  }

  async *stream(sql: string, params: Record<string, unknown>, options: StreamOptions = {}): AsyncIterable<Record<string, unknown>> {
    const scope = this.scope(options.stream);
    const conn = await this.open();
    const compiled = compileNamedQuery(sql, params, this.dialect);
    this.guard.enter(scope);
    let finished = false;
    let rows: Readable | null = null;
    try {
      try {
        await run(conn, 'START TRANSACTION READ ONLY');
      } catch (err) {
        throw queryError(err, isTransient(err), scope);
      }
      rows = conn.query({ sql: compiled.text, values: compiled.values }).stream({ objectMode: true, highWaterMark: 256 });
      const iterator = rows[Symbol.asyncIterator]() as AsyncIterator<Record<string, unknown>>;
      while (true) {
        options.signal?.throwIfAborted();
        let step: IteratorResult<Record<string, unknown>>;
        try {
          step = await iterator.next();
        } catch (err) {
          throw queryError(err, isTransient(err), scope);
        }
        if (step.done) break;
        yield step.value;
      }
      // the transaction only ever read; a failed ROLLBACK leaves finished false and drops the connection
      await run(conn, 'ROLLBACK').catch((err: unknown) => {
        throw queryError(err, isTransient(err), scope);
      });
      finished = true;
    } finally {
      if (!finished) {
        // the server is still sending the rest of the result and the socket may be paused:
        // drop this connection rather than drain it; the next call opens a fresh one
        rows?.destroy();
        conn.destroy();
        if (this.conn === conn) this.conn = null;
      }
      this.guard.leave();
    }
  }

  async describe(sql: string, params: Record<string, unknown>, options: StreamOptions = {}): Promise<ColumnInfo[]> {
    const scope = this.scope(options.stream);
    const conn = await this.open();
    const compiled = compileNamedQuery(wrapAsDerivedTable(sql, this.dialect, { empty: true }), params, this.dialect);
    this.guard.enter(scope);
    try {
      await run(conn, 'START TRANSACTION READ ONLY');
      const { fields } = await run(conn, compiled.text, compiled.values);
      return fields.map((f) => ({ name: f.name, ...mysqlColumnType(f.columnType ?? f.type ?? -1, f.characterSet, f.decimals) }));
    } catch (err) {
      throw queryError(err, isTransient(err), scope);
    } finally {
      await run(conn, 'ROLLBACK').catch(() => undefined);
      this.guard.leave();
    }
  }

  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    if (!conn) return;
    await new Promise<void>((resolve) => conn.end(() => resolve()));
  }

  private async open(): Promise<mysql.Connection> {
    await this.connect();
    if (!this.conn) throw connectionError(new Error('connection lost'), false, this.scope());
    return this.conn;
  }
}

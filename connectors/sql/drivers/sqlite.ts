import Database from 'better-sqlite3';
import type { ColumnInfo } from '../../../src/core/connector.js';
import { compileNamedQuery } from '../dialect.js';
import type { DriverOptions, SqlDriver, StreamOptions } from '../driver.js';
import { sqliteColumnType } from '../typed-cursor.js';
import { connectionError, nativeCode, queryError, StreamGuard, type SqlErrorScope } from '../sql-errors.js';

/** SQLite codes where waiting and retrying can help (another process holds a lock). */
const SQLITE_TRANSIENT = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_INTERRUPT']);

/**
 * SQLite through better-sqlite3, opened read-only. `Statement.iterate()` steps the statement one
 * row at a time, so a table is never loaded whole. Integers come back as bigint (safeIntegers)
 * and are turned into numbers or strings by the source, so large ids keep every digit.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  private db: Database.Database | null = null;
  private readonly guard = new StreamGuard();

  constructor(private readonly options: DriverOptions) {}

  private scope(stream?: string): SqlErrorScope {
    return { dialect: this.dialect, url: this.options.url, stream };
  }

  async connect(): Promise<void> {
    if (this.db) return;
    try {
      this.db = new Database(this.options.url, {
        readonly: true,
        fileMustExist: true,
        timeout: this.options.connectTimeoutMs,
      });
    } catch (err) {
      // a missing or unreadable file does not fix itself
      throw connectionError(err, !SQLITE_TRANSIENT.has(nativeCode(err)), this.scope());
    }
  }

  async ping(): Promise<void> {
    const db = await this.open();
    try {
      db.prepare('SELECT 1').get();
    } catch (err) {
      // e.g. "file is not a database" only shows on the first read
      throw connectionError(err, !SQLITE_TRANSIENT.has(nativeCode(err)), this.scope());
    }
  }

  async *stream(sql: string, params: Record<string, unknown>, options: StreamOptions = {}): AsyncIterable<Record<string, unknown>> {
    const scope = this.scope(options.stream);
    const db = await this.open();
    const compiled = compileNamedQuery(sql, params, this.dialect);
    this.guard.enter(scope);
    try {
      let statement: Database.Statement<unknown[], Record<string, unknown>>;
      try {
        statement = db.prepare<unknown[], Record<string, unknown>>(compiled.text);
        if (!statement.reader) throw new Error('the statement returns no rows (write a SELECT)');
        statement.safeIntegers(true);
      } catch (err) {
        throw queryError(err, SQLITE_TRANSIENT.has(nativeCode(err)), scope);
      }
      const rows = statement.iterate(...compiled.values.map(toSqliteValue));
      try {
        while (true) {
          options.signal?.throwIfAborted();
          let step: IteratorResult<Record<string, unknown>>;
          try {
            step = rows.next();
          } catch (err) {
            throw queryError(err, SQLITE_TRANSIENT.has(nativeCode(err)), scope);
          }
          if (step.done) break;
          yield step.value;
        }
      } finally {
        // frees the statement when the consumer stops early, so the connection is usable again
        rows.return?.();
      }
    } finally {
      this.guard.leave();
    }
  }

  /** SQLite describes a prepared statement without running it: names and declared types. */
  async describe(sql: string, params: Record<string, unknown>, options: StreamOptions = {}): Promise<ColumnInfo[]> {
    const db = await this.open();
    const compiled = compileNamedQuery(sql, params, this.dialect);
    try {
      const statement = db.prepare(compiled.text);
      if (!statement.reader) throw new Error('the statement returns no rows (write a SELECT)');
      return statement.columns().map((c) => ({ name: c.name, ...sqliteColumnType(c.type) }));
    } catch (err) {
      throw queryError(err, SQLITE_TRANSIENT.has(nativeCode(err)), this.scope(options.stream));
    }
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = null;
  }

  private async open(): Promise<Database.Database> {
    await this.connect();
    if (!this.db) throw connectionError(new Error('not connected'), false, this.scope());
    return this.db;
  }
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null only. */
function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

import mssql from 'mssql';
import type { ColumnInfo } from '../../../src/core/connector.js';
import { wrapAsDerivedTable } from '../derived-table.js';
import { compileNamedQuery } from '../dialect.js';
import type { DriverOptions, SqlDriver, StreamOptions } from '../driver.js';
import { mssqlColumnType } from '../typed-cursor.js';
import { PushQueue } from '../push-queue.js';
import { connectionError, isNetworkError, nativeCode, queryError, StreamGuard, type SqlErrorScope } from '../sql-errors.js';

/** SQL Server error numbers worth retrying: deadlock victim, timeout, lock timeout, database being recovered. */
const MSSQL_TRANSIENT_NUMBERS = new Set([-2, 1205, 1222, 40197, 40501, 40613, 49918, 49919, 49920]);
const MSSQL_TRANSIENT_CODES = new Set(['ETIMEOUT', 'ESOCKET', 'ECONNCLOSED', 'ECONNRESET']);

function isTransient(err: unknown): boolean {
  const number = (err as { number?: unknown } | null)?.number;
  return (
    isNetworkError(err) || MSSQL_TRANSIENT_CODES.has(nativeCode(err)) || (typeof number === 'number' && MSSQL_TRANSIENT_NUMBERS.has(number))
  );
}

/**
 * SQL Server through `mssql` (tedious). With `request.stream = true` the request emits one 'row'
 * event per row; a PushQueue turns them into an async iterator and pauses the request when the
 * reader falls behind. The URL may be `mssql://user:pass@host:1433/db?encrypt=true` or an ADO string.
 * SQL Server has no read-only transaction: each statement runs in a transaction that is always
 * rolled back, so nothing it could change survives (the static guard refuses such statements first).
 */
export class MssqlDriver implements SqlDriver {
  readonly dialect = 'mssql' as const;
  private pool: mssql.ConnectionPool | null = null;
  private readonly guard = new StreamGuard();

  constructor(private readonly options: DriverOptions) {}

  private scope(stream?: string): SqlErrorScope {
    return { dialect: this.dialect, url: this.options.url, stream };
  }

  async connect(): Promise<void> {
    if (this.pool) return;
    const pool = new mssql.ConnectionPool(this.options.url);
    pool.on('error', () => {
      if (this.pool === pool) this.pool = null;
    });
    try {
      await pool.connect();
    } catch (err) {
      await pool.close().catch(() => undefined);
      // ELOGIN (bad credentials, unknown database) will not fix itself
      throw connectionError(err, !isTransient(err) || nativeCode(err) === 'ELOGIN', this.scope());
    }
    this.pool = pool;
  }

  async ping(): Promise<void> {
    const pool = await this.open();
    try {
      await pool.request().query('SELECT 1 AS ok');
    } catch (err) {
      throw queryError(err, isTransient(err), this.scope());
    }
  }

  async *stream(sql: string, params: Record<string, unknown>, options: StreamOptions = {}): AsyncIterable<Record<string, unknown>> {
    const scope = this.scope(options.stream);
    const pool = await this.open();
    const compiled = compileNamedQuery(sql, params, this.dialect);
    this.guard.enter(scope);
    const transaction = new mssql.Transaction(pool);
    let begun = false;
    try {
      try {
        await transaction.begin();
        begun = true;
      } catch (err) {
        throw queryError(err, isTransient(err), scope);
      }
      const request = new mssql.Request(transaction);
      request.stream = true;
      for (const [name, value] of Object.entries(compiled.bindings)) request.input(name, value);
      const queue = new PushQueue<Record<string, unknown>>(
        { pause: () => request.pause(), resume: () => request.resume(), cancel: () => request.cancel() },
        Math.max(16, this.options.fetchSize),
      );
      const done = new Promise<void>((resolve) => request.on('done', () => resolve()));
      request.on('row', (row: Record<string, unknown>) => queue.push(row));
      request.on('error', (err: unknown) => queue.fail(queryError(err, isTransient(err), scope)));
      request.on('done', () => queue.end());
      void request.query(compiled.text);
      try {
        for await (const row of queue) {
          options.signal?.throwIfAborted();
          yield row;
        }
      } finally {
        // a cancelled request still ends with 'done'; the transaction can only be rolled back after it
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      }
    } finally {
      if (begun) await this.rollback(transaction, pool);
      this.guard.leave();
    }
  }

  async describe(sql: string, params: Record<string, unknown>, options: StreamOptions = {}): Promise<ColumnInfo[]> {
    const scope = this.scope(options.stream);
    const pool = await this.open();
    const compiled = compileNamedQuery(wrapAsDerivedTable(sql, this.dialect, { empty: true }), params, this.dialect);
    this.guard.enter(scope);
    const transaction = new mssql.Transaction(pool);
    let begun = false;
    try {
      await transaction.begin();
      begun = true;
      const request = new mssql.Request(transaction);
      for (const [name, value] of Object.entries(compiled.bindings)) request.input(name, value);
      const result = await request.query<Record<string, unknown>>(compiled.text);
      return Object.values(result.recordset.columns)
        .sort((a, b) => a.index - b.index)
        .map((c) => {
          const type = c.type as { declaration?: string; name?: string };
          return { name: c.name, ...mssqlColumnType(type.declaration ?? type.name ?? 'unknown', c.scale) };
        });
    } catch (err) {
      throw queryError(err, isTransient(err), scope);
    } finally {
      if (begun) await this.rollback(transaction, pool);
      this.guard.leave();
    }
  }

  /** Rolls back; when that fails the pool is dropped so no connection keeps an open transaction. */
  private async rollback(transaction: mssql.Transaction, pool: mssql.ConnectionPool): Promise<void> {
    try {
      await transaction.rollback();
    } catch {
      if (this.pool === pool) this.pool = null;
      await pool.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close().catch(() => undefined);
  }

  private async open(): Promise<mssql.ConnectionPool> {
    await this.connect();
    if (!this.pool) throw connectionError(new Error('connection lost'), false, this.scope());
    return this.pool;
  }
}

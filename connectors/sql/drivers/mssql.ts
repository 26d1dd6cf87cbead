import mssql from 'mssql';
import { compileNamedQuery } from '../dialect.js';
import type { DriverOptions, SqlDriver, StreamOptions } from '../driver.js';
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
    try {
      const request = pool.request();
      request.stream = true;
      for (const [name, value] of Object.entries(compiled.bindings)) request.input(name, value);
      const queue = new PushQueue<Record<string, unknown>>(
        { pause: () => request.pause(), resume: () => request.resume(), cancel: () => request.cancel() },
        Math.max(16, this.options.fetchSize),
      );
      request.on('row', (row: Record<string, unknown>) => queue.push(row));
      request.on('error', (err: unknown) => queue.fail(queryError(err, isTransient(err), scope)));
      request.on('done', () => queue.end());
      void request.query(compiled.text);
      for await (const row of queue) {
        options.signal?.throwIfAborted();
        yield row;
      }
    } finally {
      this.guard.leave();
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

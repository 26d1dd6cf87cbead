import pg from 'pg';
import type { ColumnInfo } from '../../../src/core/connector.js';
import { wrapAsDerivedTable } from '../derived-table.js';
import { compileNamedQuery } from '../dialect.js';
import type { DriverOptions, SqlDriver, StreamOptions } from '../driver.js';
import { normalizeOffsetSuffix, pgColumnType } from '../typed-cursor.js';
import { connectionError, isNetworkError, nativeCode, queryError, StreamGuard, type SqlErrorScope } from '../sql-errors.js';

const CURSOR = 'lienthong_source_cursor';

/** OIDs whose default JS conversion would lose or shift information. */
const OID = { int8: 20, date: 1082, time: 1083, timestamp: 1114, timestamptz: 1184, timetz: 1266 } as const;

/**
 * Dates stay the text PostgreSQL sent (a JS Date would move a `date` to local midnight and the
 * watermark would drift); timestamps get a 'T' so they match the envelope format, and a
 * timestamptz's offset gets its minutes (`+07` → `+07:00`, as ISO 8601 and the envelope want);
 * int8 becomes a bigint so the source can keep every digit.
 */
function getTypeParser(oid: number, format?: string): (value: string) => unknown {
  switch (oid) {
    case OID.int8:
      return (value) => BigInt(value);
    case OID.date:
    case OID.time:
    case OID.timetz:
      return (value) => value;
    case OID.timestamp:
      return (value) => value.replace(' ', 'T');
    case OID.timestamptz:
      return (value) => normalizeOffsetSuffix(value.replace(' ', 'T'));
    default:
      return pg.types.getTypeParser(oid, (format ?? 'text') as 'text') as (value: string) => unknown;
  }
}

/** SQLSTATE classes where retrying later can succeed: connection, rollback (deadlock), resources, operator, system. */
function isTransientSqlState(code: string): boolean {
  return /^(08|40|53|57|58)/.test(code) || code === '55P03';
}

/**
 * PostgreSQL through `pg`, streaming with a server-side cursor: the SELECT is declared as a cursor
 * in a read-only transaction and read `FETCH fetchSize` rows at a time, so memory holds one batch.
 */
export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  private client: pg.Client | null = null;
  private readonly guard = new StreamGuard();

  constructor(private readonly options: DriverOptions) {}

  private scope(stream?: string): SqlErrorScope {
    return { dialect: this.dialect, url: this.options.url, stream };
  }

  async connect(): Promise<void> {
    if (this.client) return;
    const client = new pg.Client({
      connectionString: this.options.url,
      connectionTimeoutMillis: this.options.connectTimeoutMs,
      application_name: 'lienthong',
      types: { getTypeParser } as pg.CustomTypesConfig,
    });
    // an idle connection that drops emits 'error'; forget it so the next call reconnects
    client.on('error', () => {
      if (this.client === client) this.client = null;
    });
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      const code = nativeCode(err);
      throw connectionError(err, !(isNetworkError(err) || isTransientSqlState(code)), this.scope());
    }
    this.client = client;
  }

  async ping(): Promise<void> {
    const client = await this.open();
    try {
      await client.query('SELECT 1');
    } catch (err) {
      throw this.failure(err);
    }
  }

  async *stream(sql: string, params: Record<string, unknown>, options: StreamOptions = {}): AsyncIterable<Record<string, unknown>> {
    const scope = this.scope(options.stream);
    const client = await this.open();
    const compiled = compileNamedQuery(sql, params, this.dialect);
    this.guard.enter(scope);
    let inTransaction = false;
    try {
      try {
        await client.query('BEGIN READ ONLY');
        inTransaction = true;
        await client.query({ text: `DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${compiled.text}`, values: compiled.values });
      } catch (err) {
        throw this.failure(err, options.stream);
      }
      const fetch = `FETCH ${this.options.fetchSize} FROM ${CURSOR}`;
      while (true) {
        options.signal?.throwIfAborted();
        let batch: pg.QueryResult<Record<string, unknown>>;
        try {
          batch = await client.query<Record<string, unknown>>(fetch);
        } catch (err) {
          throw this.failure(err, options.stream);
        }
        for (const row of batch.rows) yield row;
        if (batch.rows.length < this.options.fetchSize) break;
      }
    } finally {
      // ROLLBACK closes the cursor too; the transaction only ever read
      if (inTransaction) await client.query('ROLLBACK').catch(() => undefined);
      this.guard.leave();
    }
  }

  async describe(sql: string, params: Record<string, unknown>, options: StreamOptions = {}): Promise<ColumnInfo[]> {
    const client = await this.open();
    const compiled = compileNamedQuery(wrapAsDerivedTable(sql, this.dialect, { empty: true }), params, this.dialect);
    this.guard.enter(this.scope(options.stream));
    let inTransaction = false;
    try {
      await client.query('BEGIN READ ONLY');
      inTransaction = true;
      const result = await client.query({ text: compiled.text, values: compiled.values });
      return result.fields.map((f) => ({ name: f.name, ...pgColumnType(f.dataTypeID, f.dataTypeModifier) }));
    } catch (err) {
      throw this.failure(err, options.stream);
    } finally {
      if (inTransaction) await client.query('ROLLBACK').catch(() => undefined);
      this.guard.leave();
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async open(): Promise<pg.Client> {
    await this.connect();
    if (!this.client) throw connectionError(new Error('connection lost'), false, this.scope());
    return this.client;
  }

  private failure(err: unknown, stream?: string): Error {
    const transient = isNetworkError(err) || isTransientSqlState(nativeCode(err));
    return queryError(err, transient, this.scope(stream));
  }
}

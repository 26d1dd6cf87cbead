import oracledb from 'oracledb';
import { ConfigError } from '../../../src/core/errors.js';
import type { ColumnInfo } from '../../../src/core/connector.js';
import { wrapAsDerivedTable } from '../derived-table.js';
import { compileNamedQuery } from '../dialect.js';
import type { DriverOptions, SqlDriver, StreamOptions } from '../driver.js';
import { oracleColumnType } from '../typed-cursor.js';
import { redactUrl } from '../redact-url.js';
import { connectionError, isNetworkError, queryError, StreamGuard, type SqlErrorScope } from '../sql-errors.js';

/**
 * Oracle errors worth retrying: deadlock, lost or refused connections, listener and instance
 * trouble. Bad credentials (ORA-01017), unknown service (ORA-12514) and bad SQL are permanent.
 */
const ORACLE_TRANSIENT = new Set([
  'ORA-00060',
  'ORA-00051',
  'ORA-01033',
  'ORA-01034',
  'ORA-01089',
  'ORA-03113',
  'ORA-03114',
  'ORA-03135',
  'ORA-12170',
  'ORA-12541',
  'ORA-12528',
  'ORA-12537',
  'ORA-12571',
  'NJS-500',
  'NJS-501',
  'NJS-503',
  'NJS-510',
]);

function oracleCode(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const match = /^(ORA-\d{5}|NJS-\d{3}|DPI-\d{4})/.exec(message);
  if (match) return match[1] as string;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function isTransient(err: unknown): boolean {
  return ORACLE_TRANSIENT.has(oracleCode(err)) || isNetworkError(err);
}

/** `oracle://user:pass@host:1521/service` → node-oracledb connection attributes. */
export function oracleConnectAttributes(url: string): oracledb.ConnectionAttributes {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new ConfigError('SQL_URL_INVALID', `oracle url is not a valid URL: ${redactUrl(url)}`, { connector: 'sql', driver: 'oracle' }, { cause: err });
  }
  const service = parsed.pathname.replace(/^\//, '');
  return {
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    connectString: `${parsed.hostname}:${parsed.port || '1521'}${service === '' ? '' : `/${service}`}`,
  };
}

/**
 * Dates and timestamps are fetched as text in these ISO layouts (the session's defaults differ per
 * installation: `30-JUN-25` would be neither readable nor orderable), with every fractional digit.
 */
export const ORACLE_SESSION_FORMATS =
  `ALTER SESSION SET NLS_DATE_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS' NLS_TIMESTAMP_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.FF9' ` +
  `NLS_TIMESTAMP_TZ_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM'`;

const TEXT_FETCHED = new Set<unknown>([
  oracledb.DB_TYPE_DATE,
  oracledb.DB_TYPE_TIMESTAMP,
  oracledb.DB_TYPE_TIMESTAMP_TZ,
  oracledb.DB_TYPE_TIMESTAMP_LTZ,
]);

/**
 * Oracle through node-oracledb (thin mode, no client libraries). `queryStream` reads
 * `fetchArraySize` rows per round trip and is a Readable, so for-await gives backpressure.
 * DATE and TIMESTAMP columns are fetched as strings so no time zone shifts them; column names
 * come back in Oracle's case (usually upper case) and the source matches key fields case-insensitively.
 * Each statement runs in `SET TRANSACTION READ ONLY` and is rolled back.
 */
export class OracleDriver implements SqlDriver {
  readonly dialect = 'oracle' as const;
  private conn: oracledb.Connection | null = null;
  private readonly guard = new StreamGuard();

  constructor(private readonly options: DriverOptions) {}

  private scope(stream?: string): SqlErrorScope {
    return { dialect: this.dialect, url: this.options.url, stream };
  }

  async connect(): Promise<void> {
    if (this.conn) return;
    const attributes = oracleConnectAttributes(this.options.url);
    try {
      const conn = await oracledb.getConnection({ ...attributes, connectTimeout: Math.ceil(this.options.connectTimeoutMs / 1000) });
      try {
        await conn.execute(ORACLE_SESSION_FORMATS);
      } catch (err) {
        await conn.close().catch(() => undefined);
        throw err;
      }
      this.conn = conn;
    } catch (err) {
      throw connectionError(err, !isTransient(err), this.scope());
    }
  }

  async ping(): Promise<void> {
    const conn = await this.open();
    try {
      await conn.execute('SELECT 1 FROM DUAL');
    } catch (err) {
      throw queryError(err, isTransient(err), this.scope());
    }
  }

  async *stream(sql: string, params: Record<string, unknown>, options: StreamOptions = {}): AsyncIterable<Record<string, unknown>> {
    const scope = this.scope(options.stream);
    const conn = await this.open();
    const compiled = compileNamedQuery(sql, params, this.dialect);
    this.guard.enter(scope);
    try {
      await conn.execute('SET TRANSACTION READ ONLY');
    } catch (err) {
      this.guard.leave();
      throw queryError(err, isTransient(err), scope);
    }
    const rows = conn.queryStream<Record<string, unknown>>(compiled.text, compiled.bindings as oracledb.BindParameters, {
      outFormat: oracledb.OUT_FORMAT_OBJECT,
      fetchArraySize: this.options.fetchSize,
      fetchTypeHandler: (meta) => (TEXT_FETCHED.has(meta.dbType) ? { type: oracledb.STRING } : undefined),
    });
    try {
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
    } finally {
      // closes the result set when the reader stops early
      rows.destroy();
      await conn.rollback().catch(() => undefined);
      this.guard.leave();
    }
  }

  async describe(sql: string, params: Record<string, unknown>, options: StreamOptions = {}): Promise<ColumnInfo[]> {
    const scope = this.scope(options.stream);
    const conn = await this.open();
    const compiled = compileNamedQuery(wrapAsDerivedTable(sql, this.dialect, { empty: true }), params, this.dialect);
    this.guard.enter(scope);
    try {
      await conn.execute('SET TRANSACTION READ ONLY');
      const result = await conn.execute(compiled.text, compiled.bindings as oracledb.BindParameters, { outFormat: oracledb.OUT_FORMAT_OBJECT });
      return (result.metaData ?? []).map((m) => ({ name: m.name, ...oracleColumnType(m.dbTypeName ?? 'UNKNOWN', m.scale) }));
    } catch (err) {
      throw queryError(err, isTransient(err), scope);
    } finally {
      await conn.rollback().catch(() => undefined);
      this.guard.leave();
    }
  }

  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    await conn?.close().catch(() => undefined);
  }

  private async open(): Promise<oracledb.Connection> {
    await this.connect();
    if (!this.conn) throw connectionError(new Error('connection lost'), false, this.scope());
    return this.conn;
  }
}

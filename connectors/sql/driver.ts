import type { ColumnInfo } from '../../src/core/connector.js';
import type { Dialect } from './dialect.js';

export interface StreamOptions {
  /** the stream being read, for error messages */
  stream?: string;
  signal?: AbortSignal;
}

/**
 * The little a source needs from a database client. `stream` takes SQL with `:name` parameters
 * (the driver compiles them for its dialect) and must truly stream: rows are fetched in batches
 * or pushed with backpressure, never loaded whole. Only one stream may be open at a time.
 * Drivers throw LienthongErrors: ConfigError (bad credentials, unknown database, bad query) or
 * TransientError (the server may be reachable later).
 *
 * Every statement runs alone inside a read-only transaction (or session) that is always rolled
 * back, so even a statement that got past the static guard cannot change the source.
 */
export interface SqlDriver {
  readonly dialect: Dialect;
  connect(): Promise<void>;
  stream(sql: string, params: Record<string, unknown>, options?: StreamOptions): AsyncIterable<Record<string, unknown>>;
  /** the result columns of `sql` and their types, without reading a row (a `LIMIT 0` wrapper or the driver's metadata) */
  describe(sql: string, params: Record<string, unknown>, options?: StreamOptions): Promise<ColumnInfo[]>;
  /** a cheap round trip (`SELECT 1`) proving the connection works */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DriverOptions {
  /** sqlite: a file path; others: a connection URL */
  url: string;
  fetchSize: number;
  connectTimeoutMs: number;
}

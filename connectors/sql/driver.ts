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
 */
export interface SqlDriver {
  readonly dialect: Dialect;
  connect(): Promise<void>;
  stream(sql: string, params: Record<string, unknown>, options?: StreamOptions): AsyncIterable<Record<string, unknown>>;
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

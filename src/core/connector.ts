import type { CursorType, CursorValue } from './cursor.js';
import type { ErrorKind } from './errors.js';
import type { DeliveryAnswer, EncodedRecord, HeldRecord, SourceRecord, StagedRecord } from './records.js';

export interface CheckResult {
  ok: boolean;
  message: string;
  /** when not ok: what kind of failure (a refused login is 'config', exit 2; a timeout 'transient', exit 1) */
  kind?: ErrorKind;
}

export interface StreamDescriptor {
  name: string;
  /** columns that make the stable source key */
  keyFields: string[];
  /** the watermark column, when the stream can be read incrementally */
  cursorField?: string;
  supportsIncremental: boolean;
}

export interface ReadOptions {
  stream: string;
  mode: 'full' | 'incremental';
  /** the saved watermark of the last complete run (incremental mode); the source steps back its lookback window */
  cursor?: CursorValue | null;
  signal?: AbortSignal;
}

/** One column of a stream's result, as the database describes it before any row is read. */
export interface ColumnInfo {
  name: string;
  /** the database's own type name (`timestamptz`, `datetime`, `varchar`, …), for messages */
  dbType: string;
  /** what a cursor on this column would be; undefined when it cannot be a cursor (binary, JSON…) */
  cursorType?: CursorType;
}

/** What a source's query gives, found without reading a row (`LIMIT 0` or the driver's metadata). */
export interface ProbeResult {
  stream: string;
  columns: ColumnInfo[];
}

/**
 * A source: knows how to reach a system and stream its rows. It knows nothing of jobs, mappings
 * or the state store. `read` must stream (never hold a whole table in memory).
 */
export interface SourceConnector {
  readonly type: string;
  check(): Promise<CheckResult>;
  streams(): Promise<StreamDescriptor[]>;
  read(options: ReadOptions): AsyncIterable<SourceRecord>;
  /** the stream's result columns and their types, without reading rows (a bad query throws a ConfigError) */
  probe?(stream: string, signal?: AbortSignal): Promise<ProbeResult>;
  /**
   * The probe plus the stream's own settings checked against it (the cursor column's type, the
   * initial cursor, the lookback), without reading rows: what `check` runs. Optional; a source
   * without it is checked by `probe` alone.
   */
  checkStream?(stream: string, signal?: AbortSignal): Promise<ProbeResult>;
  /**
   * The current rows of the given source keys, whatever their cursor (records held back by an
   * earlier run are re-read this way, so fixing data or configuration needs no full refresh).
   * A key with no row any more yields nothing.
   */
  readKeys?(stream: string, keys: string[], signal?: AbortSignal): AsyncIterable<SourceRecord>;
  close(): Promise<void>;
}

export type { CursorValue };

export interface WriteContext {
  dataset: string;
  schemaVersion: string;
  signal?: AbortSignal;
}

/**
 * A destination: encodes a staged record in its own wire format (the outbox keeps that text, and
 * it is what is sent), sends one batch and answers one neutral `DeliveryAnswer` per record, in
 * order. Whole-request failures are thrown as LienthongErrors: TransientError (retry),
 * BatchTooLargeError (split), ConfigError (stop the job), RejectedError (the whole batch is
 * refused for good).
 */
export interface DestinationConnector {
  readonly type: string;
  /** most records one write may carry */
  readonly maxBatchSize: number;
  check(): Promise<CheckResult>;
  /**
   * the wire form of one staged record (the plugin's `encode`): what the outbox keeps and `write`
   * sends. A job's destination must have it; one built only to be checked or read back may not.
   */
  encode?(record: StagedRecord): string;
  write(batch: EncodedRecord[], context: WriteContext): Promise<DeliveryAnswer[]>;
  /** every record the destination holds for this dataset (reconciliation); optional */
  readBack?(dataset: string, signal?: AbortSignal): AsyncIterable<HeldRecord>;
  /**
   * A destination with a store-and-forward outbox of its own (CIM kiosks: several machines behind
   * one connection, each with its own queue) is given the run's state store before anything is
   * sent; `write` then answers `delivered` once a record is safely in that outbox.
   */
  beginRun?(context: DestinationRunContext): Promise<void>;
  /**
   * Called once the engine's deliveries have settled: forwards what the destination's own outbox
   * holds and answers what it still holds back (counted as deferred: the run is partial, exit 3)
   * with notices naming where and what to do. Not called when the run failed.
   */
  endRun?(): Promise<DestinationRunEnd>;
  close(): Promise<void>;
}

export interface DestinationRunContext {
  job: string;
  /** the state store (src/store/store.ts; typed `unknown` here because core does not depend on the store) */
  store: unknown;
  /** aborted when the run must stop */
  signal: AbortSignal;
  /** structured log lines of the run */
  log: (level: 'info' | 'warn', message: string, meta?: Record<string, unknown>) => void;
}

export interface DestinationRunEnd {
  /** changes still held in the destination's outbox for the next run (an offline kiosk) */
  deferred: number;
  /** changes refused for good this run */
  dead: number;
  /** what the operator should know and do, one line each */
  notices: string[];
}

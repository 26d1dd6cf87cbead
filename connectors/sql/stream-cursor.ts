/**
 * A stream's watermark, both ways: what `:watermark` is bound to when a read starts (the saved
 * cursor less the lookback window, the configured initial cursor, or the lowest value of the
 * column's type), and each row's cursor value, typed by the column the probe described.
 */
import type { ColumnInfo } from '../../src/core/connector.js';
import { resolveLookback, subtractLookback, type CursorType, type CursorValue } from '../../src/core/cursor.js';
import { ConfigError, DataError } from '../../src/core/errors.js';
import { maskPersonalIdsInText } from '../../src/core/redact.js';
import type { SqlStreamConfig } from './config.js';
import type { Dialect } from './dialect.js';
import { coerceCursor, cursorFromValue, sqliteValueType, TypedBind } from './typed-cursor.js';

function context(stream: SqlStreamConfig, column: ColumnInfo): { connector: string; stream: string; field: string } {
  return { connector: 'sql', stream: stream.name, field: column.name };
}

function columnLabel(column: ColumnInfo): string {
  return `'${column.name}' (${column.dbType}${column.cursorType === undefined ? '' : `, a ${column.cursorType} cursor`})`;
}

/**
 * A saved cursor as a cursor of the column's type. A cursor kept as bare text or a number by an
 * older store is converted (it was what the driver printed); a cursor of another type means the
 * column's type changed, which only a full read can settle.
 */
function adaptSaved(saved: CursorValue, stream: SqlStreamConfig, dialect: Dialect, column: ColumnInfo): CursorValue {
  if (dialect === 'sqlite') {
    // SQLite compares what is stored, so the saved text is bound as it is; only its type is refined
    const refined = saved.type === 'text' && column.cursorType !== 'text' ? sqliteValueType(saved.value) : undefined;
    return refined === undefined ? saved : { type: refined, value: saved.value };
  }
  const type = column.cursorType as CursorType;
  if (saved.type === type) return saved;
  if (saved.type === 'text' || saved.type === 'integer') {
    const converted = coerceCursor(saved.value, type, dialect);
    if (typeof converted !== 'string') return converted;
  }
  throw new ConfigError(
    'SQL_CURSOR_TYPE_CHANGED',
    `stream '${stream.name}': the saved cursor is a ${saved.type} (${maskPersonalIdsInText(JSON.stringify(saved.value))}) but the cursor column ${columnLabel(column)} ` +
      `does not take it; run once with --full-refresh (unchanged records are recognised by content and not sent again)`,
    context(stream, column),
  );
}

function lookbackFor(stream: SqlStreamConfig, type: CursorType, column: ColumnInfo): ReturnType<typeof resolveLookback> & object {
  const lookback = resolveLookback(stream.lookback, type);
  if (typeof lookback === 'string') {
    throw new ConfigError('SQL_LOOKBACK_INVALID', `stream '${stream.name}': lookback does not fit the cursor column ${columnLabel(column)}: ${lookback}`, context(stream, column));
  }
  return lookback;
}

/**
 * Checks the stream's initialCursor and lookback against the cursor column, without reading:
 * a ConfigError names the stream, the value and the type expected. Returns the initial cursor.
 */
export function checkCursorConfig(stream: SqlStreamConfig, dialect: Dialect, column: ColumnInfo): CursorValue | undefined {
  // '' (what earlier READMEs advised) is already absent here: the stream's schema maps it so
  const initial = stream.initialCursor;
  const type: CursorType | undefined =
    column.cursorType ?? (initial === undefined ? undefined : typeof initial === 'number' ? 'integer' : (sqliteValueType(initial) ?? 'text'));
  if (type !== undefined) lookbackFor(stream, type, column);
  if (initial === undefined || type === undefined) return undefined;
  const converted = coerceCursor(initial, type, dialect);
  if (typeof converted === 'string') {
    throw new ConfigError(
      'SQL_INITIAL_CURSOR_INVALID',
      `stream '${stream.name}': initialCursor ${JSON.stringify(initial)} does not fit the cursor column ${columnLabel(column)}: expected ${converted}`,
      context(stream, column),
    );
  }
  return converted;
}

/** What `:watermark` is bound to when a read starts; `saved` is null on a first run and on a full read. */
export function startingWatermark(stream: SqlStreamConfig, dialect: Dialect, column: ColumnInfo, saved: CursorValue | null): TypedBind {
  const initial = checkCursorConfig(stream, dialect, column);
  if (saved !== null) {
    const cursor = adaptSaved(saved, stream, dialect, column);
    const back = subtractLookback(cursor, lookbackFor(stream, cursor.type, column));
    return new TypedBind(cursor.type, back === undefined ? null : back.value, column.dbType);
  }
  if (initial !== undefined) return new TypedBind(initial.type, initial.value, column.dbType);
  return new TypedBind(column.cursorType ?? 'integer', null, column.dbType);
}

/** Each row's cursor value, typed; the first row's type holds for the whole read. */
export class RowCursor {
  private seen: CursorType | undefined;

  constructor(
    private readonly stream: string,
    private readonly dialect: Dialect,
    private readonly column: ColumnInfo,
  ) {}

  of(row: Record<string, unknown>, key: string): CursorValue | null {
    const value = row[this.column.name];
    if (value === null || value === undefined) return null;
    // a source key may be a personal id (a school keyed by CCCD): only its masked form is told
    const shownKey = maskPersonalIdsInText(key);
    const ctx = { connector: 'sql', stream: this.stream, record: shownKey, field: this.column.name };
    let cursor: CursorValue | null;
    try {
      cursor = cursorFromValue(value, this.typeOf(value), this.dialect);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      throw new DataError(
        'SQL_CURSOR_VALUE_INVALID',
        `stream '${this.stream}', record '${shownKey}': the cursor column ${columnLabel(this.column)} holds ${maskPersonalIdsInText(err.message)}; the watermark cannot move past it`,
        ctx,
        { cause: err },
      );
    }
    if (cursor !== null) {
      if (this.seen !== undefined && cursor.type !== this.seen) {
        throw new DataError(
          'SQL_CURSOR_TYPE_MIXED',
          `stream '${this.stream}', record '${shownKey}': the cursor column '${this.column.name}' holds a ${cursor.type} after ${this.seen} values; one column must hold one kind of value to be ordered`,
          ctx,
        );
      }
      this.seen = cursor.type;
    }
    return cursor;
  }

  /** Other databases give the column's type; SQLite's values say what they are (see sqliteValueType). */
  private typeOf(value: unknown): CursorType {
    const declared = this.column.cursorType;
    if (this.dialect !== 'sqlite') return declared as CursorType;
    if (declared === 'integer' || declared === 'text') return declared;
    const found = sqliteValueType(value);
    if (found !== undefined) return found;
    if (declared === undefined && typeof value === 'string') return 'text';
    return declared ?? 'text';
  }
}

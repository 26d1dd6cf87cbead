/**
 * Typed watermarks for SQL sources: what cursor type a column's database type gives, how a
 * row's value becomes a CursorValue, how a configured value (`initialCursor`, or a cursor saved as
 * bare text by an older store) is checked against the column's type, and how a cursor is bound back
 * as that same type in each dialect.
 *
 * Values are never re-parsed into JS Dates: timestamps stay the database's text (microseconds and
 * offset kept), so what the next run binds is exactly what this run read.
 */
import type { CursorType, CursorValue } from '../../src/core/cursor.js';
import type { Dialect } from './dialect-name.js';

/**
 * A cursor to bind with its type. `value: null` is the lowest value of the type (a first run or a
 * full read: every row passes `col > :watermark`). `dbType` is the column's declared type, which
 * SQLite needs to pick a lowest value that compares below every stored value.
 */
export class TypedBind {
  constructor(
    readonly type: CursorType,
    readonly value: string | null,
    readonly dbType?: string,
  ) {}
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_WALL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}(?::?\d{2})?)$/;

/** `+07` and `+0700` → `+07:00` (PostgreSQL prints whole-hour offsets without minutes). */
export function normalizeOffsetSuffix(text: string): string {
  return text.replace(/([+-]\d{2})(?::?(\d{2}))?$/, (_m, h: string, mm: string | undefined) => `${h}:${mm ?? '00'}`);
}

/** A timestamp text in the cursor layout: `T` between date and time (SQLite keeps its stored text: it compares text). */
function layout(text: string, dialect: Dialect): string {
  return dialect === 'sqlite' ? text : text.replace(' ', 'T');
}

function validWallClock(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2}))?/.exec(text);
  if (!m) return false;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1).map((v) => v ?? '0') as string[];
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  return (
    date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d) && Number(h) < 24 && Number(mi) < 60 && Number(s) < 60
  );
}

/** A JS Date from SQL Server (tedious), with its extra 100 ns digits, as ISO text without zone. */
function mssqlWallClock(date: Date): string {
  const delta = (date as Date & { nanosecondsDelta?: number }).nanosecondsDelta ?? 0;
  const fraction = String(date.getUTCMilliseconds() * 10_000 + Math.round(delta * 1e7)).padStart(7, '0');
  return `${date.toISOString().slice(0, 19)}.${fraction}`;
}

/**
 * A row's cursor value as a CursorValue of the column's type; null for NULL. Throws a RangeError
 * (the source words it) when the value does not fit the type.
 */
export function cursorFromValue(value: unknown, type: CursorType, dialect: Dialect): CursorValue | null {
  if (value === null || value === undefined) return null;
  const fail = (): never => {
    throw new RangeError(`${describe(value)} is not a ${type} value`);
  };
  switch (type) {
    case 'integer': {
      if (typeof value === 'bigint') return { type, value: value.toString() };
      if (typeof value === 'number') return Number.isSafeInteger(value) ? { type, value: String(value) } : fail();
      const text = typeof value === 'string' ? value : typeof value === 'object' ? String(value) : '';
      return /^-?\d+$/.test(text) ? { type, value: text } : fail();
    }
    case 'timestamptz': {
      if (value instanceof Date) return { type, value: `${mssqlWallClock(value)}+00:00` };
      if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return fail();
      return { type, value: layout(dialect === 'sqlite' ? value : normalizeOffsetSuffix(value), dialect) };
    }
    case 'timestamp': {
      if (value instanceof Date) return { type, value: mssqlWallClock(value) };
      if (typeof value !== 'string' || !ISO_WALL.test(value)) return fail();
      return { type, value: layout(value, dialect) };
    }
    case 'date': {
      if (value instanceof Date) return { type, value: value.toISOString().slice(0, 10) };
      return typeof value === 'string' && ISO_DATE.test(value) ? { type, value } : fail();
    }
    case 'text':
      if (typeof value === 'string') return { type, value };
      if (typeof value === 'number' || typeof value === 'bigint') return { type, value: String(value) };
      return fail();
  }
}

/**
 * SQLite has no column types, only declared names and values: a date-like declared type takes
 * its cursor type from the value (`…+07:00` → timestamptz, `…T10:00:00` → timestamp, a date →
 * date, an integer → integer).
 */
export function sqliteValueType(value: unknown): CursorType | undefined {
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) return 'integer';
  if (typeof value !== 'string') return undefined;
  if (ISO_INSTANT.test(value)) return 'timestamptz';
  if (ISO_WALL.test(value)) return 'timestamp';
  if (ISO_DATE.test(value)) return 'date';
  return undefined;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? 'an object' : String(value);
}

/**
 * A configured value (`initialCursor`, or a cursor an older store kept as bare text) as a cursor
 * of `type`; a message saying what was expected when it does not fit.
 */
export function coerceCursor(raw: string | number, type: CursorType, dialect: Dialect): CursorValue | string {
  const text = typeof raw === 'number' ? String(raw) : raw.trim();
  switch (type) {
    case 'integer':
      if (typeof raw === 'number' ? Number.isSafeInteger(raw) : /^-?\d+$/.test(text)) return { type, value: text };
      return 'a whole number (e.g. 0 or "1024")';
    case 'timestamptz':
      if (typeof raw === 'string' && ISO_INSTANT.test(text) && validWallClock(text)) {
        return { type, value: layout(dialect === 'sqlite' ? text : normalizeOffsetSuffix(text), dialect) };
      }
      return 'a timestamp with offset such as "2025-06-30T10:00:00+07:00"';
    case 'timestamp':
      if (typeof raw === 'string' && ISO_WALL.test(text) && validWallClock(text)) return { type, value: layout(text, dialect) };
      if (typeof raw === 'string' && ISO_DATE.test(text) && validWallClock(text)) return { type, value: `${text}T00:00:00` };
      return 'a timestamp without offset such as "2025-06-30T10:00:00"';
    case 'date':
      if (typeof raw === 'string' && ISO_DATE.test(text) && validWallClock(text)) return { type, value: text };
      return 'a date such as "2025-06-30"';
    case 'text':
      return { type, value: typeof raw === 'number' ? String(raw) : raw };
  }
}

/** The lowest value of each type, per dialect, as text the dialect's cast accepts. */
const LOWEST: Record<Exclude<Dialect, 'sqlite'>, Record<Exclude<CursorType, 'text'>, string>> = {
  postgres: { timestamptz: '-infinity', timestamp: '-infinity', date: '-infinity', integer: '-9223372036854775808' },
  mysql: { timestamptz: '0001-01-01 00:00:00', timestamp: '0001-01-01 00:00:00', date: '0001-01-01', integer: '-99999999999999999999' },
  mssql: { timestamptz: '0001-01-01T00:00:00+00:00', timestamp: '0001-01-01T00:00:00', date: '0001-01-01', integer: '-9223372036854775808' },
  oracle: {
    timestamptz: '0001-01-01T00:00:00.000000000+00:00',
    timestamp: '0001-01-01T00:00:00.000000000',
    date: '0001-01-01',
    integer: '-99999999999999999999999999999999999999',
  },
};

const ORACLE_FORMATS: Record<Exclude<CursorType, 'text' | 'integer'>, string> = {
  timestamptz: `'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM'`,
  timestamp: `'YYYY-MM-DD"T"HH24:MI:SS.FF9'`,
  date: `'YYYY-MM-DD'`,
};

/** `2025-06-30T10:00:00.12+07:00` → `2025-06-30T10:00:00.120000000+07:00` (Oracle's FF9 wants every digit). */
function nineDigitFraction(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(.*)$/.exec(text);
  if (!m) return text;
  const offset = m[4] === 'Z' ? '+00:00' : m[4] ?? '';
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(9, '0')}${offset}`;
}

/**
 * The SQL text that stands for one bound cursor (`placeholder` is the dialect's `$1`, `?`,
 * `@watermark` or `:watermark`) and the value to bind: typed by an explicit cast, so the database
 * compares `timestamptz` with `timestamptz` whatever the query's context lets it infer.
 */
export function renderTypedBind(bind: TypedBind, dialect: Dialect, placeholder: string): { sql: string; value: unknown } {
  const { type } = bind;
  if (dialect === 'sqlite') return { sql: placeholder, value: sqliteValue(bind) };
  if (type === 'text') return { sql: placeholder, value: bind.value ?? '' };
  const value = bind.value ?? LOWEST[dialect][type];
  switch (dialect) {
    case 'postgres':
      return { sql: `CAST(${placeholder} AS ${type === 'integer' ? 'bigint' : type})`, value };
    case 'mysql': {
      const target = type === 'integer' ? 'DECIMAL(65,0)' : type === 'date' ? 'DATE' : 'DATETIME(6)';
      // MySQL has no zone-aware type: a timestamptz cursor is bound by its wall clock
      const text = type === 'integer' || type === 'date' ? value : value.replace('T', ' ').replace(/(Z|[+-]\d{2}(?::?\d{2})?)$/, '');
      return { sql: `CAST(${placeholder} AS ${target})`, value: text };
    }
    case 'mssql': {
      const target = { timestamptz: 'datetimeoffset(7)', timestamp: 'datetime2(7)', date: 'date', integer: 'bigint' }[type];
      return { sql: `CAST(${placeholder} AS ${target})`, value };
    }
    case 'oracle':
      if (type === 'integer') return { sql: `TO_NUMBER(${placeholder})`, value };
      if (type === 'date') return { sql: `TO_DATE(${placeholder}, ${ORACLE_FORMATS.date})`, value: value.slice(0, 10) };
      return {
        sql: `${type === 'timestamptz' ? 'TO_TIMESTAMP_TZ' : 'TO_TIMESTAMP'}(${placeholder}, ${ORACLE_FORMATS[type]})`,
        value: nineDigitFraction(value),
      };
  }
}

/**
 * SQLite compares what is stored: integers below text, text by bytes. The lowest value is the
 * smallest integer, which also sorts below every text, unless the column has TEXT affinity (then
 * the integer would be turned into the text '-9223…' and '' is the lowest).
 */
function sqliteValue(bind: TypedBind): unknown {
  if (bind.value !== null) return bind.type === 'integer' ? BigInt(bind.value) : bind.value;
  const declared = (bind.dbType ?? '').toUpperCase();
  const textAffinity = !declared.includes('INT') && /CHAR|CLOB|TEXT/.test(declared);
  return textAffinity ? '' : -9223372036854775808n;
}

/** PostgreSQL type OIDs lienthong can keep a cursor of, with their names for messages. */
const PG_TYPES: Record<number, [string, CursorType | undefined]> = {
  16: ['boolean', undefined],
  20: ['bigint', 'integer'],
  21: ['smallint', 'integer'],
  23: ['integer', 'integer'],
  25: ['text', 'text'],
  19: ['name', 'text'],
  1042: ['character', 'text'],
  1043: ['character varying', 'text'],
  1082: ['date', 'date'],
  1083: ['time', undefined],
  1114: ['timestamp', 'timestamp'],
  1184: ['timestamptz', 'timestamptz'],
  1700: ['numeric', undefined],
  700: ['real', undefined],
  701: ['double precision', undefined],
  114: ['json', undefined],
  3802: ['jsonb', undefined],
  // random, and '' (the lowest text) is no uuid: not a cursor
  2950: ['uuid', undefined],
  17: ['bytea', undefined],
};

export function pgColumnType(oid: number, typmod: number): { dbType: string; cursorType?: CursorType } {
  const known = PG_TYPES[oid];
  if (!known) return { dbType: `oid ${oid}` };
  // numeric(p, 0) holds whole numbers only: typmod is ((p << 16) | s) + 4
  if (oid === 1700 && typmod >= 4 && ((typmod - 4) & 0xffff) === 0) return { dbType: 'numeric', cursorType: 'integer' };
  return known[1] === undefined ? { dbType: known[0] } : { dbType: known[0], cursorType: known[1] };
}

/** mysql2 column types (protocol numbers) → names and cursor types. */
const MYSQL_TYPES: Record<number, [string, CursorType | undefined]> = {
  1: ['TINYINT', 'integer'],
  2: ['SMALLINT', 'integer'],
  3: ['INT', 'integer'],
  8: ['BIGINT', 'integer'],
  9: ['MEDIUMINT', 'integer'],
  13: ['YEAR', 'integer'],
  7: ['TIMESTAMP', 'timestamp'],
  12: ['DATETIME', 'timestamp'],
  10: ['DATE', 'date'],
  14: ['DATE', 'date'],
  15: ['VARCHAR', 'text'],
  253: ['VARCHAR', 'text'],
  254: ['CHAR', 'text'],
  246: ['DECIMAL', undefined],
  4: ['FLOAT', undefined],
  5: ['DOUBLE', undefined],
  245: ['JSON', undefined],
  252: ['BLOB', undefined],
  11: ['TIME', undefined],
};

/** `characterSet` 63 is binary: a BLOB/BINARY column, not text. */
export function mysqlColumnType(columnType: number, characterSet: number | undefined, decimals: number): { dbType: string; cursorType?: CursorType } {
  const known = MYSQL_TYPES[columnType];
  if (!known) return { dbType: `type ${columnType}` };
  const [name, cursorType] = known;
  if (columnType === 246 && decimals === 0) return { dbType: 'DECIMAL', cursorType: 'integer' };
  if (columnType === 252) return characterSet === 63 ? { dbType: 'BLOB' } : { dbType: 'TEXT', cursorType: 'text' };
  if ((columnType === 253 || columnType === 254) && characterSet === 63) return { dbType: 'BINARY' };
  return cursorType === undefined ? { dbType: name } : { dbType: name, cursorType };
}

/** SQLite declared types (`DATETIME`, `TIMESTAMPTZ`, `INTEGER`, `VARCHAR(19)`…); null for an expression. */
export function sqliteColumnType(declared: string | null): { dbType: string; cursorType?: CursorType } {
  if (declared === null || declared.trim() === '') return { dbType: '(expression)' };
  const d = declared.toUpperCase();
  if (d.includes('INT')) return { dbType: declared, cursorType: 'integer' };
  if (/TIMESTAMPTZ|WITH TIME ZONE/.test(d)) return { dbType: declared, cursorType: 'timestamptz' };
  if (/DATETIME|TIMESTAMP/.test(d)) return { dbType: declared, cursorType: 'timestamp' };
  if (/^DATE\b/.test(d)) return { dbType: declared, cursorType: 'date' };
  if (/CHAR|CLOB|TEXT/.test(d)) return { dbType: declared, cursorType: 'text' };
  return { dbType: declared };
}

/** SQL Server type names (mssql's `type.declaration`) → cursor types. */
export function mssqlColumnType(declaration: string, scale: number | undefined): { dbType: string; cursorType?: CursorType } {
  const d = declaration.toLowerCase();
  if (d === 'datetimeoffset') return { dbType: d, cursorType: 'timestamptz' };
  if (d === 'datetime2' || d === 'datetime' || d === 'smalldatetime') return { dbType: d, cursorType: 'timestamp' };
  if (d === 'date') return { dbType: d, cursorType: 'date' };
  if (['int', 'bigint', 'smallint', 'tinyint'].includes(d)) return { dbType: d, cursorType: 'integer' };
  if ((d === 'numeric' || d === 'decimal') && scale === 0) return { dbType: d, cursorType: 'integer' };
  if (['nvarchar', 'varchar', 'nchar', 'char'].includes(d)) return { dbType: d, cursorType: 'text' };
  return { dbType: d };
}

/** Oracle type names (node-oracledb `dbTypeName`) → cursor types. Oracle's DATE holds a time too. */
export function oracleColumnType(dbTypeName: string, scale: number | undefined): { dbType: string; cursorType?: CursorType } {
  const d = dbTypeName.toUpperCase();
  if (d === 'TIMESTAMP WITH TIME ZONE') return { dbType: d, cursorType: 'timestamptz' };
  if (d === 'TIMESTAMP' || d === 'DATE' || d === 'TIMESTAMP WITH LOCAL TIME ZONE') return { dbType: d, cursorType: 'timestamp' };
  // NUMBER(p) has scale 0; a bare NUMBER reports scale -127 and is taken as whole numbers (values are checked)
  if (d === 'NUMBER' && (scale === 0 || scale === -127 || scale === undefined)) return { dbType: d, cursorType: 'integer' };
  if (['VARCHAR2', 'NVARCHAR2', 'CHAR', 'NCHAR', 'VARCHAR'].includes(d)) return { dbType: d, cursorType: 'text' };
  return { dbType: d };
}

import { describe, expect, it } from 'vitest';
import { compileNamedQuery } from './dialect.js';
import {
  coerceCursor,
  cursorFromValue,
  mssqlColumnType,
  mysqlColumnType,
  normalizeOffsetSuffix,
  oracleColumnType,
  pgColumnType,
  sqliteColumnType,
  sqliteValueType,
  TypedBind,
} from './typed-cursor.js';

describe('cursorFromValue', () => {
  it('keeps PostgreSQL timestamptz microseconds and gives the offset its minutes', () => {
    expect(cursorFromValue('2025-06-30T10:00:00.123456+07', 'timestamptz', 'postgres')).toEqual({ type: 'timestamptz', value: '2025-06-30T10:00:00.123456+07:00' });
    expect(cursorFromValue('2025-06-30 10:00:00+05:30', 'timestamptz', 'oracle')).toEqual({ type: 'timestamptz', value: '2025-06-30T10:00:00+05:30' });
  });

  it('reads MySQL DATETIME text with a space as a timestamp with T', () => {
    expect(cursorFromValue('2025-06-30 10:00:00.000001', 'timestamp', 'mysql')).toEqual({ type: 'timestamp', value: '2025-06-30T10:00:00.000001' });
  });

  it('keeps SQLite text exactly as stored (SQLite compares the stored text)', () => {
    expect(cursorFromValue('2025-06-30 10:00:00', 'timestamp', 'sqlite')).toEqual({ type: 'timestamp', value: '2025-06-30 10:00:00' });
  });

  it('takes SQL Server dates with their 100 ns digits', () => {
    const d = Object.assign(new Date('2025-06-30T10:00:00.123Z'), { nanosecondsDelta: 0.0004567 });
    expect(cursorFromValue(d, 'timestamp', 'mssql')).toEqual({ type: 'timestamp', value: '2025-06-30T10:00:00.1234567' });
    expect(cursorFromValue(new Date('2025-06-30T03:00:00Z'), 'timestamptz', 'mssql')).toEqual({ type: 'timestamptz', value: '2025-06-30T03:00:00.0000000+00:00' });
    expect(cursorFromValue(new Date('2025-06-30T00:00:00Z'), 'date', 'mssql')).toEqual({ type: 'date', value: '2025-06-30' });
  });

  it('keeps integers exact and text as text', () => {
    expect(cursorFromValue(9007199254740993n, 'integer', 'postgres')).toEqual({ type: 'integer', value: '9007199254740993' });
    expect(cursorFromValue('9007199254740993', 'integer', 'mysql')).toEqual({ type: 'integer', value: '9007199254740993' });
    expect(cursorFromValue(42, 'text', 'mysql')).toEqual({ type: 'text', value: '42' });
    expect(cursorFromValue(null, 'integer', 'mysql')).toBeNull();
  });

  it('throws a RangeError for a value that does not fit the type', () => {
    expect(() => cursorFromValue('30/06/2025', 'date', 'postgres')).toThrow(/"30\/06\/2025" is not a date value/);
    expect(() => cursorFromValue(1.5, 'integer', 'postgres')).toThrow(RangeError);
    expect(() => cursorFromValue('2025-06-30T10:00:00', 'timestamptz', 'postgres')).toThrow(RangeError);
  });
});

describe('coerceCursor (initialCursor and cursors kept as text by older stores)', () => {
  it('converts to the column type', () => {
    expect(coerceCursor('2025-06-30 10:00:00+07', 'timestamptz', 'postgres')).toEqual({ type: 'timestamptz', value: '2025-06-30T10:00:00+07:00' });
    expect(coerceCursor('2025-06-30', 'timestamp', 'mysql')).toEqual({ type: 'timestamp', value: '2025-06-30T00:00:00' });
    expect(coerceCursor(0, 'integer', 'postgres')).toEqual({ type: 'integer', value: '0' });
    expect(coerceCursor(' 17 ', 'integer', 'postgres')).toEqual({ type: 'integer', value: '17' });
    expect(coerceCursor(5, 'text', 'postgres')).toEqual({ type: 'text', value: '5' });
  });

  it('says what was expected when it does not fit', () => {
    expect(coerceCursor('', 'timestamptz', 'postgres')).toMatch(/timestamp with offset/);
    expect(coerceCursor('2025-02-30', 'date', 'postgres')).toMatch(/a date such as/);
    expect(coerceCursor('2025-06-30T25:00:00', 'timestamp', 'postgres')).toMatch(/without offset/);
    expect(coerceCursor('abc', 'integer', 'postgres')).toMatch(/whole number/);
    expect(coerceCursor(1.5, 'integer', 'postgres')).toMatch(/whole number/);
  });
});

describe('binding a typed cursor', () => {
  const q = 'SELECT * FROM t WHERE u > :watermark OR :watermark IS NULL';
  const bind = (b: TypedBind, dialect: Parameters<typeof compileNamedQuery>[2]): ReturnType<typeof compileNamedQuery> =>
    compileNamedQuery(q, { watermark: b }, dialect);

  it('casts explicitly in PostgreSQL, the lowest value being -infinity', () => {
    const c = bind(new TypedBind('timestamptz', '2025-06-30T10:00:00.123456+07:00'), 'postgres');
    expect(c.text).toBe('SELECT * FROM t WHERE u > CAST($1 AS timestamptz) OR CAST($1 AS timestamptz) IS NULL');
    expect(c.values).toEqual(['2025-06-30T10:00:00.123456+07:00']);
    expect(bind(new TypedBind('date', null), 'postgres').values).toEqual(['-infinity']);
    expect(bind(new TypedBind('integer', null), 'postgres').text).toContain('CAST($1 AS bigint)');
    expect(bind(new TypedBind('text', null), 'postgres')).toMatchObject({ text: 'SELECT * FROM t WHERE u > $1 OR $1 IS NULL', values: [''] });
  });

  it('casts to DATETIME(6), DATE or DECIMAL in MySQL, with a space and no offset', () => {
    const c = bind(new TypedBind('timestamp', '2025-06-30T10:00:00.5'), 'mysql');
    expect(c.text).toBe('SELECT * FROM t WHERE u > CAST(? AS DATETIME(6)) OR CAST(? AS DATETIME(6)) IS NULL');
    expect(c.values).toEqual(['2025-06-30 10:00:00.5', '2025-06-30 10:00:00.5']);
    expect(bind(new TypedBind('integer', '18446744073709551615'), 'mysql').text).toContain('CAST(? AS DECIMAL(65,0))');
  });

  it('casts to datetimeoffset, datetime2, date and bigint in SQL Server', () => {
    const c = bind(new TypedBind('timestamptz', '2025-06-30T10:00:00.1234567+07:00'), 'mssql');
    expect(c.text).toBe('SELECT * FROM t WHERE u > CAST(@watermark AS datetimeoffset(7)) OR CAST(@watermark AS datetimeoffset(7)) IS NULL');
    expect(c.bindings).toEqual({ watermark: '2025-06-30T10:00:00.1234567+07:00' });
    expect(bind(new TypedBind('timestamp', null), 'mssql')).toMatchObject({ bindings: { watermark: '0001-01-01T00:00:00' } });
    expect(bind(new TypedBind('date', '2025-06-30'), 'mssql').text).toContain('CAST(@watermark AS date)');
    expect(bind(new TypedBind('integer', '5'), 'mssql').text).toContain('CAST(@watermark AS bigint)');
  });

  it('converts with explicit formats in Oracle, every fraction digit given', () => {
    const c = bind(new TypedBind('timestamptz', '2025-06-30T10:00:00.12+07:00'), 'oracle');
    expect(c.text).toContain(`TO_TIMESTAMP_TZ(:watermark, 'YYYY-MM-DD"T"HH24:MI:SS.FF9TZH:TZM')`);
    expect(c.bindings).toEqual({ watermark: '2025-06-30T10:00:00.120000000+07:00' });
    expect(bind(new TypedBind('timestamp', '2025-06-30T10:00:00'), 'oracle')).toMatchObject({ bindings: { watermark: '2025-06-30T10:00:00.000000000' } });
    expect(bind(new TypedBind('integer', null), 'oracle').text).toContain('TO_NUMBER(:watermark)');
  });

  it('binds SQLite values as stored, the lowest one below every stored value of the column', () => {
    expect(bind(new TypedBind('integer', '42'), 'sqlite').values).toEqual([42n, 42n]);
    expect(bind(new TypedBind('timestamp', '2025-06-30 10:00:00'), 'sqlite').values[0]).toBe('2025-06-30 10:00:00');
    expect(bind(new TypedBind('text', null, 'VARCHAR(19)'), 'sqlite').values[0]).toBe('');
    // DATETIME has NUMERIC affinity: integers (epoch seconds) sort below text, so the lowest is an integer
    expect(bind(new TypedBind('timestamp', null, 'DATETIME'), 'sqlite').values[0]).toBe(-9223372036854775808n);
  });
});

describe('column types', () => {
  it('PostgreSQL OIDs', () => {
    expect(pgColumnType(1184, -1)).toEqual({ dbType: 'timestamptz', cursorType: 'timestamptz' });
    expect(pgColumnType(1700, ((10 << 16) | 0) + 4)).toEqual({ dbType: 'numeric', cursorType: 'integer' });
    expect(pgColumnType(1700, ((10 << 16) | 2) + 4)).toEqual({ dbType: 'numeric' });
    expect(pgColumnType(3802, -1)).toEqual({ dbType: 'jsonb' });
    expect(pgColumnType(99999, -1)).toEqual({ dbType: 'oid 99999' });
  });
  it('MySQL column types', () => {
    expect(mysqlColumnType(12, 63, 6)).toEqual({ dbType: 'DATETIME', cursorType: 'timestamp' });
    expect(mysqlColumnType(7, 63, 0)).toEqual({ dbType: 'TIMESTAMP', cursorType: 'timestamp' });
    expect(mysqlColumnType(252, 224, 0)).toEqual({ dbType: 'TEXT', cursorType: 'text' });
    expect(mysqlColumnType(252, 63, 0)).toEqual({ dbType: 'BLOB' });
    expect(mysqlColumnType(253, 63, 0)).toEqual({ dbType: 'BINARY' });
  });
  it('SQLite declared types and values', () => {
    expect(sqliteColumnType('TIMESTAMPTZ')).toEqual({ dbType: 'TIMESTAMPTZ', cursorType: 'timestamptz' });
    expect(sqliteColumnType('DATETIME')).toEqual({ dbType: 'DATETIME', cursorType: 'timestamp' });
    expect(sqliteColumnType('DATE')).toEqual({ dbType: 'DATE', cursorType: 'date' });
    expect(sqliteColumnType('BIGINT')).toEqual({ dbType: 'BIGINT', cursorType: 'integer' });
    expect(sqliteColumnType('VARCHAR(19)')).toEqual({ dbType: 'VARCHAR(19)', cursorType: 'text' });
    expect(sqliteColumnType(null)).toEqual({ dbType: '(expression)' });
    expect(sqliteValueType('2025-06-30T10:00:00+07:00')).toBe('timestamptz');
    expect(sqliteValueType('2025-06-30 10:00:00')).toBe('timestamp');
    expect(sqliteValueType('2025-06-30')).toBe('date');
    expect(sqliteValueType(5n)).toBe('integer');
    expect(sqliteValueType('x')).toBeUndefined();
  });
  it('SQL Server and Oracle type names', () => {
    expect(mssqlColumnType('datetimeoffset', undefined)).toEqual({ dbType: 'datetimeoffset', cursorType: 'timestamptz' });
    expect(mssqlColumnType('datetime2', 7)).toEqual({ dbType: 'datetime2', cursorType: 'timestamp' });
    expect(mssqlColumnType('date', undefined)).toEqual({ dbType: 'date', cursorType: 'date' });
    expect(mssqlColumnType('bigint', undefined)).toEqual({ dbType: 'bigint', cursorType: 'integer' });
    expect(mssqlColumnType('nvarchar', undefined)).toEqual({ dbType: 'nvarchar', cursorType: 'text' });
    expect(mssqlColumnType('uniqueidentifier', undefined)).toEqual({ dbType: 'uniqueidentifier' });
    expect(oracleColumnType('TIMESTAMP WITH TIME ZONE', undefined)).toEqual({ dbType: 'TIMESTAMP WITH TIME ZONE', cursorType: 'timestamptz' });
    expect(oracleColumnType('DATE', undefined)).toEqual({ dbType: 'DATE', cursorType: 'timestamp' });
    expect(oracleColumnType('NUMBER', 0)).toEqual({ dbType: 'NUMBER', cursorType: 'integer' });
    expect(oracleColumnType('NUMBER', 2)).toEqual({ dbType: 'NUMBER' });
  });
  it('normalizeOffsetSuffix', () => {
    expect(normalizeOffsetSuffix('2025-06-30T10:00:00-03')).toBe('2025-06-30T10:00:00-03:00');
    expect(normalizeOffsetSuffix('2025-06-30T10:00:00+0530')).toBe('2025-06-30T10:00:00+05:30');
    expect(normalizeOffsetSuffix('infinity')).toBe('infinity');
  });
});

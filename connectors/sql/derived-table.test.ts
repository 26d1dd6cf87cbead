import { describe, expect, it } from 'vitest';
import { mssqlDerivable, quoteIdentifier, wrapAsDerivedTable } from './derived-table.js';
import { firstKeyCandidates, keyBatchQuery } from './key-filter.js';

const q = 'SELECT id, updated_at FROM t WHERE updated_at > :watermark ORDER BY updated_at, id -- newest last';

describe('wrapAsDerivedTable', () => {
  it('wraps with LIMIT 0 in PostgreSQL, MySQL and SQLite, the query on its own lines (a trailing comment stays a comment)', () => {
    expect(wrapAsDerivedTable(`${q}\n;`, 'postgres', { empty: true })).toBe(`SELECT * FROM (\n${q}\n) AS lienthong_q LIMIT 0`);
    expect(wrapAsDerivedTable(q, 'mysql', { where: '`id` IN (?)' })).toBe(`SELECT * FROM (\n${q}\n) AS lienthong_q WHERE \`id\` IN (?)`);
  });

  it('uses no AS and WHERE 1 = 0 in Oracle', () => {
    expect(wrapAsDerivedTable(q, 'oracle', { empty: true })).toBe(`SELECT * FROM (\n${q}\n) lienthong_q WHERE 1 = 0`);
  });

  it('makes an ordered SQL Server query legal in a derived table and puts a WITH in front', () => {
    expect(wrapAsDerivedTable(q, 'mssql', { empty: true })).toBe(`SELECT TOP 0 * FROM (\n${q}\nOFFSET 0 ROWS\n) AS lienthong_q`);
    const withQuery = 'WITH a AS (SELECT id FROM t ORDER BY id OFFSET 0 ROWS) SELECT id FROM a ORDER BY id';
    expect(wrapAsDerivedTable(withQuery, 'mssql', { where: '[id] IN (@k)' })).toBe(
      'WITH a AS (SELECT id FROM t ORDER BY id OFFSET 0 ROWS)\nSELECT * FROM (\nSELECT id FROM a ORDER BY id\nOFFSET 0 ROWS\n) AS lienthong_q WHERE [id] IN (@k)',
    );
  });

  it('leaves SQL Server queries with TOP, OFFSET or no top-level ORDER BY alone', () => {
    expect(mssqlDerivable('SELECT TOP 10 id FROM t ORDER BY id')).toBe('SELECT TOP 10 id FROM t ORDER BY id');
    expect(mssqlDerivable('SELECT id FROM t ORDER BY id OFFSET 5 ROWS')).toBe('SELECT id FROM t ORDER BY id OFFSET 5 ROWS');
    expect(mssqlDerivable("SELECT id, 'ORDER BY' AS s FROM t")).toBe("SELECT id, 'ORDER BY' AS s FROM t");
  });

  it('quotes identifiers per dialect', () => {
    expect(quoteIdentifier('ngày_cập_nhật', 'postgres')).toBe('"ngày_cập_nhật"');
    expect(quoteIdentifier('a"b', 'oracle')).toBe('"a""b"');
    expect(quoteIdentifier('a`b', 'mysql')).toBe('`a``b`');
    expect(quoteIdentifier('a]b', 'mssql')).toBe('[a]]b]');
  });
});

describe('readKeys filters', () => {
  it('lists every way the first key field can split off', () => {
    expect(firstKeyCandidates('42', 1)).toEqual(['42']);
    expect(firstKeyCandidates('a|b|c', 2)).toEqual(['a', 'a|b']);
    expect(firstKeyCandidates('a|b|c', 3)).toEqual(['a']);
    expect(firstKeyCandidates('nosep', 2)).toEqual([]);
  });

  it('filters the first key column with one parameter per candidate, NULL for an empty part', () => {
    const k = keyBatchQuery('SELECT code, id FROM t', 'postgres', { name: 'code', dbType: 'text', cursorType: 'text' }, ['a|1', 'a|2', '|3'], 2);
    expect(k.sql).toBe('SELECT * FROM (\nSELECT code, id FROM t\n) AS lienthong_q WHERE ("code" IN (:lienthong_k0, :lienthong_k1) OR "code" IS NULL)');
    expect(k.params).toEqual({ lienthong_k0: 'a', lienthong_k1: '' });
    // an integer column is not compared with '' (PostgreSQL would refuse the cast)
    const n = keyBatchQuery('SELECT id FROM t', 'postgres', { name: 'id', dbType: 'integer', cursorType: 'integer' }, ['', '7'], 1);
    expect(n.params).toEqual({ lienthong_k0: '7' });
    expect(n.sql).toContain('("id" IN (:lienthong_k0) OR "id" IS NULL)');
  });

  it('does not bind a split holding a separator against a typed first column (it cannot be a number or a date)', () => {
    // key 12|a|b of two fields: the first field is 12, or 12|a when the first value holds a '|'
    const k = keyBatchQuery('SELECT id, a FROM t', 'postgres', { name: 'id', dbType: 'integer', cursorType: 'integer' }, ['12|a|b'], 2);
    expect(k.params).toEqual({ lienthong_k0: '12' });
    const t = keyBatchQuery('SELECT code, a FROM t', 'postgres', { name: 'code', dbType: 'text', cursorType: 'text' }, ['12|a|b'], 2);
    expect(t.params).toEqual({ lienthong_k0: '12', lienthong_k1: '12|a' });
  });

  it('binds whole numbers as integers for an SQLite integer column, and matches nothing for keys that cannot exist', () => {
    expect(keyBatchQuery('SELECT id FROM t', 'sqlite', { name: 'id', dbType: 'INTEGER', cursorType: 'integer' }, ['7'], 1).params).toEqual({ lienthong_k0: 7n });
    expect(keyBatchQuery('SELECT a, b FROM t', 'sqlite', { name: 'a', dbType: 'TEXT', cursorType: 'text' }, ['nosep'], 2).sql).toContain('WHERE 1 = 0');
  });
});

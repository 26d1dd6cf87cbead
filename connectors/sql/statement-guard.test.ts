import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import type { Dialect } from './dialect.js';
import { assertSingleSelect, splitWithClause, trimStatement } from './statement-guard.js';

const ok = (sql: string, dialect: Dialect = 'postgres'): void => expect(() => assertSingleSelect(sql, dialect, 's')).not.toThrow();
const refused = (sql: string, reason: RegExp, dialect: Dialect = 'postgres'): void => {
  let err: unknown;
  try {
    assertSingleSelect(sql, dialect, 's');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).code).toBe('SQL_NOT_A_SELECT');
  expect((err as ConfigError).message).toMatch(/^stream 's': the query must be one read-only SELECT/);
  expect((err as ConfigError).message).toMatch(reason);
};

describe('assertSingleSelect: accepted', () => {
  it('takes a SELECT, with a trailing semicolon, comments and strings holding keywords', () => {
    ok('SELECT id FROM t WHERE updated_at > :watermark ORDER BY updated_at, id;');
    ok(`-- DELETE FROM t; this is a comment
       /* DROP TABLE t; */ SELECT 'DELETE FROM t; DROP x' AS s, "update" FROM t`);
    ok("SELECT `delete`, '; DROP TABLE x' FROM t # ; DELETE", 'mysql');
    ok('SELECT [update] FROM dbo.t', 'mssql');
    ok('SELECT $$ ; DELETE FROM t $$ AS x');
  });

  it('takes functions named like statements and keywords used inside expressions', () => {
    ok("SELECT REPLACE(name, 'a', 'b'), INSERT(name, 1, 2, 'x'), TRUNCATE(score, 2) FROM t", 'mysql');
    ok('SELECT CAST(name AS CHAR CHARACTER SET utf8mb4), SUBSTRING(code FROM 1 FOR 2) FROM t', 'mysql');
    ok('SELECT (SELECT max(x) FROM u) AS m FROM t');
    ok('(SELECT 1 AS id) UNION ALL (SELECT 2)');
  });

  it('takes WITH … SELECT, recursive and materialized CTEs', () => {
    ok('WITH a AS (SELECT 1 AS id), b (id) AS (SELECT id FROM a) SELECT * FROM b');
    ok('WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r');
    ok('WITH a AS MATERIALIZED (SELECT 1) SELECT * FROM a');
  });
});

describe('assertSingleSelect: refused', () => {
  it('refuses a second statement', () => {
    refused('SELECT 1; DELETE FROM t', /`;` is followed by another statement/);
    refused('SELECT 1; SELECT 2', /another statement/);
  });

  it('refuses data-changing statements, also inside a WITH', () => {
    refused('DELETE FROM t', /DELETE changes the database/);
    refused('UPDATE t SET a = 1', /UPDATE changes the database/);
    refused('DELETE FROM t WHERE id > 0 RETURNING id', /DELETE/, 'mysql');
    refused('INSERT INTO t SELECT * FROM u', /INSERT/);
    refused('WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', /DELETE changes the database \(inside a subquery or WITH\)/);
    refused('MERGE INTO t USING u ON (t.id = u.id) WHEN MATCHED THEN DELETE', /MERGE/, 'oracle');
    refused('DROP TABLE t', /DROP/);
    refused('CALL p()', /CALL/);
    refused('EXEC sp_who', /EXEC/, 'mssql');
    refused('SET @a = 1', /SET/, 'mysql');
  });

  it('refuses a WITH whose main statement is not a SELECT', () => {
    refused('WITH a AS (SELECT 1 AS id) DELETE FROM t WHERE id IN (SELECT id FROM a)', /DELETE/);
    refused('WITH a AS (SELECT 1) VALUES (1)', /VALUES, not a SELECT/);
  });

  it('refuses INTO and row locks', () => {
    refused('SELECT * INTO backup FROM t', /INTO writes/);
    refused("SELECT * FROM t INTO OUTFILE '/tmp/x'", /INTO writes/, 'mysql');
    refused('SELECT * FROM t FOR UPDATE', /FOR UPDATE locks/);
    refused('SELECT * FROM t FOR SHARE', /FOR SHARE locks/);
    refused('SELECT * FROM t FOR NO KEY UPDATE', /FOR NO locks/);
    refused('SELECT * FROM t LOCK IN SHARE MODE', /LOCK IN SHARE MODE/, 'mysql');
  });

  it('reads MySQL comments as MySQL does', () => {
    // `--x` is no comment in MySQL: the DELETE after it is a second statement
    refused('SELECT 1 --x; DELETE FROM t', /another statement/, 'mysql');
    ok('SELECT 1 -- x; DELETE FROM t', 'mysql');
    refused('SELECT * FROM t /*! FOR UPDATE */', /executable comments/, 'mysql');
    refused('SELECT * FROM t /*M!100000 INTO OUTFILE "/tmp/x" */', /executable comments/, 'mysql');
    ok('SELECT /*+ INDEX(t) */ * FROM t', 'oracle');
  });

  it('reads nested PostgreSQL comments as PostgreSQL does', () => {
    // PostgreSQL's comment ends at the second */, so the quote does not hide the DELETE
    refused("SELECT 1 /* /* */ ' */ ; DELETE FROM t; --'", /another statement/);
    ok('SELECT 1 /* outer /* inner */ still comment; DELETE */ FROM t');
  });

  it('refuses other statements, empty text and unbalanced parentheses', () => {
    refused('SHOW TABLES', /SHOW, not a SELECT/, 'mysql');
    refused('EXPLAIN ANALYZE DELETE FROM t', /EXPLAIN, not a SELECT/);
    refused('  ;  ', /empty/);
    refused('-- only a comment', /empty/);
    refused('SELECT (1', /parentheses/);
  });
});

describe('trimStatement', () => {
  it('drops the closing ; and the comments after it, not a ; inside a string or comment', () => {
    expect(trimStatement("SELECT ';' AS s -- a;b\n; -- done\n", 'postgres')).toBe("SELECT ';' AS s -- a;b");
    expect(trimStatement('  SELECT 1  ', 'mysql')).toBe('SELECT 1');
  });
});

describe('splitWithClause', () => {
  it('puts the WITH list apart from the main statement', () => {
    expect(splitWithClause('WITH a AS (SELECT 1 AS id), b AS (SELECT 2) SELECT * FROM a ORDER BY id;', 'mssql')).toEqual({
      with: 'WITH a AS (SELECT 1 AS id), b AS (SELECT 2)',
      main: 'SELECT * FROM a ORDER BY id',
    });
    expect(splitWithClause('SELECT 1', 'mssql')).toEqual({ with: '', main: 'SELECT 1' });
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { compileNamedQuery, parameterNames } from './dialect.js';
import { TypedBind } from './typed-cursor.js';

const q = 'SELECT * FROM t WHERE updated_at > :watermark AND kind = :kind OR updated_at = :watermark ORDER BY updated_at';
const params = { watermark: '2024-01-01T00:00:00', kind: 'A' };

describe('compileNamedQuery', () => {
  it('numbers distinct names for postgres and reuses the number', () => {
    const c = compileNamedQuery(q, params, 'postgres');
    expect(c.text).toBe('SELECT * FROM t WHERE updated_at > $1 AND kind = $2 OR updated_at = $1 ORDER BY updated_at');
    expect(c.values).toEqual(['2024-01-01T00:00:00', 'A']);
    expect(c.names).toEqual(['watermark', 'kind']);
  });

  it.each(['mysql', 'sqlite'] as const)('uses one ? per occurrence for %s', (dialect) => {
    const c = compileNamedQuery(q, params, dialect);
    expect(c.text).toBe('SELECT * FROM t WHERE updated_at > ? AND kind = ? OR updated_at = ? ORDER BY updated_at');
    expect(c.values).toEqual(['2024-01-01T00:00:00', 'A', '2024-01-01T00:00:00']);
  });

  it('uses @name and a binding object for mssql', () => {
    const c = compileNamedQuery(q, params, 'mssql');
    expect(c.text).toBe('SELECT * FROM t WHERE updated_at > @watermark AND kind = @kind OR updated_at = @watermark ORDER BY updated_at');
    expect(c.bindings).toEqual(params);
    expect(c.values).toEqual([]);
  });

  it('keeps :name and a binding object for oracle', () => {
    const c = compileNamedQuery(q, params, 'oracle');
    expect(c.text).toBe(q);
    expect(c.bindings).toEqual(params);
  });

  it('leaves postgres ::casts alone', () => {
    const c = compileNamedQuery('SELECT id::text, :watermark::timestamp AS w FROM t WHERE x::int > :n', { watermark: 'w', n: 1 }, 'postgres');
    expect(c.text).toBe('SELECT id::text, $1::timestamp AS w FROM t WHERE x::int > $2');
    expect(c.values).toEqual(['w', 1]);
  });

  it('does not touch text inside strings, quoted identifiers and comments', () => {
    const sql = `SELECT ':watermark' AS a, 'it''s :kind' AS b, "col:kind" FROM t -- :kind here
      /* :kind there */ WHERE w > :watermark`;
    const c = compileNamedQuery(sql, { watermark: 'W' }, 'postgres');
    expect(c.text).toBe(sql.replace('w > :watermark', 'w > $1'));
    expect(c.values).toEqual(['W']);
  });

  it('handles mysql backslash escapes, backticks and # comments', () => {
    const sql = "SELECT 'a\\' :kind', `x:kind` FROM t # :kind\nWHERE w > :watermark";
    const c = compileNamedQuery(sql, { watermark: 'W' }, 'mysql');
    expect(c.text).toBe("SELECT 'a\\' :kind', `x:kind` FROM t # :kind\nWHERE w > ?");
  });

  it('handles postgres dollar-quoted strings and E strings', () => {
    const sql = "SELECT $$ :kind $$, $tag$ ':kind' $tag$, E'a\\' :kind' WHERE w > :watermark";
    const c = compileNamedQuery(sql, { watermark: 'W' }, 'postgres');
    expect(c.text).toBe("SELECT $$ :kind $$, $tag$ ':kind' $tag$, E'a\\' :kind' WHERE w > $1");
  });

  it('handles mssql bracketed identifiers', () => {
    const c = compileNamedQuery('SELECT [a:kind] FROM t WHERE w > :watermark', { watermark: 1 }, 'mssql');
    expect(c.text).toBe('SELECT [a:kind] FROM t WHERE w > @watermark');
  });

  it('does not read a time literal or := as a parameter', () => {
    const c = compileNamedQuery("SELECT '10:30:00', @x := 1 FROM t WHERE a > :watermark", { watermark: 1 }, 'mysql');
    expect(c.text).toBe("SELECT '10:30:00', @x := 1 FROM t WHERE a > ?");
  });

  it('throws a ConfigError for a parameter without a value', () => {
    expect(() => compileNamedQuery('SELECT 1 WHERE a > :since', { watermark: 1 }, 'sqlite')).toThrow(ConfigError);
  });

  it('refuses positional placeholders written by the user', () => {
    expect(() => compileNamedQuery('SELECT * FROM t WHERE a > ?', {}, 'mysql')).toThrow(/named parameters/);
    expect(() => compileNamedQuery('SELECT * FROM t WHERE a > $1', {}, 'postgres')).toThrow(/named parameters/);
    // a ? inside a string is just text
    expect(compileNamedQuery("SELECT '?' FROM t", {}, 'sqlite').text).toBe("SELECT '?' FROM t");
  });

  it('keeps a cast the user wrote after a typed cursor (both casts name the column type)', () => {
    const c = compileNamedQuery('SELECT * FROM t WHERE u > :watermark::timestamp', { watermark: new TypedBind('timestamp', '2025-06-30T10:00:00') }, 'postgres');
    expect(c.text).toBe('SELECT * FROM t WHERE u > CAST($1 AS timestamp)::timestamp');
    expect(c.values).toEqual(['2025-06-30T10:00:00']);
  });

  it('passes values of any type through unchanged', () => {
    const date = new Date(0);
    expect(compileNamedQuery('SELECT :a, :b, :c', { a: null, b: 5, c: date }, 'sqlite').values).toEqual([null, 5, date]);
  });
});

describe('parameterNames', () => {
  it('lists distinct names in order of first use', () => {
    expect(parameterNames(q)).toEqual(['watermark', 'kind']);
    expect(parameterNames("SELECT ':watermark'")).toEqual([]);
  });
});

/**
 * Named parameters (`:watermark`) in a user's SELECT, rewritten to each database's placeholders.
 *
 * Users write one query style for every database; the driver binds it its own way:
 *   postgres  `$1, $2…` (one number per distinct name)
 *   mysql     `?` (one value per occurrence)
 *   sqlite    `?` (one value per occurrence)
 *   mssql     `@name` (named input)
 *   oracle    `:name` (named bind)
 *
 * A small scanner skips everything that is not code: quoted strings, quoted identifiers, comments,
 * PostgreSQL dollar-quoted strings and `::type` casts, so `':watermark'` or `x::text` are left alone.
 */
import { ConfigError } from '../../src/core/errors.js';
import { DIALECTS, type Dialect } from './dialect-name.js';
import { renderTypedBind, TypedBind } from './typed-cursor.js';

export { DIALECTS, type Dialect };

export interface CompiledQuery {
  dialect: Dialect;
  /** the SQL with the dialect's placeholders */
  text: string;
  /** values in placeholder order (postgres, mysql, sqlite); empty for named dialects */
  values: unknown[];
  /** values by bind name (mssql, oracle); empty for positional dialects */
  bindings: Record<string, unknown>;
  /** distinct parameter names, in order of first use */
  names: string[];
}

/** A piece of the scanned SQL: code we may rewrite, or text we must copy as is. */
type Token = { kind: 'code'; text: string } | { kind: 'param'; name: string } | { kind: 'opaque'; text: string };

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;

/** Splits SQL into code, `:name` parameters and opaque runs (strings, identifiers, comments). */
export function tokenizeSql(sql: string, dialect: Dialect): Token[] {
  const tokens: Token[] = [];
  let code = '';
  let i = 0;
  const flushCode = (): void => {
    if (code !== '') tokens.push({ kind: 'code', text: code });
    code = '';
  };
  const opaque = (end: number): number => {
    flushCode();
    tokens.push({ kind: 'opaque', text: sql.slice(i, end) });
    return end;
  };

  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];

    // MySQL takes `--` as a comment only when a space follows (`5--1` is 5 minus -1)
    if (ch === '-' && next === '-' && (dialect !== 'mysql' || i + 2 >= sql.length || /\s/.test(sql[i + 2] as string))) {
      const end = sql.indexOf('\n', i);
      i = opaque(end === -1 ? sql.length : end);
      continue;
    }
    if (ch === '#' && dialect === 'mysql') {
      const end = sql.indexOf('\n', i);
      i = opaque(end === -1 ? sql.length : end);
      continue;
    }
    if (ch === '/' && next === '*') {
      i = opaque(endOfBlockComment(sql, i, dialect === 'postgres'));
      continue;
    }
    if (ch === "'") {
      // PostgreSQL E'…' strings and MySQL strings treat backslash as an escape character.
      const prev = sql[i - 1];
      const backslashEscapes = dialect === 'mysql' || (dialect === 'postgres' && (prev === 'E' || prev === 'e'));
      i = opaque(endOfQuoted(sql, i, "'", backslashEscapes));
      continue;
    }
    if (ch === '"') {
      i = opaque(endOfQuoted(sql, i, '"', dialect === 'mysql'));
      continue;
    }
    if (ch === '`' && dialect === 'mysql') {
      i = opaque(endOfQuoted(sql, i, '`', false));
      continue;
    }
    if (ch === '[' && dialect === 'mssql') {
      i = opaque(endOfQuoted(sql, i, ']', false));
      continue;
    }
    if (ch === '$' && dialect === 'postgres' && !NAME_PART.test(sql[i - 1] ?? ' ')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        i = opaque(end === -1 ? sql.length : end + tag[0].length);
        continue;
      }
    }
    if (ch === ':') {
      if (next === ':') {
        // a PostgreSQL cast `::type`: copy both colons so the type name is not read as a parameter
        code += '::';
        i += 2;
        continue;
      }
      if (next !== undefined && NAME_START.test(next)) {
        let end = i + 1;
        while (end < sql.length && NAME_PART.test(sql[end] as string)) end++;
        flushCode();
        tokens.push({ kind: 'param', name: sql.slice(i + 1, end) });
        i = end;
        continue;
      }
    }
    code += ch;
    i++;
  }
  flushCode();
  return tokens;
}

/** Index just past the comment's `*\/`; PostgreSQL nests block comments, the others end at the first. */
function endOfBlockComment(sql: string, start: number, nested: boolean): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*' && (nested || depth === 0)) {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}

/** Index just past the closing quote; a doubled quote is an escaped quote. */
function endOfQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (quote !== ']' && sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

/** The distinct `:name` parameters a query uses, in order of first use. */
export function parameterNames(sql: string, dialect: Dialect = 'postgres'): string[] {
  const names: string[] = [];
  for (const t of tokenizeSql(sql, dialect)) if (t.kind === 'param' && !names.includes(t.name)) names.push(t.name);
  return names;
}

/**
 * Rewrites `:name` parameters for `dialect` and lines up the values. Every parameter the query uses
 * must be in `params` (ConfigError otherwise); extra entries are ignored, so one set of params
 * (e.g. `{ watermark }`) works for queries that do not use all of them.
 */
export function compileNamedQuery(sql: string, params: Record<string, unknown>, dialect: Dialect): CompiledQuery {
  const tokens = tokenizeSql(sql, dialect);
  rejectPositionalPlaceholders(tokens, dialect);

  const names: string[] = [];
  const values: unknown[] = [];
  const bindings: Record<string, unknown> = {};
  let text = '';
  for (const token of tokens) {
    if (token.kind !== 'param') {
      text += token.text;
      continue;
    }
    if (!Object.prototype.hasOwnProperty.call(params, token.name)) {
      throw new ConfigError('SQL_PARAM_MISSING', `The query uses the parameter :${token.name}, which has no value`, {
        field: token.name,
      });
    }
    const raw = params[token.name];
    let position = names.indexOf(token.name);
    if (position === -1) {
      names.push(token.name);
      position = names.length - 1;
    }
    const placeholder = { postgres: `$${position + 1}`, mysql: '?', sqlite: '?', mssql: `@${token.name}`, oracle: `:${token.name}` }[dialect];
    // a typed cursor is bound with an explicit cast to its type (see typed-cursor.ts)
    const typed = raw instanceof TypedBind ? renderTypedBind(raw, dialect, placeholder) : { sql: placeholder, value: raw };
    text += typed.sql;
    switch (dialect) {
      case 'postgres':
        if (values.length === position) values.push(typed.value);
        break;
      case 'mysql':
      case 'sqlite':
        values.push(typed.value);
        break;
      case 'mssql':
      case 'oracle':
        bindings[token.name] = typed.value;
        break;
    }
  }
  return { dialect, text, values, bindings, names };
}

/**
 * A bare `?` (mysql/sqlite) or `$1` (postgres) in the user's SQL would shift every bound value:
 * refuse it and ask for a named parameter instead.
 */
function rejectPositionalPlaceholders(tokens: Token[], dialect: Dialect): void {
  const pattern = dialect === 'postgres' ? /\$\d/ : dialect === 'mysql' || dialect === 'sqlite' ? /\?/ : null;
  if (!pattern) return;
  for (const t of tokens) {
    if (t.kind === 'code' && pattern.test(t.text)) {
      throw new ConfigError(
        'SQL_POSITIONAL_PARAM',
        `The query contains a positional placeholder; write named parameters such as :watermark instead`,
        { dialect },
      );
    }
  }
}

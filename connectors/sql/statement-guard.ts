/**
 * The static half of "a source only ever reads": a stream's query must be exactly one SELECT (or
 * WITH … SELECT). The drivers also run it in a read-only transaction that is rolled back, but some
 * statements get past that (MySQL and Oracle commit DDL implicitly, before the read-only
 * transaction can refuse it), so anything else is refused here, when the configuration is read.
 *
 * It works on the same scanner as the parameter rewriting (dialect.ts): strings, quoted identifiers
 * and comments are opaque, so `'DELETE'` or `-- drop table` inside them are harmless.
 */
import { ConfigError } from '../../src/core/errors.js';
import { tokenizeSql, type Dialect } from './dialect.js';

/** A word, a punctuation mark, or an opaque atom (string, quoted identifier, parameter). */
interface Lexeme {
  kind: 'word' | 'punct' | 'atom';
  text: string;
  /** parenthesis depth the lexeme is at (0 = the statement itself) */
  depth: number;
}

/** Statements that change data, schema, rights or session state, or run code. */
const CHANGING = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'UPSERT',
  'REPLACE',
  'TRUNCATE',
  'CREATE',
  'ALTER',
  'DROP',
  'RENAME',
  'GRANT',
  'REVOKE',
  'CALL',
  'EXEC',
  'EXECUTE',
  'COPY',
  'LOAD',
  'HANDLER',
  'LOCK',
  'UNLOCK',
  'SET',
  'DO',
  'DECLARE',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'VACUUM',
  'ANALYZE',
  'REINDEX',
  'CLUSTER',
  'REFRESH',
  'ATTACH',
  'DETACH',
  'PRAGMA',
  'COMMENT',
]);

function lex(sql: string, dialect: Dialect, stream?: string): Lexeme[] {
  const out: Lexeme[] = [];
  let depth = 0;
  for (const token of tokenizeSql(sql, dialect)) {
    if (token.kind === 'param') {
      out.push({ kind: 'atom', text: `:${token.name}`, depth });
      continue;
    }
    if (token.kind === 'opaque') {
      const t = token.text;
      // MySQL and MariaDB run the text of /*! … */ and /*M! … */ as SQL: it is code, not a comment
      if (dialect === 'mysql' && /^\/\*M?!/.test(t)) refuse('MySQL executable comments (/*! … */) are not allowed', stream);
      // comments are blanks; strings and quoted identifiers are single atoms
      if (!(t.startsWith('--') || t.startsWith('/*') || (dialect === 'mysql' && t.startsWith('#')))) out.push({ kind: 'atom', text: t, depth });
      continue;
    }
    for (const m of token.text.matchAll(/[A-Za-z_][A-Za-z0-9_$]*|\d+(?:\.\d+)?|::|\S/g)) {
      const text = m[0];
      if (text === ')') depth--;
      out.push({ kind: /^[A-Za-z_]/.test(text) ? 'word' : 'punct', text: /^[A-Za-z_]/.test(text) ? text.toUpperCase() : text, depth });
      if (text === '(') depth++;
    }
  }
  return out;
}

function refuse(problem: string, stream?: string): never {
  const where = stream === undefined ? 'the query' : `stream '${stream}': the query`;
  throw new ConfigError('SQL_NOT_A_SELECT', `${where} must be one read-only SELECT (or WITH … SELECT): ${problem}`, {
    connector: 'sql',
    ...(stream === undefined ? {} : { stream }),
  });
}

/**
 * Throws a ConfigError (`SQL_NOT_A_SELECT`) naming the problem unless `sql` is a single SELECT or
 * WITH … SELECT: no second statement after `;`, no data-changing statement (also not inside a
 * WITH), no `INTO`, no row locks (`FOR UPDATE`, `FOR SHARE`, `LOCK IN SHARE MODE`).
 */
export function assertSingleSelect(sql: string, dialect: Dialect, stream?: string): void {
  const lexemes = lex(sql, dialect, stream);
  const semicolon = lexemes.findIndex((l) => l.kind === 'punct' && l.text === ';');
  if (semicolon !== -1 && lexemes.slice(semicolon).some((l) => l.text !== ';')) {
    refuse('a `;` is followed by another statement (only one statement may run)', stream);
  }
  const body = semicolon === -1 ? lexemes : lexemes.slice(0, semicolon);
  if (body.length === 0) refuse('it is empty', stream);
  if (body.some((l) => l.depth < 0) || (body.at(-1)?.depth ?? 0) !== 0 || body.filter((l) => l.text === '(').length !== body.filter((l) => l.text === ')').length) {
    refuse('its parentheses do not balance', stream);
  }

  for (let i = 0; i < body.length; i++) {
    const l = body[i] as Lexeme;
    if (l.kind !== 'word') continue;
    const prev = body[i - 1];
    const next = body[i + 1];
    // a statement starts at the beginning and after '(' (a subquery or a CTE body); the one after
    // a WITH list is checked by mainStatement below
    const startsStatement = prev === undefined || prev.text === '(';
    if (startsStatement && CHANGING.has(l.text) && next?.text !== '(') {
      refuse(`${l.text} changes the database${l.depth > 0 ? ' (inside a subquery or WITH)' : ''}`, stream);
    }
    if (l.text === 'INTO') refuse('SELECT … INTO writes its result somewhere', stream);
    if (l.text === 'FOR' && next?.kind === 'word' && ['UPDATE', 'SHARE', 'NO', 'KEY'].includes(next.text)) {
      refuse(`FOR ${next.text} locks rows of the source`, stream);
    }
    if (l.text === 'LOCK' && next?.text === 'IN') refuse('LOCK IN SHARE MODE locks rows of the source', stream);
  }

  const main = mainStatement(body, stream);
  if (main !== 'SELECT') refuse(`the statement is ${main === '' ? 'not a SELECT' : `${main}, not a SELECT`}`, stream);
}

/** The first word of the statement that produces the result: after a WITH list, inside leading '('. */
function mainStatement(body: Lexeme[], stream?: string): string {
  let i = 0;
  while (body[i]?.text === '(') i++;
  if (body[i]?.text !== 'WITH') return body[i]?.kind === 'word' ? (body[i] as Lexeme).text : '';
  const depth = (body[i] as Lexeme).depth;
  i++;
  if (body[i]?.text === 'RECURSIVE') i++;
  // name [(columns)] AS [NOT] [MATERIALIZED] ( body ) [, …]
  while (true) {
    if (body[i]?.kind !== 'word' && body[i]?.kind !== 'atom') refuse('WITH is not followed by a name', stream);
    i++;
    if (body[i]?.text === '(') i = skipGroup(body, i);
    if (body[i]?.text !== 'AS') refuse('a WITH entry has no AS (…)', stream);
    i++;
    while (body[i]?.text === 'NOT' || body[i]?.text === 'MATERIALIZED') i++;
    if (body[i]?.text !== '(') refuse('a WITH entry has no AS (…)', stream);
    i = skipGroup(body, i);
    if (body[i]?.text === ',' && body[i]?.depth === depth) {
      i++;
      continue;
    }
    break;
  }
  while (body[i]?.text === '(') i++;
  return body[i]?.kind === 'word' ? (body[i] as Lexeme).text : '';
}

/** Index just past the ')' that closes the '(' at `open`. */
function skipGroup(body: Lexeme[], open: number): number {
  const depth = (body[open] as Lexeme).depth;
  for (let i = open + 1; i < body.length; i++) if (body[i]?.text === ')' && body[i]?.depth === depth) return i + 1;
  return body.length;
}

/**
 * The statement without its closing `;` and whatever follows it (comments, blanks): the drivers
 * wrap it (`DECLARE … FOR`, derived tables), where a `;` would end the text early.
 */
export function trimStatement(sql: string, dialect: Dialect): string {
  let offset = 0;
  for (const token of tokenizeSql(sql, dialect)) {
    const text = token.kind === 'param' ? `:${token.name}` : token.text;
    if (token.kind === 'code') {
      const at = text.indexOf(';');
      if (at !== -1) return sql.slice(0, offset + at).trim();
    }
    offset += text.length;
  }
  return sql.trim();
}

/**
 * Splits `WITH … ` off the main statement (SQL Server allows no WITH inside a derived table, so a
 * wrapper must put it first). Returns `with: ''` when the query has none. The query must have
 * passed assertSingleSelect.
 */
export function splitWithClause(sql: string, dialect: Dialect): { with: string; main: string } {
  const text = trimStatement(sql, dialect);
  const tokens = tokenizeSql(text, dialect);
  // find the character offset of the main statement by re-lexing with positions
  let offset = 0;
  const positions: { text: string; depth: number; at: number }[] = [];
  let depth = 0;
  for (const token of tokens) {
    const t = token.kind === 'param' ? `:${token.name}` : token.text;
    if (token.kind === 'code') {
      for (const m of t.matchAll(/[A-Za-z_][A-Za-z0-9_$]*|\S/g)) {
        const word = m[0].toUpperCase();
        if (word === ')') depth--;
        positions.push({ text: word, depth, at: offset + (m.index ?? 0) });
        if (word === '(') depth++;
      }
    } else if (!(t.startsWith('--') || t.startsWith('/*'))) {
      positions.push({ text: t, depth, at: offset });
    }
    offset += t.length;
  }
  if (positions[0]?.text !== 'WITH') return { with: '', main: text };
  // the main statement starts at the first depth-0 SELECT after the WITH list
  let seenAs = false;
  for (let i = 1; i < positions.length; i++) {
    const p = positions[i] as { text: string; depth: number; at: number };
    if (p.depth !== 0) continue;
    if (p.text === 'AS') seenAs = true;
    if (seenAs && (p.text === 'SELECT' || p.text === '(') && positions[i - 1]?.text === ')') {
      return { with: text.slice(0, p.at).trimEnd(), main: text.slice(p.at) };
    }
  }
  return { with: '', main: text };
}

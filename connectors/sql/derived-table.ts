/**
 * The user's SELECT wrapped as a derived table, to learn its columns without reading rows (probe)
 * or to read only some keys (readKeys), whatever the query looks like: its own WHERE, ORDER BY,
 * joins and WITH stay as written.
 */
import type { Dialect } from './dialect.js';
import { splitWithClause, trimStatement } from './statement-guard.js';
import { tokenizeSql } from './dialect.js';

const ALIAS = 'lienthong_q';

/** A column name as the database returned it, quoted so it matches exactly (case, Vietnamese letters). */
export function quoteIdentifier(name: string, dialect: Dialect): string {
  switch (dialect) {
    case 'mysql':
      return `\`${name.replace(/`/g, '``')}\``;
    case 'mssql':
      return `[${name.replace(/]/g, ']]')}]`;
    default:
      return `"${name.replace(/"/g, '""')}"`;
  }
}

/** Depth-0 words of a query (strings, identifiers and comments skipped). */
function topLevelWords(sql: string, dialect: Dialect): string[] {
  const words: string[] = [];
  let depth = 0;
  for (const token of tokenizeSql(sql, dialect)) {
    if (token.kind !== 'code') continue;
    for (const m of token.text.matchAll(/[A-Za-z_][A-Za-z0-9_]*|[()]/g)) {
      if (m[0] === '(') depth++;
      else if (m[0] === ')') depth--;
      else if (depth === 0) words.push(m[0].toUpperCase());
    }
  }
  return words;
}

/**
 * SQL Server refuses ORDER BY in a derived table unless TOP or OFFSET comes with it; the order
 * means nothing there, so `OFFSET 0 ROWS` makes it legal without changing the rows.
 */
export function mssqlDerivable(sql: string): string {
  const words = topLevelWords(sql, 'mssql');
  const ordered = words.some((w, i) => w === 'ORDER' && words[i + 1] === 'BY');
  if (!ordered || words.includes('OFFSET') || words.includes('TOP')) return sql;
  return `${sql}\nOFFSET 0 ROWS`;
}

/**
 * `SELECT * FROM (query) AS lienthong_q [WHERE where]`, limited to no rows when `empty`.
 * The query goes on its own lines so a trailing `-- comment` cannot swallow the wrapper.
 */
export function wrapAsDerivedTable(query: string, dialect: Dialect, options: { where?: string; empty?: boolean }): string {
  const sql = trimStatement(query, dialect);
  const conditions = [options.where, dialect === 'oracle' && options.empty ? '1 = 0' : undefined].filter((c) => c !== undefined);
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  switch (dialect) {
    case 'postgres':
    case 'mysql':
    case 'sqlite':
      return `SELECT * FROM (\n${sql}\n) AS ${ALIAS}${where}${options.empty ? ' LIMIT 0' : ''}`;
    case 'oracle':
      // Oracle takes no AS before a table alias
      return `SELECT * FROM (\n${sql}\n) ${ALIAS}${where}`;
    case 'mssql': {
      // a WITH cannot sit inside a derived table in SQL Server: it goes in front of the wrapper
      const parts = splitWithClause(sql, 'mssql');
      const head = parts.with === '' ? '' : `${parts.with}\n`;
      return `${head}SELECT${options.empty ? ' TOP 0' : ''} * FROM (\n${mssqlDerivable(parts.main)}\n) AS ${ALIAS}${where}`;
    }
  }
}

/**
 * Reading given source keys again (records held back by an earlier run): the user's query becomes a
 * derived table filtered on its first key column. A key is the key fields' values joined by '|',
 * and a value may itself hold a '|', so every way the key could split is asked for; the rows that
 * come back are then checked against the exact keys, so the SQL filter only has to be wide enough,
 * never exact.
 */
import type { ColumnInfo } from '../../src/core/connector.js';
import { quoteIdentifier, wrapAsDerivedTable } from './derived-table.js';
import type { Dialect } from './dialect.js';

/** Keys per statement: far below every database's parameter limit (SQL Server 2100, Oracle's IN list 1000). */
export const KEYS_PER_STATEMENT = 500;

const PARAM = 'lienthong_k';

/** Every value the first of `fieldCount` key fields can have in `key`. */
export function firstKeyCandidates(key: string, fieldCount: number): string[] {
  if (fieldCount <= 1) return [key];
  const out: string[] = [];
  let at = key.indexOf('|');
  while (at !== -1) {
    // the rest must still hold fieldCount - 2 separators
    const rest = key.slice(at + 1);
    if (rest.split('|').length - 1 >= fieldCount - 2) out.push(key.slice(0, at));
    at = key.indexOf('|', at + 1);
  }
  return out;
}

export interface KeyQuery {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * The wrapped query for one batch of keys. `first` is the first key column as the probe named it;
 * an empty candidate stands for NULL (and for '' when the column holds text).
 */
export function keyBatchQuery(query: string, dialect: Dialect, first: ColumnInfo, keys: string[], fieldCount: number): KeyQuery {
  const candidates = new Set<string>();
  for (const key of keys) for (const c of firstKeyCandidates(key, fieldCount)) candidates.add(c);
  // unqualified: the derived table is the only thing in FROM (and Oracle folds an unquoted alias)
  const column = quoteIdentifier(first.name, dialect);
  const params: Record<string, unknown> = {};
  const names: string[] = [];
  let nullable = false;
  for (const c of candidates) {
    // a number, date or time never holds a '|': such a split cannot be the first field, and
    // binding it against a typed column would make PostgreSQL, SQL Server or Oracle refuse the query
    if (first.cursorType !== undefined && first.cursorType !== 'text' && c.includes('|')) continue;
    if (c === '') {
      nullable = true;
      if (first.cursorType !== 'text') continue;
    }
    const name = `${PARAM}${names.length}`;
    names.push(`:${name}`);
    // SQLite compares an integer column's values with a text parameter as text unless the column
    // has integer affinity: bind whole numbers as integers
    params[name] = dialect === 'sqlite' && first.cursorType === 'integer' && /^-?\d+$/.test(c) ? BigInt(c) : c;
  }
  const conditions = [names.length > 0 ? `${column} IN (${names.join(', ')})` : undefined, nullable ? `${column} IS NULL` : undefined].filter(
    (c) => c !== undefined,
  );
  const where = conditions.length === 0 ? '1 = 0' : `(${conditions.join(' OR ')})`;
  return { sql: wrapAsDerivedTable(query, dialect, { where }), params };
}

// The dialect names alone, apart from dialect.ts: typed-cursor.ts needs them, and dialect.ts
// needs typed-cursor.ts.

export type Dialect = 'sqlite' | 'postgres' | 'mysql' | 'mssql' | 'oracle';

export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres', 'mysql', 'mssql', 'oracle'];

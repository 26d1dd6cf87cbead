/** One step of the SQLite state store's schema: `user_version` records how far a database has come. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

import type { Dialect } from './dialect.js';
import type { DriverOptions, SqlDriver } from './driver.js';

/** Loads only the client library the config asks for (oracledb and mssql are heavy). */
export async function createSqlDriver(dialect: Dialect, options: DriverOptions): Promise<SqlDriver> {
  switch (dialect) {
    case 'sqlite':
      return new (await import('./drivers/sqlite.js')).SqliteDriver(options);
    case 'postgres':
      return new (await import('./drivers/postgres.js')).PostgresDriver(options);
    case 'mysql':
      return new (await import('./drivers/mysql.js')).MysqlDriver(options);
    case 'mssql':
      return new (await import('./drivers/mssql.js')).MssqlDriver(options);
    case 'oracle':
      return new (await import('./drivers/oracle.js')).OracleDriver(options);
  }
}

import { describe, expect, it } from 'vitest';
import { SqlConnectionConfigSchema, SqlStreamConfigSchema } from './config.js';

const accepts = (url: string, driver = 'postgres'): boolean => SqlConnectionConfigSchema.safeParse({ driver, url }).success;

describe('a SQL connection URL', () => {
  it('may not hold a password in any form the masking knows', () => {
    expect(accepts('postgres://lienthong:s3cret@db.example.edu.vn/uis')).toBe(false);
    expect(accepts('postgres://lienthong@db.example.edu.vn/uis?password=s3cret')).toBe(false);
    expect(accepts('Server=db;User Id=lienthong;Password=s3cret;', 'mssql')).toBe(false);
    const refused = SqlConnectionConfigSchema.safeParse({ driver: 'postgres', url: 'postgres://u@h/db?password=x' });
    expect(refused.success ? [] : refused.error.issues.map((i) => i.message)).toEqual(['this URL holds a password: give it as env:NAME or file:PATH']);
  });

  it('is fine without one, or as a secret reference', () => {
    expect(accepts('postgres://postgres@127.0.0.1:5432/test')).toBe(true);
    expect(accepts('mysql://root@127.0.0.1:3306/test', 'mysql')).toBe(true);
    expect(accepts('env:UIS_DB_URL')).toBe(true);
    expect(accepts('file:/etc/lienthong/uis.url')).toBe(true);
    expect(accepts('demo-data/uis.db', 'sqlite')).toBe(true);
  });
});

describe('a stream\'s initialCursor', () => {
  it('empty or blank (what earlier versions wrote) means none: the first run reads everything', () => {
    for (const initialCursor of ['', '   ']) {
      expect(SqlStreamConfigSchema.parse({ name: 's', query: 'SELECT 1 AS id', keyFields: ['id'], initialCursor }).initialCursor).toBeUndefined();
    }
    expect(SqlStreamConfigSchema.parse({ name: 's', query: 'SELECT 1 AS id', keyFields: ['id'], initialCursor: 0 }).initialCursor).toBe(0);
  });
});

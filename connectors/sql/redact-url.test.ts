import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('masks the password of a connection URL', () => {
    expect(redactUrl('postgres://lt:s3cr%40t@db.example.vn:5432/uis')).toBe('postgres://lt:***@db.example.vn:5432/uis');
    expect(redactUrl('mysql://root:hunter2@127.0.0.1:3306/test')).not.toContain('hunter2');
  });

  it('leaves URLs without a password alone', () => {
    expect(redactUrl('postgres://postgres@127.0.0.1:5432/test')).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('masks secrets in query parameters', () => {
    const out = redactUrl('postgres://u@h/db?sslmode=require&password=abc123');
    expect(out).toContain('sslmode=require');
    expect(out).not.toContain('abc123');
    expect(out).toContain('password=***');
  });

  it('masks ADO-style connection strings', () => {
    expect(redactUrl('Server=sql1;Database=uis;User Id=sa;Password=Pa55;Encrypt=true')).toBe(
      'Server=sql1;Database=uis;User Id=sa;Password=***;Encrypt=true',
    );
  });

  it('keeps a file path as is', () => {
    expect(redactUrl('/var/lib/uis/uis.sqlite')).toBe('/var/lib/uis/uis.sqlite');
  });

  it('masks a password even when the URL does not parse', () => {
    expect(redactUrl('oracle://scott:tiger@[bad host/orcl')).not.toContain('tiger');
  });
});

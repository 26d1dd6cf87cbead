import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { objectShapeOf } from '../../src/core/plugin.js';
import { parseRemoteSigningConfig, remoteSigningConnectionSchema } from './config.js';

/** The README's options table and the schema cannot drift apart (as connectors/readme-options.test.ts does for plugins). */
describe('remote-signing README', () => {
  it('documents exactly the options the connection schema accepts', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const lines = readme.split('\n');
    const start = lines.findIndex((l) => /^\|\s*option\s*\|/.test(l));
    const documented: string[] = [];
    for (const line of lines.slice(start + 2)) {
      if (!line.startsWith('|')) break;
      for (const m of (line.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)) documented.push(m[1]!);
    }
    expect(documented.sort()).toEqual(Object.keys(objectShapeOf(remoteSigningConnectionSchema) ?? {}).sort());
  });

  it('takes the secret only as a reference in configuration, and names no value in its errors', () => {
    const base = { baseUrl: 'https://ky.example.vn', clientId: 'school' };
    expect(remoteSigningConnectionSchema.safeParse({ ...base, clientSecret: 'env:SIGNING_SECRET' }).success).toBe(true);
    expect(remoteSigningConnectionSchema.safeParse({ ...base, clientSecret: 'hunter2' }).success).toBe(false);
    expect(remoteSigningConnectionSchema.safeParse({ ...base, clientSecret: 'env:X', extra: 1 }).success).toBe(false);
    expect(() => parseRemoteSigningConfig({ ...base, clientSecret: 'hunter2', timeoutMs: -1 })).toThrow(/timeoutMs/);
    try {
      parseRemoteSigningConfig({ ...base, clientSecret: 'hunter2', timeoutMs: -1 });
    } catch (err) {
      expect(String(err)).not.toContain('hunter2');
    }
    expect(() => parseRemoteSigningConfig({ ...base, baseUrl: 'ftp://ky.example.vn', clientSecret: 's' })).toThrow(/https/);
    expect(parseRemoteSigningConfig({ ...base, baseUrl: 'http://127.0.0.1:9', clientSecret: 's' }).maxWaitMs).toBe(660_000);
  });
});

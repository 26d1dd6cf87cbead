import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../core/package-root.js';
import { parseListen, readTlsFiles } from '../server/listen.js';
import { loadConfig } from './load.js';
import { mainConfigSchema } from './schema.js';

describe('server: configuration', () => {
  it('is optional: a configuration without it listens on 127.0.0.1:8080 with 30-minute sessions and no TLS', () => {
    const c = mainConfigSchema.parse({ connections: {} });
    expect(c.server).toEqual({ listen: '127.0.0.1:8080', sessionIdleMinutes: 30, trustProxy: [] });
    // the shipped example still validates unchanged
    expect(loadConfig(join(packageRoot(), 'config', 'lienthong.yaml')).config.server.listen).toBe('127.0.0.1:8080');
  });

  it('takes a listen address, TLS files and an idle timeout, and refuses anything else', () => {
    const c = mainConfigSchema.parse({ connections: {}, server: { listen: '[::1]:8443', tls: { cert: 'tls/cert.pem', key: 'tls/key.pem' }, sessionIdleMinutes: 10 } });
    expect(c.server).toEqual({ listen: '[::1]:8443', tls: { cert: 'tls/cert.pem', key: 'tls/key.pem' }, sessionIdleMinutes: 10, trustProxy: [] });
    for (const bad of [{ listen: '8080' }, { listen: 'host:port' }, { sessionIdleMinutes: 0 }, { tls: { cert: 'c.pem' } }, { port: 8080 }]) {
      expect(mainConfigSchema.safeParse({ connections: {}, server: bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('takes the reverse proxies as addresses or CIDR ranges, and names a bad one', () => {
    const c = mainConfigSchema.parse({ connections: {}, server: { trustProxy: ['10.0.0.5', '10.1.0.0/16', 'fd00::/8', '::1'] } });
    expect(c.server.trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16', 'fd00::/8', '::1']);
    for (const bad of ['proxy.local', '10.0.0.0/33', '10.0.0.0/8/1', 'fd00::/129', '10.0.0.0/x']) {
      const r = mainConfigSchema.safeParse({ connections: {}, server: { trustProxy: [bad] } });
      expect(r.success, bad).toBe(false);
      expect(JSON.stringify(r.error?.issues), bad).toMatch(/addresses or CIDR ranges/);
    }
  });

  it('parses HOST:PORT, with an IPv6 host in brackets', () => {
    expect(parseListen('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListen('[::1]:8443')).toEqual({ host: '::1', port: 8443 });
    expect(parseListen('console.local:80')).toEqual({ host: 'console.local', port: 80 });
    for (const bad of ['8080', ':8080', 'a:70000', 'a b:1']) expect(() => parseListen(bad), bad).toThrow(/HOST:PORT/);
  });

  it('reads the TLS files relative to the configuration file, and names a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-tls-'));
    writeFileSync(join(dir, 'lienthong.yaml'), 'connections: {}\nserver:\n  tls:\n    cert: cert.pem\n    key: key.pem\n');
    writeFileSync(join(dir, 'cert.pem'), 'CERT');
    const loaded = loadConfig(join(dir, 'lienthong.yaml'));
    expect(() => readTlsFiles(loaded)).toThrow(/server\.tls\.key: cannot read .*key\.pem/);
    writeFileSync(join(dir, 'key.pem'), 'KEY');
    expect(readTlsFiles(loaded)).toEqual({ cert: Buffer.from('CERT'), key: Buffer.from('KEY') });
  });
});

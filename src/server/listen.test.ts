import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { silentLogger } from '../core/logger.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { startService, type RunningService } from './listen.js';
import { RunProgressHub } from './progress.js';

let dir: string;
let store: SqliteStateStore;
let service: RunningService;
let cert: Buffer;

/** a GET over HTTPS trusting only the test's own certificate */
function get(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: cert, servername: 'localhost' }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lt-tls-serve-'));
  mkdirSync(join(dir, 'config'));
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'config', 'key.pem'), '-out', join(dir, 'config', 'cert.pem')], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
  cert = readFileSync(join(dir, 'config', 'cert.pem'));
  writeFileSync(join(dir, 'config', 'lienthong.yaml'), 'dataDir: ../data\njobsDir: ../jobs\nconnections: {}\nserver:\n  listen: 127.0.0.1:8080\n  tls:\n    cert: cert.pem\n    key: key.pem\n');
  const loaded = loadConfig(join(dir, 'config', 'lienthong.yaml'));
  mkdirSync(loaded.dataDir, { recursive: true });
  store = new SqliteStateStore(loaded.storePath);
  service = await startService({ loaded, store, logger: silentLogger() }, new RunProgressHub(), { listen: '127.0.0.1:0' });
}, 60_000);

afterAll(async () => {
  await service?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('startService', () => {
  it('serves HTTPS with the configured certificate, on the --listen address, with HSTS', async () => {
    expect(service.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(service.url).not.toBe('https://127.0.0.1:8080');
    const r = await get(`${service.url}/healthz`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
    expect(r.headers['strict-transport-security']).toMatch(/max-age=/);
    expect(String(r.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
  });

  it('closes: no more connections are taken', async () => {
    const url = service.url;
    await service.close();
    await expect(get(`${url}/healthz`)).rejects.toThrow();
  });
});

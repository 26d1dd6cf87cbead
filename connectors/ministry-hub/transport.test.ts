import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectionSchema } from '../../src/config/schema.js';
import { ConfigError, TransientError, type LienthongError } from '../../src/core/errors.js';
import { isLoopbackHost } from './config.js';
import { MinistryHubDestination } from './destination.js';
import { errorForNoAnswer, isTlsConfigFailure } from './http-errors.js';
import { failure } from './testing/batches.js';

const SECRET = 'transport-secret-42';
const CONTEXT = { dataset: 'vanbangchungchi', schemaVersion: 'VanBangChungChi/2025' };
const RECORD = { idbanghi: 'DHA-1', sukien: 'NEW' as const, phienban: 1, thoigiancapnhat: '2026-06-20T10:15:00', data: { sohieu: 'VB-1' } };

let destination: MinistryHubDestination | undefined;
let server: Server | undefined;
afterEach(async () => {
  await destination?.close();
  destination = undefined;
  const s = server;
  server = undefined;
  if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
});


function errorOf(fn: () => unknown): LienthongError {
  try {
    fn();
  } catch (err) {
    return err as LienthongError;
  }
  throw new Error('expected an error');
}

describe('plain http', () => {
  it('is refused to another machine, naming the connection and what to do', () => {
    const err = errorOf(() => new MinistryHubDestination({ name: 'config/lienthong.yaml: connections.hub', baseUrl: 'http://hub.moet.example/api', unitCode: 'DHA', clientId: 'c', clientSecret: SECRET }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('HUB_INSECURE_HTTP');
    expect(err.message).toContain('config/lienthong.yaml: connections.hub');
    expect(err.message).toContain('https://');
    expect(err.message).toContain('allowInsecureHttp: true');
    expect(err.message).not.toContain(SECRET);
    // an address on the local network is another machine too
    expect(errorOf(() => new MinistryHubDestination({ baseUrl: 'http://10.0.0.5:8080', unitCode: 'DHA', clientId: 'c', clientSecret: SECRET })).code).toBe('HUB_INSECURE_HTTP');
  });

  it('is allowed with allowInsecureHttp, and then warns (every run asks for the warnings)', () => {
    destination = new MinistryHubDestination({ name: 'connections.hub', baseUrl: 'http://hub.moet.example', unitCode: 'DHA', clientId: 'c', clientSecret: SECRET, allowInsecureHttp: true });
    const warnings = destination.warnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/connections\.hub: sending to http:\/\/hub\.moet\.example over plain http/);
    expect(destination.warnings()).toEqual(warnings);
  });

  it('stays allowed to this machine (the simulator), with no warning; https never warns', () => {
    for (const baseUrl of ['http://127.0.0.1:8787', 'http://127.9.9.9', 'http://localhost:1', 'http://[::1]:8787', 'https://hub.moet.example']) {
      const d = new MinistryHubDestination({ baseUrl, unitCode: 'DHA', clientId: 'c', clientSecret: SECRET });
      expect(d.warnings()).toEqual([]);
      void d.close();
    }
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('127.0.0.1.example.com')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });

  it('is refused by the configuration schema too (lienthong validate), unless allowed', () => {
    const base = { type: 'ministry-hub', unitCode: 'DHA', clientId: 'c', clientSecret: 'env:HUB_SECRET' };
    const refused = connectionSchema.safeParse({ ...base, baseUrl: 'http://hub.moet.example' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['baseUrl']);
    expect(refused.error?.issues[0]?.message).toContain('HUB_INSECURE_HTTP');
    expect(connectionSchema.safeParse({ ...base, baseUrl: 'http://hub.moet.example', allowInsecureHttp: true }).success).toBe(true);
    const local = connectionSchema.parse({ ...base, baseUrl: 'http://127.0.0.1:8787' });
    expect(local).toMatchObject({ allowInsecureHttp: false });
  });
});

/** certificates made with openssl for this test: a self-signed one, and one signed by a CA nobody trusts */
let certs: { selfKey: string; selfCert: string; leafKey: string; leafCert: string };
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'lt-tls-'));
  const p = (f: string): string => join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  run('req', '-x509', ...ec, '-keyout', p('self.key'), '-out', p('self.pem'), '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  run('req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=Untrusted Test CA');
  run('req', ...ec, '-keyout', p('leaf.key'), '-out', p('leaf.csr'), '-subj', '/CN=localhost');
  writeFileSync(p('leaf.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run('x509', '-req', '-in', p('leaf.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('leaf.pem'), '-days', '2', '-extfile', p('leaf.ext'));
  certs = {
    selfKey: readFileSync(p('self.key'), 'utf8'),
    selfCert: readFileSync(p('self.pem'), 'utf8'),
    leafKey: readFileSync(p('leaf.key'), 'utf8'),
    leafCert: readFileSync(p('leaf.pem'), 'utf8'),
  };
});

/** an https hub that would answer everything, if the client trusted it */
async function httpsHub(key: string, cert: string): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const s = createServer({ key, cert }, (_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: 't', token_type: 'Bearer', expires_in: 3600 }));
  });
  server = s;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { url: `https://127.0.0.1:${(s.address() as AddressInfo).port}`, requests: () => requests };
}

describe('TLS certificate errors are configuration errors (HUB_TLS), never retried', () => {
  it('a self-signed certificate', async () => {
    const hub = await httpsHub(certs.selfKey, certs.selfCert);
    destination = new MinistryHubDestination({ baseUrl: hub.url, unitCode: 'DHA', clientId: 'c', clientSecret: SECRET, timeoutMs: 5000 });
    const err = await failure(destination.writeEnvelopes([RECORD], CONTEXT));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('HUB_TLS');
    expect(err.kind).toBe('config');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(err.message).toContain('NODE_EXTRA_CA_CERTS');
    expect(err.message).not.toContain(SECRET);
    expect(hub.requests()).toBe(0);
    const checked = await destination.check();
    expect(checked.ok).toBe(false);
    expect(checked.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('a certificate from an unknown CA', async () => {
    const hub = await httpsHub(certs.leafKey, certs.leafCert);
    destination = new MinistryHubDestination({ baseUrl: hub.url, unitCode: 'DHA', clientId: 'c', clientSecret: SECRET, timeoutMs: 5000 });
    const err = await failure(destination.writeEnvelopes([RECORD], CONTEXT));
    expect(err.code).toBe('HUB_TLS');
    expect(err.message).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
  });

  it('https to a port that speaks plain http', async () => {
    const { createServer: createHttpServer } = await import('node:http');
    const plain = createHttpServer((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      destination = new MinistryHubDestination({ baseUrl: `https://127.0.0.1:${(plain.address() as AddressInfo).port}`, unitCode: 'DHA', clientId: 'c', clientSecret: SECRET, timeoutMs: 5000 });
      const err = await failure(destination.writeEnvelopes([RECORD], CONTEXT));
      expect(err.code).toBe('HUB_TLS');
    } finally {
      plain.closeAllConnections();
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });

  it('maps every certificate failure code, and leaves network failures transient', () => {
    const codes = ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_SSL_WRONG_VERSION_NUMBER'];
    for (const code of codes) {
      const raw = Object.assign(new Error(`tls failed: ${code}`), { code });
      const err = errorForNoAnswer(raw, { connector: 'ministry-hub' });
      expect(err, code).toBeInstanceOf(ConfigError);
      expect(err.code).toBe('HUB_TLS');
      expect(err.message).toContain(code);
      expect(isTlsConfigFailure(code)).toBe(true);
    }
    // axios wraps the socket's error: the code can be on the cause only
    const wrapped = Object.assign(new Error('request failed'), { cause: Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }) });
    expect(errorForNoAnswer(wrapped, {}).code).toBe('HUB_TLS');
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EAI_AGAIN']) {
      const err = errorForNoAnswer(Object.assign(new Error(code), { code }), {});
      expect(err, code).toBeInstanceOf(TransientError);
    }
  });
});

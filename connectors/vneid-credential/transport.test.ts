import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, LienthongError, RejectedError, TransientError } from '../../src/core/errors.js';
import { VneidCredentialDestination } from './destination.js';
import { errorForFault, errorForNoAnswer, errorForStatus } from './service-client.js';
import { connectionTo, encodedRecord, stagedRecord } from './testing/support.js';

const context = { dataset: 'vneid-vanbang', schemaVersion: 'v1' };

async function failure(p: Promise<unknown>): Promise<LienthongError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LienthongError);
  return err as LienthongError;
}

describe('TLS the client cannot trust is a configuration error (VNEID_TLS), never retried', () => {
  let dir: string;
  let key: string;
  let cert: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lt-vneid-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
    key = readFileSync(join(dir, 'k.pem'), 'utf8');
    cert = readFileSync(join(dir, 'c.pem'), 'utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a self-signed certificate: nothing is sent, check says why', async () => {
    let requests = 0;
    const server = createServer({ key, cert }, (_req, res) => {
      requests += 1;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const destination = new VneidCredentialDestination(connectionTo(`https://127.0.0.1:${(server.address() as AddressInfo).port}/CredentialService`, { timeoutMs: 5000 }));
    try {
      const err = await failure(destination.write([encodedRecord(stagedRecord(1))], context));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.code).toBe('VNEID_TLS');
      expect(err.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(await destination.check()).toMatchObject({ ok: false, kind: 'config' });
      expect(requests).toBe(0);
    } finally {
      await destination.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('https to a port that speaks plain http', async () => {
    const plain = createHttpServer((_req, res) => res.end());
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const destination = new VneidCredentialDestination(connectionTo(`https://127.0.0.1:${(plain.address() as AddressInfo).port}/CredentialService`, { timeoutMs: 5000 }));
    try {
      expect((await failure(destination.write([encodedRecord(stagedRecord(2))], context))).code).toBe('VNEID_TLS');
    } finally {
      await destination.close();
      plain.closeAllConnections();
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });

  it('a refused connection is transient', async () => {
    const plain = createHttpServer();
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as AddressInfo).port;
    await new Promise<void>((resolve) => plain.close(() => resolve()));
    const destination = new VneidCredentialDestination(connectionTo(`http://127.0.0.1:${port}/CredentialService`));
    try {
      const err = await failure(destination.write([encodedRecord(stagedRecord(3))], context));
      expect(err).toBeInstanceOf(TransientError);
      expect(err.code).toBe('VNEID_NETWORK');
    } finally {
      await destination.close();
    }
  });
});

describe('what an HTTP status or a Fault means', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  it.each<[number, string, string]>([
    [401, 'config', 'VNEID_UNAUTHORIZED'],
    [403, 'config', 'VNEID_FORBIDDEN'],
    [404, 'config', 'VNEID_NOT_FOUND'],
    [302, 'config', 'VNEID_REDIRECTED'],
    [408, 'transient', 'VNEID_UNAVAILABLE'],
    [429, 'transient', 'VNEID_RATE_LIMITED'],
    [502, 'transient', 'VNEID_UNAVAILABLE'],
    [400, 'rejected', 'VNEID_HTTP_REFUSED'],
  ])('HTTP %i: %s %s', (status, kind, code) => {
    const err = errorForStatus(status, 'body of 001099000001', undefined, {}, now);
    expect([err.kind, err.code]).toEqual([kind, code]);
    expect(err.message).not.toContain('001099000001');
  });

  it('Retry-After is kept for a 429 or a 503', () => {
    expect((errorForStatus(429, '', '7', {}, now) as TransientError).retryAfterMs).toBe(7000);
    expect((errorForStatus(503, '', 'Tue, 01 Dec 2026 00:00:30 GMT', {}, now) as TransientError).retryAfterMs).toBe(30_000);
    expect(errorForStatus(400, '', undefined, {}, now)).toBeInstanceOf(RejectedError);
  });

  it('Faults: transient, except an expired message and a WS-Security login refused', () => {
    expect(errorForFault({ code: 'soap:Server', text: 'boom' }, {})).toMatchObject({ kind: 'transient', code: 'VNEID_FAULT' });
    expect(errorForFault({ code: 'wsse:MessageExpired', text: 'x' }, {})).toMatchObject({ kind: 'transient', code: 'VNEID_MESSAGE_EXPIRED' });
    for (const code of ['wsse:FailedAuthentication', 'wsse:InvalidSecurity', 'ns1:InvalidSecurityToken', 'SecurityTokenUnavailable']) {
      expect(errorForFault({ code, text: 'x' }, {}), code).toMatchObject({ kind: 'config', code: 'VNEID_AUTH_FAILED' });
    }
    expect(errorForFault({ code: 'soap:Client', text: 'personalId 001099000001 refused' }, {}).message).not.toContain('001099000001');
  });

  it('no answer: a timeout and an answer too large are transient, with what they are', () => {
    expect(errorForNoAnswer(Object.assign(new Error('timeout of 300ms exceeded'), { code: 'ECONNABORTED' }), {}).code).toBe('VNEID_TIMEOUT');
    expect(errorForNoAnswer(Object.assign(new Error('maxContentLength size of 4096 exceeded'), { code: 'ERR_BAD_RESPONSE' }), { answerBound: 4096 })).toMatchObject({ code: 'VNEID_ANSWER_TOO_LARGE', kind: 'transient' });
  });
});

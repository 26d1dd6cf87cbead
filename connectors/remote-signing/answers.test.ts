import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LienthongError } from '../../src/core/errors.js';
import { RemoteSigningClient } from './index.js';

/**
 * A broken or hostile service (a plain node:http server, not the simulator, which follows the
 * contract): answers off the contract are BugErrors, answers over their bound are refused unread.
 */

let answer: { status: number; body: string } = { status: 200, body: '{}' };
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/oauth2/token') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: 't', token_type: 'Bearer', expires_in: 3600 }));
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function failure(p: Promise<unknown>): Promise<LienthongError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof LienthongError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('RemoteSigningClient and answers off the contract', () => {
  const client = (): RemoteSigningClient => new RemoteSigningClient({ baseUrl: url, clientId: 'c', clientSecret: 's', retryBudgetMs: 0 });

  it('refuses a body that does not follow the contract (RSIGN_BAD_ANSWER, naming the field)', async () => {
    const c = client();
    answer = { status: 200, body: JSON.stringify({ status: 'APPROVED', signatures: [], approvedAt: 'x' }) };
    const err = await failure(c.status('t1'));
    expect(err.code).toBe('RSIGN_BAD_ANSWER');
    expect(err.kind).toBe('bug');
    expect(err.message).toMatch(/signatures\/status.*signatures/);
    answer = { status: 200, body: 'not json' };
    expect((await failure(c.listCredentials('001085012345'))).code).toBe('RSIGN_BAD_ANSWER');
    c.close();
  });

  it('refuses an answer over its size bound before reading it whole (RSIGN_ANSWER_TOO_LARGE)', async () => {
    const c = client();
    answer = { status: 200, body: JSON.stringify({ credentialIds: ['x'.repeat(100 * 1024)] }) };
    const err = await failure(c.listCredentials('001085012345'));
    expect(err.code).toBe('RSIGN_ANSWER_TOO_LARGE');
    expect(err.kind).toBe('transient');
    c.close();
  });

  it('names another 4xx with its status (RSIGN_REFUSED) and a 403 as configuration', async () => {
    const c = client();
    answer = { status: 409, body: JSON.stringify({ error: 'conflict', error_description: 'busy 001085012345' }) };
    const refused = await failure(c.credentialInfo('cred'));
    expect(refused.code).toBe('RSIGN_REFUSED');
    // a personal id in the service's words is masked before it reaches our error
    expect(refused.message).not.toContain('001085012345');
    answer = { status: 403, body: JSON.stringify({ error: 'access_denied' }) };
    expect((await failure(c.credentialInfo('cred'))).code).toBe('RSIGN_FORBIDDEN');
    c.close();
  });
});

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSignerCertificate } from '../../../documents/xmldsig/signer-certificate.js';
import { SigningSimulator } from './index.js';

/** The simulator's own promises, over HTTP with plain fetch: what the client tests take for granted. */

const dir = mkdtempSync(join(tmpdir(), 'rsign-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function post(url: string, path: string, body: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function token(url: string): Promise<string> {
  const res = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'c', client_secret: 's' }).toString(),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('SigningSimulator', () => {
  it('keeps its CA in caCertPath + caKeyPath across restarts; certificates of both runs chain to the file', async () => {
    const caCertPath = join(dir, 'pki', 'signing-ca.crt');
    const caKeyPath = join(dir, 'pki', 'signing-ca.key');
    const chains: string[][] = [];
    for (const run of [1, 2]) {
      const sim = new SigningSimulator();
      await sim.start({ clients: [{ clientId: 'c', clientSecret: 's' }], caCertPath, caKeyPath });
      try {
        expect(readFileSync(caCertPath, 'utf8')).toBe(sim.caCertPem);
        chains.push(sim.addSigner({ personalId: `00108500077${run}`, name: `Run ${run}` }).chainPem);
      } finally {
        await sim.stop();
      }
    }
    const trusted = [readFileSync(caCertPath, 'utf8')];
    chains.forEach((chain, i) => checkSignerCertificate(chain, { trustedCaPems: trusted, personalId: `00108500077${i + 1}`, at: new Date() }));
  });

  it('writes only the certificate when given caCertPath alone', async () => {
    const sim = new SigningSimulator();
    const caCertPath = join(dir, 'only', 'ca.crt');
    await sim.start({ clients: [{ clientId: 'c', clientSecret: 's' }], caCertPath });
    try {
      expect(readFileSync(caCertPath, 'utf8')).toBe(sim.caCertPem);
    } finally {
      await sim.stop();
    }
  });

  it('checks bearer tokens and the signHash request as the contract says, and lists what waits on the control endpoint', async () => {
    const sim = new SigningSimulator();
    const { url } = await sim.start({ clients: [{ clientId: 'c', clientSecret: 's' }], policy: { mode: 'manual' } });
    try {
      const signer = sim.addSigner({ personalId: '001085000888', name: 'Manual' });
      expect((await post(url, '/csc/v2/credentials/list', { userId: '001085000888' })).status).toBe(401);
      const t = await token(url);
      const good = {
        credentialId: signer.credentialId,
        hashes: [createHash('sha256').update('x').digest('base64')],
        hashAlgorithmOID: '2.16.840.1.101.3.4.2.1',
        signAlgo: '1.2.840.113549.1.1.11',
        description: 'd',
        clientRequestId: 'r1',
      };
      for (const bad of [{ hashAlgorithmOID: '1.3.14.3.2.26' }, { hashes: ['AAAA'] }, { description: '' }, { clientRequestId: undefined }]) {
        const answer = await post(url, '/csc/v2/signatures/signHash', { ...good, ...bad }, t);
        expect(answer.status).toBe(400);
        expect(answer.json.error).toBe('invalid_request');
        expect(typeof answer.json.error_description).toBe('string');
      }
      expect((await post(url, '/csc/v2/signatures/signHash', 'not json', t)).status).toBe(400);
      expect((await post(url, '/csc/v2/signatures/signHash', { ...good, credentialId: 'nope' }, t)).status).toBe(404);
      const made = await post(url, '/csc/v2/signatures/signHash', good, t);
      expect(made.status).toBe(202);
      const list = (await (await fetch(`${url}/_control/transactions`)).json()) as { pending: { transactionId: string; hashes: number }[] };
      expect(list.pending).toEqual([expect.objectContaining({ transactionId: made.json.transactionId, hashes: 1 })]);
      expect((await fetch(`${url}/_control/transactions/${String(made.json.transactionId)}/approve`, { method: 'POST' })).status).toBe(200);
      // a decided transaction cannot be decided again
      expect((await fetch(`${url}/_control/transactions/${String(made.json.transactionId)}/reject`, { method: 'POST' })).status).toBe(409);
      expect((await post(url, '/csc/v2/signatures/status', { transactionId: made.json.transactionId }, t)).json.status).toBe('APPROVED');
    } finally {
      await sim.stop();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaderXml, xRoadHeaderXml } from '../headers.js';
import { CLIENT_ID, SERVICE_ID, SIM_LOGIN, startTestSimulator } from '../testing/support.js';
import { parseVneidSimulatorArgs } from './cli-args.js';
import type { VneidSimulator } from './server.js';

/** The simulator refuses what breaks the contract, seen from raw requests (not through the client). */

const PUBLISH = (key: string): string =>
  `<PublishCredentialRequest xmlns="urn:vn:gov:credential:v1"><personalId>001099000001</personalId><credentialType>DIPLOMA</credentialType><credentialKey>${key}</credentialKey>` +
  `<title>Bằng cử nhân</title><issuerName>Trường A</issuerName><issueDate>2024-06-25</issueDate><documentHash>${'b'.repeat(64)}</documentHash></PublishCredentialRequest>`;

interface Parts {
  messageId?: string;
  operation?: string;
  serviceCode?: string;
  password?: string;
  now?: number;
  xrd?: string;
  security?: string;
  soapAction?: string;
  contentType?: string;
  body?: string;
}

describe('the credential service simulator', () => {
  let sim: VneidSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(() => sim.stop());

  async function post(p: Parts = {}): Promise<{ status: number; text: string }> {
    return postTo(sim.url, p);
  }

  async function postTo(url: string, p: Parts = {}): Promise<{ status: number; text: string }> {
    const operation = p.operation ?? 'PublishCredential';
    const xrd = p.xrd ?? xRoadHeaderXml({ messageId: p.messageId ?? randomUUID(), userId: 'op', client: CLIENT_ID, service: SERVICE_ID, operation: p.serviceCode ?? operation });
    const security = p.security ?? securityHeaderXml({ username: SIM_LOGIN.username, password: p.password ?? SIM_LOGIN.password, now: p.now ?? Date.now(), ttlSeconds: 300 });
    const xml = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>${xrd}${security}</soap:Header><soap:Body>${p.body ?? PUBLISH(randomUUID())}</soap:Body></soap:Envelope>`;
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': p.contentType ?? 'text/xml; charset=utf-8', SOAPAction: p.soapAction ?? `"${operation}"` }, body: xml });
    return { status: res.status, text: await res.text() };
  }
  const faultOf = (text: string): string | undefined => /<faultcode>([^<]+)<\/faultcode>/.exec(text)?.[1];

  it('serves a request that follows the contract', async () => {
    const { status, text } = await post();
    expect(status).toBe(200);
    expect(text).toMatch(/<resultCode>00<\/resultCode>.*<credentialId>VC-\d+<\/credentialId>/);
  });

  it.each<[string, Parts, string]>([
    ['no xrd:id', { xrd: xRoadHeaderXml({ messageId: 'x', userId: 'op', client: CLIENT_ID, service: SERVICE_ID, operation: 'PublishCredential' }).replace(/<xrd:id [^>]*>x<\/xrd:id>/, '') }, 'soap:Client'],
    ['a message id that is no UUID', { messageId: 'message-1' }, 'soap:Client'],
    ['X-Road headers in another namespace', { xrd: xRoadHeaderXml({ messageId: randomUUID(), userId: 'op', client: CLIENT_ID, service: SERVICE_ID, operation: 'PublishCredential' }).replaceAll('http://x-road.eu/xsd/xroad.xsd', 'urn:other') }, 'soap:Client'],
    ['a serviceCode other than the operation', { serviceCode: 'QueryCredentials' }, 'soap:Client'],
    ['protocol version 3.1', { xrd: xRoadHeaderXml({ messageId: randomUUID(), userId: 'op', client: CLIENT_ID, service: SERVICE_ID, operation: 'PublishCredential' }).replace('>4.0<', '>3.1<') }, 'soap:Client'],
    ['a SOAPAction other than the operation', { soapAction: '"urn:vn:gov:credential:v1/PublishCredential"' }, 'soap:Client'],
    ['SOAP 1.2 content type', { contentType: 'application/soap+xml; charset=utf-8' }, 'soap:Client'],
    ['no wsse:Security', { security: '' }, 'wsse:InvalidSecurity'],
    ['a PasswordDigest', { security: securityHeaderXml({ username: SIM_LOGIN.username, password: SIM_LOGIN.password, now: Date.now(), ttlSeconds: 300 }).replace('#PasswordText', '#PasswordDigest') }, 'wsse:InvalidSecurity'],
    ['a wrong password', { password: 'nope' }, 'wsse:FailedAuthentication'],
    ['a Created 6 minutes old', { now: Date.now() - 6 * 60_000 }, 'wsse:MessageExpired'],
    ['a Created 6 minutes ahead', { now: Date.now() + 6 * 60_000 }, 'wsse:MessageExpired'],
  ])('answers %s with a SOAP Fault (HTTP 500), applying nothing', async (_what, parts, faultcode) => {
    const before = sim.state().counts.applied;
    const { status, text } = await post(parts);
    expect(status).toBe(500);
    expect(faultOf(text), text).toBe(faultcode);
    expect(sim.state().counts.applied).toBe(before);
  });

  it('answers a message id again with its first answer, applying once; another operation under it is refused', async () => {
    const messageId = randomUUID();
    const key = randomUUID();
    const first = await post({ messageId, body: PUBLISH(key) });
    const applied = sim.state().counts.applied;
    const again = await post({ messageId, body: PUBLISH(key) });
    expect(again.text.replace(/^.*<soap:Body>/s, '')).toBe(first.text.replace(/^.*<soap:Body>/s, ''));
    expect(sim.state().counts.applied).toBe(applied);
    expect(sim.credential(key)?.publications).toBe(1);
    const other = await post({ messageId, operation: 'QueryCredentials', body: '<QueryCredentialsRequest xmlns="urn:vn:gov:credential:v1"><personalId>001099000001</personalId></QueryCredentialsRequest>' });
    expect(other.text).toMatch(/<resultCode>10<\/resultCode>/);
  });

  it('QueryCredentials lists a person\'s credentials; one credential is a list of one', async () => {
    const key = randomUUID();
    await post({ body: PUBLISH(key).replace('001099000001', '001099000777') });
    const { text } = await post({ operation: 'QueryCredentials', body: '<QueryCredentialsRequest xmlns="urn:vn:gov:credential:v1"><personalId>001099000777</personalId></QueryCredentialsRequest>' });
    expect(text.match(/<credential>/g)).toHaveLength(1);
    expect(text).toContain(`<credentialKey>${key}</credentialKey>`);
  });

  it('is inspected and driven over HTTP (/_admin/) for a simulator in a process of its own', async () => {
    const origin = new URL(sim.url).origin;
    const injected = await fetch(`${origin}/_admin/inject`, { method: 'POST', body: JSON.stringify({ injection: { type: 'result', code: '99' } }) });
    expect(injected.status).toBe(200);
    expect((await post()).text).toMatch(/<resultCode>99<\/resultCode>/);
    await fetch(`${origin}/_admin/clock`, { method: 'POST', body: JSON.stringify({ offsetMs: 600_000 }) });
    expect(faultOf((await post()).text)).toBe('wsse:MessageExpired');
    await fetch(`${origin}/_admin/clock`, { method: 'POST', body: JSON.stringify({ offsetMs: 0 }) });
    const state = (await (await fetch(`${origin}/_admin/state`)).json()) as { counts: { requests: number }; credentials: unknown[] };
    expect(state.counts.requests).toBe(sim.state().counts.requests);
    expect(state.credentials.length).toBeGreaterThan(0);
    expect((await fetch(`${origin}/_admin/nothing`)).status).toBe(404);
  });

  it('keeps what it holds in its state file: started again on it, it holds the same credentials and replays the same answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-vneid-state-'));
    const statePath = join(dir, 'vneid.json');
    const first = await startTestSimulator({ statePath });
    const key = randomUUID();
    const messageId = randomUUID();
    let published: string;
    try {
      published = (await postTo(first.url, { messageId, body: PUBLISH(key) })).text;
      expect(published).toMatch(/<resultCode>00<\/resultCode>/);
    } finally {
      await first.stop();
    }
    const again = await startTestSimulator({ statePath });
    try {
      expect(again.credential(key)).toMatchObject({ credentialKey: key, status: 'ACTIVE', publications: 1 });
      // the same message id is a replay of the first answer, not a second publication
      const replayed = await postTo(again.url, { messageId, body: PUBLISH(key) });
      expect(/<credentialId>([^<]+)</.exec(replayed.text)?.[1]).toBe(/<credentialId>([^<]+)</.exec(published)?.[1]);
      expect(again.state().counts.replays).toBe(1);
      // a new credential after the restart does not reuse an id
      const other = await postTo(again.url, { body: PUBLISH(randomUUID()) });
      expect(/<credentialId>([^<]+)</.exec(other.text)?.[1]).not.toBe(/<credentialId>([^<]+)</.exec(published)?.[1]);
    } finally {
      await again.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads its command line', () => {
    expect(parseVneidSimulatorArgs(['--username', 'u', '--member', 'DHA,SGD', '--unknown-id', '001099000013', '--clock-offset-ms=-60000'], { VNEID_SIM_PASSWORD: 'p' })).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      username: 'u',
      password: 'p',
      authorisedMembers: ['DHA', 'SGD'],
      unknownPersonalIds: ['001099000013'],
      clockOffsetMs: -60000,
    });
    expect(parseVneidSimulatorArgs(['--username', 'u', '--password', 'p', '--state', '/tmp/v.json']).statePath).toBe('/tmp/v.json');
    expect(() => parseVneidSimulatorArgs(['--username', 'u'])).toThrow(/--password/);
  });
});

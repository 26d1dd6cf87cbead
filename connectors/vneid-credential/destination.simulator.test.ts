import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WriteContext } from '../../src/core/connector.js';
import { BugError, ConfigError, LienthongError, TransientError } from '../../src/core/errors.js';
import type { DeliveryAnswer } from '../../src/core/records.js';
import { credentialOf, messageIdFor } from './credential.js';
import { VneidCredentialDestination } from './destination.js';
import type { VneidSimulator, VneidSimulatorOptions } from './simulator/index.js';
import { connectionTo, encodedRecord, personalIdOf, stagedRecord, startTestSimulator } from './testing/support.js';
import type { VneidCredentialConfigInput } from './config.js';

const context: WriteContext = { dataset: 'vanbangchungchi', schemaVersion: 'VanBangChungChi/2025' };

describe('vneid-credential destination against the simulator', () => {
  let sim: VneidSimulator;
  let destination: VneidCredentialDestination;

  async function setUp(simOptions: Partial<VneidSimulatorOptions> = {}, config: Partial<VneidCredentialConfigInput> = {}, options: { now?: () => number } = {}): Promise<void> {
    sim = await startTestSimulator(simOptions);
    destination = new VneidCredentialDestination(connectionTo(sim.url, config), options);
  }
  beforeEach(() => setUp());
  afterEach(async () => {
    await destination.close();
    await sim.stop();
  });

  const write = (n: number, options: Parameters<typeof stagedRecord>[1] = {}): Promise<DeliveryAnswer[]> => destination.write([encodedRecord(stagedRecord(n, options))], context);
  const failure = async (p: Promise<unknown>): Promise<LienthongError> => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LienthongError);
    return err as LienthongError;
  };

  it('00: publishes the credential with the hub content hash, X-Road and WS-Security headers, and keeps the credentialId', async () => {
    const record = stagedRecord(1);
    const [answer] = await destination.write([encodedRecord(record)], context);
    const held = sim.credential(record.idbanghi);
    expect(answer).toEqual({ idbanghi: record.idbanghi, status: 'delivered', receiptId: held?.credentialId });
    expect(held).toMatchObject({ personalId: personalIdOf(1), credentialType: 'DIPLOMA', title: 'Bằng cử nhân', issuerName: 'Trường Đại học Mẫu', issueDate: '2024-06-25', documentHash: record.contentHash, status: 'ACTIVE', memberCode: 'DHA' });
    const [message] = sim.state().messages;
    // the simulator refuses a request whose headers break the contract: this one was served
    expect(message).toMatchObject({ operation: 'PublishCredential', soapAction: '"PublishCredential"', answer: '00', applied: true, messageId: messageIdFor('PublishCredential', record.idbanghi, 1, record.contentHash) });
  });

  it('01: the same key and hash again under a new version (a new message id) is done, with the same credentialId', async () => {
    const [first] = await write(2);
    const [again] = await write(2, { version: 2 });
    expect(again).toEqual(first);
    expect(sim.state().messages.map((m) => [m.answer, m.replay])).toEqual([
      ['00', false],
      ['01', false],
    ]);
    expect(sim.credential(stagedRecord(2).idbanghi)?.publications).toBe(1);
  });

  it('a new content under the same key updates the one credential (same credentialId, new hash)', async () => {
    const [first] = await write(3);
    const changed = stagedRecord(3, { version: 2, data: { ...stagedRecordData(3), tenvanbangcc: 'Bằng kỹ sư' } });
    const [second] = await destination.write([encodedRecord(changed)], context);
    expect(second).toEqual(first);
    expect(sim.credential(changed.idbanghi)).toMatchObject({ title: 'Bằng kỹ sư', documentHash: changed.contentHash, publications: 2 });
    expect(sim.state().credentials).toHaveLength(1);
  });

  it('10: rejected for the record, on the field the service names', async () => {
    sim.inject({ type: 'result', code: '10', message: 'issueDate: not a date of the calendar' });
    const [answer] = await write(4);
    expect(answer).toEqual({ idbanghi: stagedRecord(4).idbanghi, status: 'rejected', errors: [{ field: 'data.issueDate', code: 'VNEID_INVALID_FIELD', message: expect.stringContaining('issueDate') }] });
  });

  it('11: rejected for a data fix, on the record field holding the personal id, no full personal id in the message', async () => {
    await destination.close();
    await sim.stop();
    await setUp({ unknownPersonalIds: [personalIdOf(5)] });
    const [answer] = await write(5);
    expect(answer).toMatchObject({ status: 'rejected', errors: [{ field: 'data.sodinhdanh', code: 'VNEID_PERSONAL_ID_UNKNOWN' }] });
    expect(JSON.stringify(answer)).not.toContain(personalIdOf(5));
    expect(sim.state().credentials).toEqual([]);
  });

  it('20: stops the job with a configuration error', async () => {
    await destination.close();
    await sim.stop();
    await setUp({ authorisedMembers: ['SGD'] });
    const err = await failure(write(6));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('VNEID_UNIT_NOT_AUTHORISED');
    expect((await destination.check()).ok).toBe(false);
  });

  it('90 and 99: transient; the retry under the same message id is served afresh and publishes once', async () => {
    sim.inject({ type: 'result', code: '90' });
    sim.inject({ type: 'result', code: '99' });
    const busy = await failure(write(7));
    expect(busy).toBeInstanceOf(TransientError);
    expect(busy.code).toBe('VNEID_BUSY');
    expect((await failure(write(7))).code).toBe('VNEID_INTERNAL_ERROR');
    const [answer] = await write(7);
    expect(answer?.status).toBe('delivered');
    const ids = new Set(sim.state().messages.map((m) => m.messageId));
    expect(ids.size).toBe(1);
    expect(sim.state().counts.applied).toBe(1);
  });

  it('a result code outside the contract stops as a bug', async () => {
    sim.inject({ type: 'result', code: '42' });
    const err = await failure(write(8));
    expect(err).toBeInstanceOf(BugError);
    expect(err.code).toBe('VNEID_UNKNOWN_RESULT');
  });

  it('a replayed message id gets the first answer, and the service applies it once', async () => {
    const [first] = await write(9);
    const [replayed] = await write(9);
    expect(replayed).toEqual(first);
    expect(sim.state().counts).toMatchObject({ applied: 1, replays: 1 });
    const [a, b] = sim.state().messages;
    expect(a?.messageId).toBe(b?.messageId);
    // a fresh header each attempt
    expect(a?.created).not.toBe(b?.created);
  });

  it('a Fault after the service applied the request: transient; the retry is answered from the replay, published once', async () => {
    sim.inject({ type: 'fault', faultcode: 'soap:Server', faultstring: 'the answer was lost', afterApply: true });
    const err = await failure(write(10));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('VNEID_FAULT');
    const [answer] = await write(10);
    const held = sim.credential(stagedRecord(10).idbanghi);
    expect(answer).toMatchObject({ status: 'delivered', receiptId: held?.credentialId });
    expect(held?.publications).toBe(1);
    expect(sim.state().counts).toMatchObject({ applied: 1, replays: 1 });
  });

  it('a timeout after the service applied the request: transient; published once', async () => {
    await destination.close();
    await sim.stop();
    await setUp({}, { timeoutMs: 300 });
    sim.inject({ type: 'hang', afterApply: true });
    const err = await failure(write(11));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('VNEID_TIMEOUT');
    // the retry (the connection's usual timeout: a loaded machine must not time it out too)
    await destination.close();
    destination = new VneidCredentialDestination(connectionTo(sim.url));
    expect((await write(11))[0]?.status).toBe('delivered');
    expect(sim.state().counts).toMatchObject({ applied: 1, replays: 1 });
  });

  it('a slow answer past the client\'s timeout: the service applies it after the client gave up; the retry still publishes once', async () => {
    sim.inject({ type: 'slow', ms: 800 });
    expect((await failure(destination.write([encodedRecord(stagedRecord(27))], { ...context, signal: AbortSignal.timeout(200) }))).code).toBe('VNEID_TIMEOUT');
    // the service goes on after the client gave up
    for (let waited = 0; sim.state().counts.applied === 0 && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.state().counts.applied).toBe(1);
    const [answer] = await write(27);
    expect(answer).toMatchObject({ status: 'delivered', receiptId: sim.credential(stagedRecord(27).idbanghi)?.credentialId });
    expect(sim.state().counts).toMatchObject({ applied: 1, replays: 1 });
  });

  it('a connection reset after the service applied the request: transient; published once', async () => {
    sim.inject({ type: 'drop', afterApply: true });
    const err = await failure(write(12));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('VNEID_NETWORK');
    expect((await write(12))[0]?.status).toBe('delivered');
    expect(sim.credential(stagedRecord(12).idbanghi)?.publications).toBe(1);
  });

  it('the deliverer\'s own timeout (the write signal) after the request was applied: transient, published once', async () => {
    sim.inject({ type: 'hang', afterApply: true });
    const err = await failure(destination.write([encodedRecord(stagedRecord(13))], { ...context, signal: AbortSignal.timeout(300) }));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('VNEID_TIMEOUT');
    expect((await write(13))[0]?.status).toBe('delivered');
    expect(sim.state().counts.applied).toBe(1);
  });

  it('MessageExpired once: sent again at once with a fresh Timestamp and the same message id', async () => {
    sim.inject({ type: 'expired' });
    const [answer] = await write(14);
    expect(answer?.status).toBe('delivered');
    const messages = sim.state().messages;
    expect(messages.map((m) => m.answer)).toEqual(['fault:wsse:MessageExpired', '00']);
    expect(sim.state().counts.applied).toBe(1);
  });

  it('MessageExpired for a fresh Timestamp too (the service clock 10 minutes ahead): reported as a clock problem, nothing applied', async () => {
    sim.setClockOffset(10 * 60_000);
    const err = await failure(write(15));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('VNEID_CLOCK_SKEW');
    expect(err.message).toMatch(/10 minutes behind/);
    const messages = sim.state().messages;
    expect(messages.map((m) => m.answer)).toEqual(['fault:wsse:MessageExpired', 'fault:wsse:MessageExpired']);
    expect(messages[0]?.created).not.toBe(messages[1]?.created);
    expect(sim.state().credentials).toEqual([]);
  });

  it('this machine\'s clock 6 minutes ahead: the same clock problem, named as ahead', async () => {
    await destination.close();
    await sim.stop();
    await setUp({}, {}, { now: () => Date.now() + 6 * 60_000 });
    const err = await failure(write(16));
    expect(err.code).toBe('VNEID_CLOCK_SKEW');
    expect(err.message).toMatch(/6 minutes ahead/);
  });

  it('refuses an answer with a DOCTYPE and an entity declaration unread (stops as the peer breaking SOAP)', async () => {
    const credentialId = 'VC-&xxe;';
    sim.inject({
      type: 'raw',
      body: `<?xml version="1.0"?><!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY lol "lol">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><PublishCredentialResponse xmlns="urn:vn:gov:credential:v1"><resultCode>00</resultCode><message>&lol;</message><credentialId>${credentialId}</credentialId></PublishCredentialResponse></soap:Body></soap:Envelope>`,
    });
    const err = await failure(write(17));
    expect(err).toBeInstanceOf(BugError);
    expect(err.code).toBe('VNEID_ANSWER_DTD');
  });

  it('refuses an answer referring to an entity XML does not define, without a DOCTYPE', async () => {
    sim.inject({
      type: 'raw',
      body: '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><PublishCredentialResponse xmlns="urn:vn:gov:credential:v1"><resultCode>00</resultCode><message>&ext;</message><credentialId>VC-1</credentialId></PublishCredentialResponse></soap:Body></soap:Envelope>',
    });
    expect((await failure(write(18))).code).toBe('VNEID_ANSWER_DTD');
  });

  it('an answer over answerBoundBytes is refused before it is read whole: transient', async () => {
    await destination.close();
    destination = new VneidCredentialDestination(connectionTo(sim.url, { answerBoundBytes: 4096 }));
    sim.inject({ type: 'raw', body: `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><PublishCredentialResponse xmlns="urn:vn:gov:credential:v1"><resultCode>00</resultCode><message>${'x'.repeat(10_000)}</message></PublishCredentialResponse></soap:Body></soap:Envelope>` });
    const err = await failure(write(26));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('VNEID_ANSWER_TOO_LARGE');
  });

  it('HTTP 401: stops the job; HTTP 500 and 503 pages (with a DOCTYPE) are transient', async () => {
    sim.inject({ type: 'http', status: 401, body: 'Unauthorized', contentType: 'text/plain' });
    const unauthorized = await failure(write(19));
    expect(unauthorized).toBeInstanceOf(ConfigError);
    expect(unauthorized.code).toBe('VNEID_UNAUTHORIZED');
    sim.inject({ type: 'http', status: 500, body: '<html><body>Internal Server Error</body></html>' });
    const failed = await failure(write(19));
    expect(failed).toBeInstanceOf(TransientError);
    expect(failed.code).toBe('VNEID_UNAVAILABLE');
    sim.inject({ type: 'http', status: 503, body: '<!DOCTYPE html><html><body>Service Unavailable</body></html>' });
    expect((await failure(write(19))).code).toBe('VNEID_UNAVAILABLE');
    expect((await write(19))[0]?.status).toBe('delivered');
  });

  it('a wrong password: the service\'s FailedAuthentication fault stops the job, and check says so', async () => {
    await destination.close();
    destination = new VneidCredentialDestination(connectionTo(sim.url, { password: 'not-the-password' }));
    const err = await failure(write(20));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('VNEID_AUTH_FAILED');
    expect(err.message).not.toContain('not-the-password');
    expect(await destination.check()).toMatchObject({ ok: false, kind: 'config' });
  });

  it('a password and operator with XML\'s special characters travel escaped and log in', async () => {
    await destination.close();
    await sim.stop();
    const password = `p<a&s>s"w'ord`;
    await setUp({ password, username: 'đơn-vị <DHA>' }, { password, username: 'đơn-vị <DHA>', userId: 'VN/GOV/DHA/Nguyễn & Trần' });
    expect((await write(28))[0]?.status).toBe('delivered');
  });

  it('concurrent writes: every record published once, each under its own message id', async () => {
    const records = Array.from({ length: 40 }, (_, i) => stagedRecord(100 + i));
    const answers = await Promise.all(records.map((r) => destination.write([encodedRecord(r)], context)));
    expect(answers.flat().every((a) => a.status === 'delivered')).toBe(true);
    const state = sim.state();
    expect(state.credentials).toHaveLength(40);
    expect(state.counts.applied).toBe(40);
    expect(new Set(state.messages.map((m) => m.messageId)).size).toBe(40);
    expect(new Set(answers.flat().map((a) => (a.status === 'delivered' ? a.receiptId : null))).size).toBe(40);
  });

  it('CANCEL revokes: the credential is found by its key, revoked, and a second revocation finds it revoked', async () => {
    const [published] = await write(21);
    const [revoked] = await write(21, { version: 2, event: 'CANCEL' });
    const held = sim.credential(stagedRecord(21).idbanghi);
    expect(revoked).toEqual(published);
    expect(held).toMatchObject({ status: 'REVOKED', revocations: 1 });
    const [again] = await write(21, { version: 3, event: 'CANCEL' });
    expect(again).toEqual({ idbanghi: stagedRecord(21).idbanghi, status: 'already-held' });
    expect(sim.state().messages.map((m) => m.operation)).toEqual(['PublishCredential', 'QueryCredentials', 'RevokeCredential', 'QueryCredentials']);
  });

  it('CANCEL of a credential never published: nothing to revoke, settled', async () => {
    const [answer] = await write(22, { event: 'CANCEL' });
    expect(answer).toEqual({ idbanghi: stagedRecord(22).idbanghi, status: 'delivered', receiptId: null });
    expect(sim.state().messages.map((m) => m.operation)).toEqual(['QueryCredentials']);
  });

  it('a revocation whose answer is lost after it was applied is settled by its retry', async () => {
    await write(23);
    sim.inject({ type: 'fault', afterApply: true }, { operation: 'RevokeCredential' });
    expect((await failure(write(23, { version: 2, event: 'CANCEL' }))).code).toBe('VNEID_FAULT');
    // the retry finds it revoked already
    expect((await write(23, { version: 2, event: 'CANCEL' }))[0]?.status).toBe('already-held');
    expect(sim.credential(stagedRecord(23).idbanghi)?.revocations).toBe(1);
  });

  it('a school record is published as SCHOOL_RECORD, issued by its school on its signing date', async () => {
    const data = { sodinhdanh: '001209000123', namhoc: '2024-2025', tenlop: '9A1', tentruong: 'Trường THCS Nguyễn Du', ngaykyphathanh: '2025-05-30', madinhdanhhocba: 'TR01-HB-1' };
    const record = { ...stagedRecord(25, { data }), idbanghi: 'TR01-HB-1' };
    const [answer] = await destination.write([encodedRecord(record)], context);
    expect(answer?.status).toBe('delivered');
    expect(sim.credential('TR01-HB-1')).toMatchObject({ credentialType: 'SCHOOL_RECORD', personalId: '001209000123', title: 'Học bạ lớp 9A1, năm học 2024-2025', issuerName: 'Trường THCS Nguyễn Du', issueDate: '2025-05-30', documentHash: record.contentHash });
  });

  it('a record VNeID cannot take is rejected naming the field, and nothing is sent', async () => {
    const noDate = stagedRecord(24, { data: { ...stagedRecordData(24), ngaycap_ngaythangnam: null, ngaycap_thangnam: '2024-06' } });
    const [answer] = await destination.write([encodedRecord(noDate)], context);
    expect(answer).toEqual({ idbanghi: noDate.idbanghi, status: 'rejected', errors: [{ field: 'data.ngaycap_ngaythangnam', code: 'VNEID_FIELD_MISSING', message: expect.any(String) }] });
    expect(sim.state().messages).toEqual([]);
  });

  it('a batch of several records: one call each; a failure of the whole call after the first leaves the rest transient', async () => {
    await destination.close();
    destination = new VneidCredentialDestination(connectionTo(sim.url, { maxBatchSize: 3 }));
    sim.inject({ type: 'result', code: '90' }, { personalId: personalIdOf(31) });
    const answers = await destination.write([30, 31, 32].map((n) => encodedRecord(stagedRecord(n))), context);
    expect(answers.map((a) => a.status)).toEqual(['delivered', 'transient', 'transient']);
    await expect(destination.write([30, 31, 32, 33].map((n) => encodedRecord(stagedRecord(n))), context)).rejects.toBeInstanceOf(BugError);
  });

  it('check and queryCredentials', async () => {
    expect(await destination.check()).toMatchObject({ ok: true });
    await write(40);
    const { credentials, unknownPerson } = await destination.queryCredentials(personalIdOf(40));
    expect(unknownPerson).toBe(false);
    expect(credentials).toEqual([{ credentialId: sim.credential(stagedRecord(40).idbanghi)?.credentialId, credentialKey: stagedRecord(40).idbanghi, credentialType: 'DIPLOMA', documentHash: stagedRecord(40).contentHash, status: 'ACTIVE' }]);
    expect((await destination.queryCredentials(personalIdOf(41))).credentials).toEqual([]);
  });

  it('queryCredentialsOf: many people, each once, a few calls in flight', async () => {
    await destination.close();
    await sim.stop();
    await setUp({ unknownPersonalIds: [personalIdOf(52)] });
    await write(50);
    await write(51);
    const ids = [personalIdOf(50), personalIdOf(51), personalIdOf(52), personalIdOf(53), personalIdOf(50)];
    const found = await destination.queryCredentialsOf(ids, { concurrency: 2 });
    expect([...found.keys()].sort()).toEqual([personalIdOf(50), personalIdOf(51), personalIdOf(52), personalIdOf(53)]);
    expect(found.get(personalIdOf(50))?.credentials.map((c) => c.credentialKey)).toEqual([stagedRecord(50).idbanghi]);
    expect(found.get(personalIdOf(52))).toEqual({ credentials: [], unknownPerson: true });
    expect(found.get(personalIdOf(53))).toEqual({ credentials: [], unknownPerson: false });
    expect(sim.state().messages.filter((m) => m.operation === 'QueryCredentials')).toHaveLength(4);
    sim.inject({ type: 'result', code: '20' }, { operation: 'QueryCredentials' });
    await expect(destination.queryCredentialsOf([personalIdOf(50)])).rejects.toMatchObject({ code: 'VNEID_UNIT_NOT_AUTHORISED' });
  });

  it('verifyUrlTemplate fills the verification page of records without one', async () => {
    await destination.close();
    destination = new VneidCredentialDestination(connectionTo(sim.url, { verifyUrlTemplate: 'https://vanbang.example.edu.vn/xac-minh/{credentialKey}' }));
    await write(41);
    expect(sim.credential(stagedRecord(41).idbanghi)?.verifyUrl).toBe('https://vanbang.example.edu.vn/xac-minh/DHA-VB-000041');
    expect(credentialOf(stagedRecord(41))).not.toHaveProperty('request.verifyUrl');
  });
});

function stagedRecordData(n: number): Record<string, string | null> {
  return JSON.parse(stagedRecord(n).dataJson) as Record<string, string | null>;
}

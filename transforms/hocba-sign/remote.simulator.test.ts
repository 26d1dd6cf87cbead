import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/core/records.js';
import type { TransformResult } from '../../src/core/transform.js';
import { approveSigningRequest, collectSigning, dispatchSigning, retrySigning, returnSigningRecord, returnSigningRequest, type SigningEnv } from './remote-workflow.js';
import type { SigningStore } from '../../src/store/signing-store.js';
import type { StateStore } from '../../src/store/store.js';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { RemoteSigningClient } from '../../connectors/remote-signing/index.js';
import { SigningSimulator } from '../../connectors/remote-signing/simulator/index.js';
import type { HocBaThcsThpt } from '../../documents/hocba/fields.js';
import { sampleHocBaRecord } from '../../documents/hocba/sample-record.js';
import { ensureDemoPki, loadOrCreateCa } from '../../documents/pki/demo-pki.js';
import { checkPdfSignatures, pdfToText, popplerAvailable } from '../../documents/pdf/poppler.js';
import { hasXmlsec1, xmlsec1Verdicts } from '../../documents/xmldsig/testing/xmlsec1.js';
import { verifyHocBa } from '../../documents/xmldsig/verify-hocba.js';
import { DirectoryKeyStore } from './keystore.js';
import { RemoteSigners } from './remote-signers.js';
import { RemoteSigningTransformer } from './remote.js';

/**
 * The remote signing workflow against the signing simulator over real HTTP: lienthong holds only
 * the school's seal (keysDir has school.p12 and no one else's key); every person signs on the
 * simulator, which issues their certificates from the same CA (so xmlsec1 checks everything
 * against one trusted certificate).
 */
const PASSWORD = 'mật-khẩu-demo';
const base = sampleHocBaRecord();
const PEOPLE = [...base.bangdiem.map((b) => ({ id: b.soddcngvbm, name: b.gvbm })), { id: base.soddcngvcn ?? '', name: base.tengvcn }, { id: base.soddcngiamhieu, name: base.tengiamhieu }];
const JOB = 'hocba';

let dir: string;
let caPath: string;
let caPem: string;
let keyStore: DirectoryKeyStore;
const simulator = new SigningSimulator();
const stores: StateStore[] = [];
const clients: RemoteSigningClient[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lt-remote-sign-'));
  // only the seal: no teacher's or principal's key is ever made for lienthong
  const pki = ensureDemoPki(join(dir, 'pki'), { people: [], schoolName: base.tentruong, password: PASSWORD });
  caPath = pki.caPemPath;
  caPem = readFileSync(caPath, 'utf8');
  keyStore = new DirectoryKeyStore({ dir: pki.keysDir, password: PASSWORD });
  expect(readdirSync(pki.keysDir)).toEqual(['school.p12']);
  await simulator.start({ clients: [{ clientId: 'school', clientSecret: 's3cret' }], policy: { mode: 'auto', delayMs: 30 }, ca: loadOrCreateCa(caPath, join(dir, 'pki', 'ca.key')) });
  for (const p of PEOPLE) simulator.addSigner({ personalId: p.id, name: p.name ?? 'Giáo viên' });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await simulator.stop();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  simulator.setPolicy({ mode: 'auto', delayMs: 30 });
  for (const s of stores.splice(0)) await s.close();
});

function pupils(n: number, prefix: string): HocBaThcsThpt[] {
  return Array.from({ length: n }, (_, i) => ({ ...sampleHocBaRecord(), idbanghi: `${prefix}-${i + 1}` }));
}

function setup(url = simulator.url, review = false, existing?: StateStore): { env: SigningEnv; transformer: RemoteSigningTransformer; store: StateStore } {
  const store = existing ?? new SqliteStateStore(join(mkdtempSync(join(dir, 'store-')), 'state.db'));
  if (!existing) stores.push(store);
  const client = new RemoteSigningClient({ baseUrl: url, clientId: 'school', clientSecret: 's3cret', pollInitialDelayMs: 10, pollMaxDelayMs: 40, retryInitialDelayMs: 10, retryMaxDelayMs: 40, retryBudgetMs: 300, timeoutMs: 2000 });
  clients.push(client);
  const signers = new RemoteSigners(client, [caPem]);
  const transformer = new RemoteSigningTransformer({ job: JOB, store, signers, seal: () => keyStore.schoolSigner(), trustedCaPems: [caPem] });
  return { env: { store, signers, review, maxWaitMs: 3000 }, transformer, store };
}

/** One run of a job in the order a run does it: collect, transform every record, dispatch. */
async function round(t: { env: SigningEnv; transformer: RemoteSigningTransformer }, records: HocBaThcsThpt[]): Promise<TransformResult[]> {
  await collectSigning(t.env, JOB);
  const results = await Promise.all(records.map((r) => t.transformer.transform({ idbanghi: r.idbanghi, phienban: 1, sourceKey: r.idbanghi, data: r as unknown as JsonObject })));
  await dispatchSigning(t.env, JOB);
  return results;
}

const xmlOf = (r: TransformResult): string => {
  if (r.ok !== true) throw new Error(`expected a signed document, got ${JSON.stringify(r)}`);
  return Buffer.from(r.tailieu?.noidung ?? '', 'base64').toString('utf8');
};
const requestRoles = async (store: SigningStore): Promise<string[]> => (await store.signingRequests(JOB)).map((r) => `${r.role}:${r.items}`);

describe('remote signing workflow (simulator over HTTP)', () => {
  it('asks each subject teacher once per class, then the homeroom teacher, then the principal, and seals a document xmlsec1 verifies', async () => {
    const t = setup();
    const records = pupils(3, 'HB-A');
    const first = await round(t, records);
    expect(first.map((r) => r.ok)).toEqual(['waiting', 'waiting', 'waiting']);
    expect(first[0]).toMatchObject({ awaiting: [{ role: 'subject:TOA', maskedId: '********0003' }, { role: 'subject:VAN' }, { role: 'subject:GDT' }] });
    const subjectRequests = await t.env.store.signingRequests(JOB);
    expect(subjectRequests.map((r) => `${r.role}:${r.items}:${r.state}`)).toEqual(['subject:GDT:3:requested', 'subject:TOA:3:requested', 'subject:VAN:3:requested']);
    expect(subjectRequests.find((r) => r.role === 'subject:TOA')?.description).toBe('Ký học bạ năm học 2024-2025: trường 01001THCS, lớp 9A1, môn TOA, 3 học sinh');

    const second = await round(t, records);
    expect(second[0]).toMatchObject({ ok: 'waiting', awaiting: [{ role: 'homeroom' }] });
    const third = await round(t, records);
    expect(third[0]).toMatchObject({ ok: 'waiting', awaiting: [{ role: 'principal' }] });
    const done = await round(t, records);
    expect(done.map((r) => r.ok)).toEqual([true, true, true]);
    expect(await requestRoles(t.env.store)).toEqual(['subject:GDT:3', 'subject:TOA:3', 'subject:VAN:3', 'homeroom:3', 'principal:3']);
    expect(await t.env.store.signingDocumentCounts(JOB)).toEqual({ awaiting: 0, complete: 3, returned: 0 });

    const xml = xmlOf(done[0]!);
    const verified = await verifyHocBa(xml, { trustedCaPems: [caPem] });
    expect(verified.errors).toEqual([]);
    expect(verified.signatures.map((s) => s.role)).toEqual(['gvbm', 'gvbm', 'gvbm', 'gvcn', 'hieutruong', 'donvi']);
    // signing times follow the order: subject teachers ≤ homeroom ≤ principal ≤ seal
    const times = verified.signatures.map((s) => Date.parse(s.signedAt ?? ''));
    expect(times.every((x) => Number.isFinite(x))).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    if (hasXmlsec1) {
      const ids = ['sig-gvbm-TOA', 'sig-gvbm-VAN', 'sig-gvbm-GDT', 'sig-gvcn', 'sig-ht', 'sig-dv'];
      const messages: string[] = [];
      expect(xmlsec1Verdicts(xml, { dir, caPath, signatureIds: ids, messages }), messages.join('\n')).toEqual(Object.fromEntries(ids.map((id) => [id, true])));
    } else console.warn('xmlsec1 not installed: the delivered document is not checked independently');
  });

  it('a changed maths score after the subjects signed asks again only the maths teacher, then the homeroom teacher and the principal', async () => {
    const t = setup();
    const records = pupils(3, 'HB-B');
    await round(t, records); // subjects asked
    await round(t, records); // subjects signed, homeroom asked
    const changed = structuredClone(records[0]!);
    changed.bangdiem[0] = { ...changed.bangdiem[0]!, diemcanam: '9.5' };
    records[0] = changed;
    const after = await round(t, records);
    expect(after[0]).toMatchObject({ ok: 'waiting', awaiting: [{ role: 'subject:TOA' }] });
    // the literature and PE signatures stand: their teachers are not asked again; the homeroom
    // teacher had signed all three before the change, so the two unchanged records go on to the principal
    expect((await requestRoles(t.env.store)).sort()).toEqual(['homeroom:3', 'principal:2', 'subject:GDT:3', 'subject:TOA:1', 'subject:TOA:3', 'subject:VAN:3']);
    let results = after;
    for (let i = 0; i < 4 && results.some((r) => r.ok !== true); i++) results = await round(t, records);
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    const roles = await requestRoles(t.env.store);
    expect(roles.filter((r) => r.startsWith('subject:VAN') || r.startsWith('subject:GDT'))).toEqual(['subject:GDT:3', 'subject:VAN:3']);
    expect(roles.filter((r) => r.startsWith('homeroom'))).toEqual(['homeroom:3', 'homeroom:1']);
    expect(roles.filter((r) => r.startsWith('principal')).sort()).toEqual(['principal:1', 'principal:2']);
    const verified = await verifyHocBa(xmlOf(results[0]!), { trustedCaPems: [caPem] });
    expect(verified.errors).toEqual([]);
    expect(verified.data?.bangdiem[0]?.diemcanam).toBe('9.5');
  });

  it('a rejected request returns the records with the reason and asks nobody again until retry', async () => {
    const t = setup();
    const records = pupils(2, 'HB-C');
    simulator.setPolicy({ mode: 'reject', reason: 'Điểm Ngữ văn chưa đúng', delayMs: 10 }, base.bangdiem[1]!.soddcngvbm);
    await round(t, records);
    const returned = await round(t, records);
    expect(returned[0]).toMatchObject({ ok: false, errors: [{ code: 'SIGNING_RETURNED' }] });
    if (returned[0]!.ok === false) expect(returned[0]!.errors[0]!.message).toContain('Điểm Ngữ văn chưa đúng');
    expect((await t.env.store.signingRequests(JOB, { state: ['rejected'] })).map((r) => r.role)).toEqual(['subject:VAN']);
    await round(t, records);
    expect((await t.env.store.signingRequests(JOB)).filter((r) => r.role === 'subject:VAN')).toHaveLength(1);

    simulator.setPolicy({ mode: 'auto', delayMs: 10 }, base.bangdiem[1]!.soddcngvbm);
    expect(await retrySigning(t.env, JOB, base.bangdiem[1]!.soddcngvbm)).toEqual({ items: 0, records: 2 });
    let results = await round(t, records);
    expect((await t.env.store.signingRequests(JOB)).filter((r) => r.role === 'subject:VAN').map((r) => r.state)).toEqual(['rejected', 'requested']);
    for (let i = 0; i < 4 && results.some((r) => r.ok !== true); i++) results = await round(t, records);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect((await t.store.auditEntries({ action: 'signing.retry' })).map((e) => e.detail)).toEqual([{ items: 0, records: 2, signer: '********0004' }]);
  });

  it('an expired request waits for retry, then goes out again under a new id', async () => {
    const short = new SigningSimulator();
    await short.start({ clients: [{ clientId: 'school', clientSecret: 's3cret' }], policy: { mode: 'never' }, transactionTtlMs: 150, ca: loadOrCreateCa(caPath, join(dir, 'pki', 'ca.key')) });
    try {
      for (const p of PEOPLE) short.addSigner({ personalId: p.id, name: p.name ?? 'Giáo viên' });
      const t = setup(short.url);
      const records = pupils(1, 'HB-D');
      await round(t, records);
      await new Promise((r) => setTimeout(r, 300));
      const still = await round(t, records);
      expect(still[0]).toMatchObject({ ok: 'waiting' });
      expect((await t.env.store.signingRequests(JOB)).map((r) => r.state)).toEqual(['expired', 'expired', 'expired']);
      expect(await retrySigning(t.env, JOB)).toEqual({ items: 3, records: 0 });
      short.setPolicy({ mode: 'auto' });
      await dispatchSigning(t.env, JOB);
      expect((await t.env.store.signingRequests(JOB, { state: ['requested'] })).map((r) => r.role).sort()).toEqual(['subject:GDT', 'subject:TOA', 'subject:VAN']);
      const next = await round(t, records);
      expect(next[0]).toMatchObject({ ok: 'waiting', awaiting: [{ role: 'homeroom' }] });
    } finally {
      await short.stop();
    }
  });

  it('with review, requests wait until approved (sent) or returned (records back to the school with the reason), each audited', async () => {
    const t = setup(simulator.url, true);
    const records = pupils(2, 'HB-G');
    const before = simulator.stats().transactionsCreated;
    await round(t, records);
    const held = await t.store.signingRequests(JOB);
    expect(held.map((r) => `${r.role}:${r.state}`)).toEqual(['subject:GDT:review', 'subject:TOA:review', 'subject:VAN:review']);
    expect(simulator.stats().transactionsCreated).toBe(before);
    const byRole = (role: string) => held.find((r) => r.role === role)!.id;

    const sent = await approveSigningRequest(t.env, byRole('subject:TOA'), 'lan');
    expect(sent).toMatchObject({ state: 'requested', decidedBy: 'lan' });
    expect(simulator.stats().transactionsCreated).toBe(before + 1);
    await returnSigningRequest(t.env, byRole('subject:VAN'), 'hoa', 'Điểm Ngữ văn HK2 chưa nhập');
    await expect(approveSigningRequest(t.env, byRole('subject:VAN'), 'lan')).rejects.toMatchObject({ code: 'SIGNING_REQUEST_NOT_IN_REVIEW' });
    await expect(approveSigningRequest(t.env, 'nope', 'lan')).rejects.toMatchObject({ code: 'SIGNING_REQUEST_NOT_FOUND' });

    const next = await round(t, records);
    expect(next[0]).toMatchObject({ ok: false, errors: [{ code: 'SIGNING_RETURNED' }] });
    expect(await t.store.getSigningRequest(byRole('subject:TOA'))).toMatchObject({ state: 'completed' });
    expect(await t.store.getSigningRequest(byRole('subject:VAN'))).toMatchObject({ state: 'rejected', reason: 'Điểm Ngữ văn HK2 chưa nhập', decidedBy: 'hoa' });
    // the returned items are not dispatched again on their own
    expect((await t.store.signingRequests(JOB)).filter((r) => r.role === 'subject:VAN')).toHaveLength(1);
    const audit = await t.store.auditEntries({});
    expect(audit.map((e) => `${e.action}:${e.actor}:${e.address}`).reverse()).toEqual(['signing.approve:lan:cli', 'signing.return:hoa:cli']);
    expect(JSON.stringify(audit)).not.toContain(base.bangdiem[0]!.soddcngvbm);
  });

  it('refuses a certificate whose personal id is not the signer the record names, before any hash is sent', async () => {
    const t = setup();
    const impostor = '001082000077';
    simulator.addSigner({ personalId: impostor, name: 'Người Khác', certificatePersonalId: '001082000078' });
    const record = { ...sampleHocBaRecord(), idbanghi: 'HB-E-1' };
    record.bangdiem[0] = { ...record.bangdiem[0]!, soddcngvbm: impostor };
    const before = simulator.stats().transactionsCreated;
    const [result] = await round(t, [record]);
    expect(result).toMatchObject({ ok: false, errors: [{ code: 'SIGNER_CERT_PERSON_MISMATCH' }] });
    if (result!.ok === false) expect(result!.errors[0]!.message).not.toContain(impostor);
    expect(simulator.stats().transactionsCreated).toBe(before);
    expect(await t.env.store.signingRequests(JOB)).toEqual([]);
  });

  it('rides out 429 and 5xx answers of the service while dispatching and collecting', async () => {
    const t = setup();
    const records = pupils(1, 'HB-F');
    simulator.injectFaults({ rateLimited: { count: 2, retryAfterSeconds: 0 }, serverErrors: { count: 2, status: 503 } });
    await round(t, records);
    simulator.injectFaults({ serverErrors: { count: 2, status: 502 } });
    const second = await round(t, records);
    expect(second[0]).toMatchObject({ ok: 'waiting', awaiting: [{ role: 'homeroom' }] });
    simulator.injectFaults({});
  });

  it('with review, one record of a class returned: the request goes on without it; the record waits with the reason until asked again, then is signed with the values approved meanwhile', async () => {
    const t = setup(simulator.url, true);
    const records = pupils(3, 'HB-R');
    await round(t, records);
    const toa = (await t.store.signingRequests(JOB)).find((r) => r.role === 'subject:TOA')!;
    expect(toa).toMatchObject({ state: 'review', items: 3 });
    await expect(returnSigningRecord(t.env, toa.id, 'HB-nope', 'lan', 'không có')).rejects.toMatchObject({ code: 'SIGNING_RECORD_NOT_IN_REQUEST' });

    const after = await returnSigningRecord(t.env, toa.id, 'HB-R-2', 'lan', 'Điểm Toán HK2 của em này sai');
    // still in review, without that record, and what the phone will show says so
    expect(after).toMatchObject({ state: 'review', items: 2, description: 'Ký học bạ năm học 2024-2025: trường 01001THCS, lớp 9A1, môn TOA, 2 học sinh' });
    expect((await t.store.signingItemsOf(toa.id)).map((i) => i.idbanghi)).toEqual(['HB-R-1', 'HB-R-3']);
    expect(await t.store.getSigningDocument(JOB, 'HB-R-2')).toMatchObject({ state: 'returned', reason: 'Điểm Toán HK2 của em này sai' });
    const audit = (await t.store.auditEntries({ action: 'signing.return' })).filter((e) => e.subject === toa.id);
    expect(audit).toMatchObject([{ actor: 'lan', detail: { role: 'subject:TOA', items: 1, record: 'HB-R-2', left: 2 } }]);

    // every request approved: the TOA request signs two records, the other subjects three
    const approveAll = async (): Promise<void> => {
      for (const r of await t.store.signingRequests(JOB, { state: ['review'] })) await approveSigningRequest(t.env, r.id, 'lan');
    };
    await approveAll();
    const second = await round(t, records);
    expect(second.map((r) => r.ok)).toEqual(['waiting', false, 'waiting']);
    expect(second[1]).toMatchObject({ errors: [{ code: 'SIGNING_RETURNED', message: expect.stringContaining('Điểm Toán HK2 của em này sai') }] });
    // nobody is asked for the returned record until it is asked again
    const third = await round(t, records);
    expect(third[1]).toMatchObject({ ok: false, errors: [{ code: 'SIGNING_RETURNED' }] });
    expect(await retrySigning(t.env, JOB, undefined, 'op', 'HB-R-2')).toEqual({ items: 0, records: 1 });

    // asked again: only the maths teacher for this record (literature and civics were approved meanwhile)
    let results = await round(t, records);
    expect(results[1]).toMatchObject({ ok: 'waiting', awaiting: [{ role: 'subject:TOA' }] });
    const again = (await t.store.signingRequests(JOB, { state: ['review'] })).filter((r) => r.role === 'subject:TOA');
    expect(again.map((r) => r.items)).toEqual([1]);
    for (let i = 0; i < 6 && !results.every((r) => r.ok === true); i++) {
      await approveAll();
      results = await round(t, records);
    }
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    const verified = await verifyHocBa(xmlOf(results[1]!), { trustedCaPems: [caPem] });
    expect(verified.errors).toEqual([]);
  });

  it("subjects whose teacher has left: the principal signs them in the subject stage, one request per class for all of them, and the document says so (KyThay)", async () => {
    const t = setup();
    const records = pupils(2, 'HB-K');
    const signing = { subjectsSignedByPrincipal: ['VAN', 'GDT'] };
    const inPlaceRound = async (): Promise<TransformResult[]> => {
      await collectSigning(t.env, JOB);
      const results = await Promise.all(records.map((r) => t.transformer.transform({ idbanghi: r.idbanghi, phienban: 1, sourceKey: r.idbanghi, data: r as unknown as JsonObject, signing })));
      await dispatchSigning(t.env, JOB);
      return results;
    };
    const first = await inPlaceRound();
    const principalId = base.soddcngiamhieu.slice(-4);
    expect(first[0]).toMatchObject({ ok: 'waiting', awaiting: [{ role: 'subject:TOA' }, { role: 'subject-in-place', maskedId: `********${principalId}` }, { role: 'subject-in-place', maskedId: `********${principalId}` }] });
    // one request for the principal with both subjects of both pupils, beside the maths teacher's
    const requests = await t.env.store.signingRequests(JOB);
    expect(requests.map((r) => `${r.role}:${r.items}`)).toEqual(['subject-in-place:4', 'subject:TOA:2']);
    const inPlace = requests.find((r) => r.role === 'subject-in-place')!;
    expect(inPlace.signerId).toBe(base.soddcngiamhieu);
    expect(inPlace.description).toBe('Ký học bạ năm học 2024-2025: trường 01001THCS, lớp 9A1, hiệu trưởng ký thay các môn có giáo viên đã nghỉ, 2 học sinh');

    let results = first;
    for (let i = 0; i < 5 && !results.every((r) => r.ok === true); i++) results = await inPlaceRound();
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(await requestRoles(t.env.store)).toEqual(['subject-in-place:4', 'subject:TOA:2', 'homeroom:2', 'principal:2']);
    const xml = xmlOf(results[0]!);
    const verified = await verifyHocBa(xml, { trustedCaPems: [caPem] });
    expect(verified.errors).toEqual([]);
    expect(verified.signatures.filter((s) => s.role === 'gvbm').map((s) => [s.mamonhoc, s.signedInPlaceBy ?? 'teacher'])).toEqual([['TOA', 'teacher'], ['VAN', 'hieutruong'], ['GDT', 'hieutruong']]);
    expect(xml).toContain('<KyThay');
    // the document keeps the teacher who left as the subject's teacher
    expect(verified.data?.bangdiem.find((b) => b.mamonhoc === 'VAN')?.soddcngvbm).toBe(base.bangdiem.find((b) => b.mamonhoc === 'VAN')?.soddcngvbm);
    if (hasXmlsec1) {
      const ids = ['sig-gvbm-TOA', 'sig-gvbm-VAN', 'sig-gvbm-GDT', 'sig-gvcn', 'sig-ht', 'sig-dv'];
      const messages: string[] = [];
      expect(xmlsec1Verdicts(xml, { dir, caPath, signatureIds: ids, messages }), messages.join('\n')).toEqual(Object.fromEntries(ids.map((id) => [id, true])));
    }

    // the source corrects the flag (the literature teacher had not left): signed again from the start
    const corrected = { subjectsSignedByPrincipal: ['GDT'] };
    const again = await t.transformer.transform({ idbanghi: records[0]!.idbanghi, phienban: 2, sourceKey: records[0]!.idbanghi, data: records[0] as unknown as JsonObject, signing: corrected });
    expect(again).toMatchObject({ ok: 'waiting', awaiting: [{ role: 'subject:TOA' }, { role: 'subject:VAN' }, { role: 'subject-in-place' }] });
  });

  it('with documentsDir, keeps the sealed XML as delivered and its PDF rendition, made from the sealed document and sealed by the school', async () => {
    const plain = setup();
    const docs = join(dir, 'documents-remote');
    const transformer = new RemoteSigningTransformer({
      job: JOB,
      store: plain.store,
      signers: plain.env.signers,
      seal: () => keyStore.schoolSigner(),
      trustedCaPems: [caPem],
      documents: { dir: docs, pdfSeal: async () => ({ p12: readFileSync(join(dir, 'pki', 'keys', 'school.p12')), password: PASSWORD }) },
    });
    const t = { env: plain.env, transformer };
    const records = pupils(1, 'HB-P');
    let results = await round(t, records);
    for (let i = 0; i < 5 && results[0]?.ok !== true; i++) results = await round(t, records);
    const xml = xmlOf(results[0]!);
    expect(readFileSync(join(docs, 'HB-P-1.xml'), 'utf8')).toBe(xml);
    expect(readFileSync(join(docs, 'HB-P-1.v1.xml'), 'utf8')).toBe(xml);
    const manifest = JSON.parse(readFileSync(join(docs, 'HB-P-1.versions.json'), 'utf8')) as { latest: number; versions: { phienban: number; superseded: boolean }[] };
    expect(manifest).toMatchObject({ latest: 1, versions: [{ phienban: 1, superseded: false }] });
    const pdf = readFileSync(join(docs, 'HB-P-1.pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    if (popplerAvailable()) {
      const text = await pdfToText(pdf);
      expect(text).toContain(base.hovaten);
      const report = await checkPdfSignatures(pdf);
      expect(report.signatures, report.output).toHaveLength(1);
      expect(report.signatures[0]).toMatchObject({ valid: true, totalDocumentSigned: true, signerCommonName: base.tentruong });
    } else console.warn('pdfsig not installed (poppler-utils): the PDF seal is not checked independently');
    // a record id that cannot name a file is the record's error, before anything is prepared
    const bad = await transformer.transform({ idbanghi: '../HB', phienban: 1, sourceKey: 'k', data: { ...sampleHocBaRecord(), idbanghi: '../HB' } as unknown as JsonObject });
    expect(bad).toMatchObject({ ok: false, errors: [{ code: 'DOCUMENT_NAME_INVALID' }] });
  });

  it('a signing service that does not answer while records are prepared leaves them waiting (never invalid) and says so; the next run prepares them', async () => {
    const deadUrl = await closedPortUrl();
    const down = setup(deadUrl);
    const records = pupils(2, 'HB-G');
    await down.transformer.beforeRun();
    const results = await Promise.all(records.map((r) => down.transformer.transform({ idbanghi: r.idbanghi, phienban: 1, sourceKey: r.idbanghi, data: r as unknown as JsonObject })));
    expect(results.map((r) => r.ok)).toEqual(['waiting', 'waiting']);
    expect(results[0]).toMatchObject({ awaiting: [{ role: 'subject:TOA', maskedId: '********0003' }, { role: 'subject:VAN' }, { role: 'subject:GDT' }] });
    const notes = await down.transformer.afterRun();
    expect(notes[0]).toMatch(/^remote signing: signing service unreachable \(RSIGN_NETWORK\): 2 record\(s\) could not be prepared and wait for the next run \(not invalid\); check the service with lienthong check/);
    expect(await down.store.signingDocumentCounts(JOB)).toEqual({ awaiting: 0, complete: 0, returned: 0 });
    // the notice is for the run it happened in
    await down.transformer.beforeRun();
    expect(await down.transformer.afterRun()).not.toContainEqual(expect.stringContaining('unreachable'));

    // the service is back: the same state store goes on as if nothing had happened
    const back = setup(simulator.url, false, down.store);
    const next = await round(back, records);
    expect(next.map((r) => r.ok)).toEqual(['waiting', 'waiting']);
    expect(await requestRoles(back.env.store)).toEqual(['subject:GDT:2', 'subject:TOA:2', 'subject:VAN:2']);
  });
});

/** The URL of a port nothing listens on (bound, then closed): connections are refused. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

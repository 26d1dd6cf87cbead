import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../../src/core/hash.js';
import type { JsonObject } from '../../../src/core/records.js';
import type { HocBaThcsThpt } from '../../../documents/hocba/fields.js';
import { sampleHocBaRecord } from '../../../documents/hocba/sample-record.js';
import { buildHocBaXml } from '../../../documents/hocba/xml.js';
import { createHocBaTestPki, type HocBaTestPki } from '../../../documents/pki/test-pki.js';
import { signersFromTestPki } from '../../../documents/pki/testing/signers.js';
import { signHocBa } from '../../../documents/xmldsig/sign-hocba.js';
import { parseHubSimulatorArgs } from './cli-args.js';
import { compareWithDocument, HOCBA_THCSTHPT_SCHEMA_VERSION } from './hocba-validator.js';
import type { HubClientConfig } from './options.js';
import type { HubSimulator } from './server.js';
import { batchBody, errorCode, getJson, getToken, postBatch, startTestHub, type BatchAnswer } from '../testing/support.js';

const UNIT = '01001THCS';
const SCHOOL: HubClientConfig = { clientId: 'school-client', clientSecret: 's3cret-school', unitCodes: [UNIT] };
const DATASET = 'hocbaso-thcsthpt';

/** Now, to the second: the test certificates are valid from yesterday, so sign at a recent time. */
function signingTime(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000);
}

/** The sample record with its own idbanghi, so that each test writes a record of its own. */
function recordNo(n: number): HocBaThcsThpt {
  return { ...sampleHocBaRecord(), idbanghi: `HB-79001-2024-2025-${String(n).padStart(4, '0')}` };
}

async function signedXmlFor(record: HocBaThcsThpt, pki: HocBaTestPki): Promise<string> {
  return signHocBa(buildHocBaXml(record), signersFromTestPki(pki), signingTime());
}

function tailieuOf(xml: string | Buffer): JsonObject {
  const bytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  return { dinhdang: 'xml', noidung: bytes.toString('base64'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

function envelope(record: HocBaThcsThpt, xml: string | Buffer | null, data: JsonObject = record as unknown as JsonObject): JsonObject {
  return {
    idbanghi: record.idbanghi,
    sukien: 'NEW',
    phienban: 1,
    thoigiancapnhat: '2025-06-01T10:00:00',
    data,
    ...(xml === null ? {} : { tailieu: tailieuOf(xml) }),
  };
}

let pki: HocBaTestPki;
let otherPki: HocBaTestPki;
let hub: HubSimulator;
let token: string;

beforeAll(async () => {
  // RSA key generation is the slow part: one trusted PKI and one the hub does not trust, for the file.
  pki = createHocBaTestPki(sampleHocBaRecord());
  otherPki = createHocBaTestPki(sampleHocBaRecord());
  hub = await startTestHub({ clients: [SCHOOL], trustedCaPems: [pki.ca.certPem] });
  token = await getToken(hub.url, SCHOOL);
});
afterAll(async () => hub.stop());

async function send(records: unknown[], target: HubSimulator = hub, auth: string = token): Promise<BatchAnswer> {
  const body = batchBody(records, { unitCode: UNIT, schemaVersion: HOCBA_THCSTHPT_SCHEMA_VERSION });
  const res = await postBatch(target.url, body, { token: auth, unit: UNIT, dataset: DATASET });
  if (res.status !== 200) throw new Error(`batch: ${res.status} ${await res.text()}`);
  return (await res.json()) as BatchAnswer;
}

function codesOf(answer: BatchAnswer, i = 0): [string, string][] {
  return (answer.results[i]?.errors ?? []).map((e) => [e.field, e.code]);
}

/** No personal value of the sample record in an answer: ids, names, scores. */
function expectNoPersonalValues(answer: BatchAnswer, record: HocBaThcsThpt): void {
  const text = JSON.stringify(answer.results.map((r) => r.errors ?? []));
  for (const value of [record.sodinhdanh, record.hovaten, record.soddcngiamhieu, record.tengiamhieu, '8.8', '9.8']) {
    expect(text).not.toContain(value);
  }
}

describe('hub simulator: hocbaso-thcsthpt', () => {
  it('accepts a signed record whose data matches its document, and serves it back with its tailieu', async () => {
    const record = recordNo(1);
    const sent = envelope(record, await signedXmlFor(record, pki));
    const answer = await send([sent]);
    expect(answer.results).toEqual([
      {
        idbanghi: record.idbanghi,
        status: 'accepted',
        phienban: 1,
        receiptId: expect.stringMatching(/^r-/) as unknown,
        contentHash: contentHash(sent.data ?? null),
      },
    ]);
    const held = await getJson(hub.url, `/v1/${DATASET}/records/${record.idbanghi}`, token, UNIT);
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ idbanghi: record.idbanghi, data: sent.data, tailieu: sent.tailieu });
  });

  it('rejects a wrong sha256 with HASH_MISMATCH', async () => {
    const record = recordNo(2);
    const sent = envelope(record, await signedXmlFor(record, pki));
    const tailieu = { ...(sent.tailieu as JsonObject), sha256: createHash('sha256').update('something else').digest('hex') };
    const answer = await send([{ ...sent, tailieu }]);
    expect(answer.results[0]?.status).toBe('rejected');
    expect(codesOf(answer)).toEqual([['tailieu.sha256', 'HASH_MISMATCH']]);
    expect((await getJson(hub.url, `/v1/${DATASET}/records/${record.idbanghi}`, token, UNIT)).status).toBe(404);
  });

  it('rejects a document changed after signing (hash recomputed) with SIGNATURE_INVALID, naming roles, not values', async () => {
    const record = recordNo(3);
    const signed = await signedXmlFor(record, pki);
    const changed = signed.replace('<diemcanam>8.8</diemcanam>', '<diemcanam>9.8</diemcanam>');
    expect(changed).not.toBe(signed);
    const answer = await send([envelope(record, changed)]);
    expect(codesOf(answer)).toEqual([['tailieu.noidung', 'SIGNATURE_INVALID']]);
    const message = answer.results[0]?.errors?.[0]?.message ?? '';
    expect(message).toContain('giáo viên bộ môn (TOA)');
    expect(message).toContain('hiệu trưởng');
    expectNoPersonalValues(answer, record);
  });

  it('rejects data that differs from the signed document with DATA_MISMATCH on the differing fields', async () => {
    const record = recordNo(4);
    const xml = await signedXmlFor(record, pki);
    const base = record as unknown as JsonObject;
    const otherYear = await send([envelope(record, xml, { ...base, namhoc: '2023-2024' })]);
    expect(otherYear.results[0]?.status).toBe('rejected');
    expect(otherYear.results[0]?.errors).toEqual([
      { field: 'data.namhoc', code: 'DATA_MISMATCH', message: 'namhoc khác với dữ liệu trong học bạ đã ký số (tailieu)' },
    ]);

    const [toan, ...rest] = record.bangdiem;
    const otherScore = { ...base, sodinhdanh: '001209099999', bangdiem: [{ ...toan, diemcanam: '9.8' }, ...rest] } as JsonObject;
    const answer = await send([envelope(record, xml, otherScore)]);
    expect(codesOf(answer)).toEqual([
      ['data.sodinhdanh', 'DATA_MISMATCH'],
      ['data.bangdiem[0].diemcanam', 'DATA_MISMATCH'],
    ]);
    expect(JSON.stringify(answer)).not.toContain('001209099999');
    expectNoPersonalValues(answer, record);

    const { chungchi: _dropped, ...withoutCertificates } = base;
    const fewerRows = await send([envelope(record, xml, withoutCertificates)]);
    expect(codesOf(fewerRows)).toEqual([['data.chungchi', 'DATA_MISMATCH']]);
  });

  it('rejects malformed XML and XML outside the schema with SCHEMA_INVALID', async () => {
    const record = recordNo(5);
    const signed = await signedXmlFor(record, pki);
    const malformed = signed.replace('</HocBa>', '</HocBaa>');
    const notInSchema = signed.replace('<tenlop>9A1</tenlop>', '<tenlop>9A1</tenlop><lop>9A1</lop>');
    const doctype = signed.replace('<HocBa ', '<!DOCTYPE HocBa [<!ENTITY x "y">]><HocBa ');
    const latin1 = Buffer.from(signed.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1');
    const answer = await send([envelope(record, malformed), envelope(record, notInSchema), envelope(record, doctype), envelope(record, latin1)]);
    expect(answer.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    for (let i = 0; i < 4; i++) expect(codesOf(answer, i)).toEqual([['tailieu.noidung', 'SCHEMA_INVALID']]);
    expect(answer.results[1]?.errors?.[0]?.message).toMatch(/lược đồ thongtinsohocbasothcsthpt\/2025 \(lỗi đầu tiên ở dòng \d+\)/);
    expectNoPersonalValues(answer, record);
  });

  it('rejects a document signed under a CA the hub does not trust with SIGNATURE_INVALID', async () => {
    const record = recordNo(6);
    const answer = await send([envelope(record, await signedXmlFor(record, otherPki))]);
    expect(codesOf(answer)).toEqual([['tailieu.noidung', 'SIGNATURE_INVALID']]);
    expect(answer.results[0]?.errors?.[0]?.message).toMatch(/không được tin cậy/);
  });

  it('rejects a record without tailieu, or with a tailieu of the wrong shape', async () => {
    const record = recordNo(7);
    const xml = await signedXmlFor(record, pki);
    const good = envelope(record, xml);
    const answer = await send([
      envelope(record, null),
      { ...good, tailieu: { dinhdang: 'pdf', noidung: 'not base64!', sha256: 'abc' } },
      { ...good, tailieu: 'xml' },
    ]);
    expect(answer.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(answer.results[0]?.errors).toEqual([{ field: 'tailieu', code: 'REQUIRED', message: 'Thiếu tài liệu học bạ (tailieu) đã ký số' }]);
    expect(codesOf(answer, 1)).toEqual([
      ['tailieu.dinhdang', 'INVALID_CODE'],
      ['tailieu.noidung', 'INVALID_FORMAT'],
      ['tailieu.sha256', 'INVALID_FORMAT'],
    ]);
    expect(codesOf(answer, 2)).toEqual([['tailieu', 'REQUIRED']]);
  });

  it('reports dictionary errors of data in Vietnamese next to the document checks', async () => {
    const record = recordNo(8);
    const xml = await signedXmlFor(record, pki);
    const { hovaten: _dropped, ...withoutName } = record as unknown as JsonObject;
    const answer = await send([envelope(record, xml, withoutName)]);
    expect(answer.results[0]?.errors).toEqual([
      { field: 'data.hovaten', code: 'DICT_REQUIRED', message: 'Thiếu trường bắt buộc hovaten' },
      { field: 'data.hovaten', code: 'DATA_MISMATCH', message: 'hovaten khác với dữ liệu trong học bạ đã ký số (tailieu)' },
    ]);
  });

  it('answers a valid record and an invalid one of the same batch each on its own, in order', async () => {
    const good = recordNo(9);
    const bad = recordNo(10);
    const badXml = (await signedXmlFor(bad, pki)).replace('<tenlop>9A1</tenlop>', '<tenlop>9A2</tenlop>');
    const answer = await send([envelope(bad, badXml), envelope(good, await signedXmlFor(good, pki))]);
    expect(answer.results.map((r) => [r.idbanghi, r.status])).toEqual([
      [bad.idbanghi, 'rejected'],
      [good.idbanghi, 'accepted'],
    ]);
    expect(codesOf(answer)).toEqual([['tailieu.noidung', 'SIGNATURE_INVALID']]);
    expect(hub.acceptanceCounts(DATASET).filter((c) => c.idbanghi === bad.idbanghi)).toEqual([]);
    expect(hub.acceptanceCounts(DATASET).filter((c) => c.idbanghi === good.idbanghi)).toEqual([
      { idbanghi: good.idbanghi, phienban: 1, count: 1 },
    ]);
  });

  it('answers a replayed batch with the first answer, and a newer phienban of a held record after checking it', async () => {
    const record = recordNo(11);
    const sent = envelope(record, await signedXmlFor(record, pki));
    const body = batchBody([sent], { unitCode: UNIT, schemaVersion: HOCBA_THCSTHPT_SCHEMA_VERSION });
    const first = await postBatch(hub.url, body, { token, unit: UNIT, dataset: DATASET, key: 'hocba-replay' });
    const second = await postBatch(hub.url, body, { token, unit: UNIT, dataset: DATASET, key: 'hocba-replay' });
    expect(await second.text()).toBe(await first.text());

    const same = await send([{ ...sent, phienban: 1 }]);
    expect(same.results[0]).toMatchObject({ status: 'stale', phienban: 1 });
    const newer = await send([{ ...sent, phienban: 2, tailieu: { ...(sent.tailieu as JsonObject), sha256: '0'.repeat(64) } }]);
    expect(codesOf(newer)).toEqual([['tailieu.sha256', 'HASH_MISMATCH']]);
  });

  it('answers 422 for a diploma schemaVersion on this dataset', async () => {
    const body = batchBody([], { unitCode: UNIT, schemaVersion: 'VanBangChungChi/2025' });
    const res = await postBatch(hub.url, body, { token, unit: UNIT, dataset: DATASET });
    expect(res.status).toBe(422);
    expect(await errorCode(res)).toBe('UNSUPPORTED_SCHEMA_VERSION');
  });

  it('rejects every signed record with SIGNATURE_INVALID when no trusted CA is configured', async () => {
    const bare = await startTestHub({ clients: [SCHOOL] });
    try {
      const record = recordNo(12);
      const answer = await send([envelope(record, await signedXmlFor(record, pki))], bare, await getToken(bare.url, SCHOOL));
      expect(answer.results[0]?.errors).toEqual([
        {
          field: 'tailieu.noidung',
          code: 'SIGNATURE_INVALID',
          message: 'Trung tâm dữ liệu chưa được cấu hình chứng thư CA tin cậy nên không xác minh được chữ ký số của học bạ',
        },
      ]);
    } finally {
      await bare.stop();
    }
  });
});

describe('compareWithDocument', () => {
  it('compares numbers and 0/1 flags by value, treats empty as absent, and falls back to the envelope idbanghi', () => {
    const record = sampleHocBaRecord();
    const { idbanghi: _id, ...rest } = record as unknown as JsonObject;
    const data: JsonObject = { ...rest, trichluc: '0', sobuoinghi: '2.0', duoclenlop: true, tenhuyen: '', doituongchinhsach: null };
    expect(compareWithDocument(data, record, record.idbanghi)).toEqual([]);
    expect(compareWithDocument(data, record, 'HB-OTHER')).toEqual([
      { field: 'data.idbanghi', code: 'DATA_MISMATCH', message: 'idbanghi khác với dữ liệu trong học bạ đã ký số (tailieu)' },
    ]);
    expect(compareWithDocument({ ...data, idbanghi: record.idbanghi, tenhuyen: 'Ba Đình', duoclenlop: 0 }, record).map((e) => e.field)).toEqual([
      'data.tenhuyen',
      'data.duoclenlop',
    ]);
  });
});

describe('--trusted-ca', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-trusted-ca-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every PEM certificate of each file given, and a hub started with them trusts those CAs', async () => {
    const bundle = join(dir, 'bundle.pem');
    const single = join(dir, 'ca.crt');
    writeFileSync(bundle, `# two roots\n${pki.ca.certPem}${otherPki.ca.certPem}`);
    writeFileSync(single, pki.ca.certPem);
    const base = ['--client-id', 'c', '--client-secret', 's', '--unit', UNIT];
    const options = parseHubSimulatorArgs([...base, '--trusted-ca', bundle, '--trusted-ca', single]);
    const lf = (pem: string): string => pem.replace(/\r\n/g, '\n');
    expect(options.trustedCaPems?.map(lf)).toEqual([pki.ca.certPem, otherPki.ca.certPem, pki.ca.certPem].map(lf));
    expect(parseHubSimulatorArgs(base).trustedCaPems).toBeUndefined();

    const empty = join(dir, 'empty.pem');
    writeFileSync(empty, 'nothing here\n');
    expect(() => parseHubSimulatorArgs([...base, '--trusted-ca', empty])).toThrow(/holds no PEM certificate/);
    expect(() => parseHubSimulatorArgs([...base, '--trusted-ca', join(dir, 'missing.pem')])).toThrow(/cannot read/);

    const fromCli = await startTestHub({ clients: [SCHOOL], ...(options.trustedCaPems ? { trustedCaPems: options.trustedCaPems } : {}) });
    try {
      const record = recordNo(13);
      const answer = await send([envelope(record, await signedXmlFor(record, otherPki))], fromCli, await getToken(fromCli.url, SCHOOL));
      expect(answer.results[0]?.status).toBe('accepted');
    } finally {
      await fromCli.stop();
    }
  });
});

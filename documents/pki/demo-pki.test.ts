import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleHocBaRecord } from '../hocba/sample-record.js';
import { checkCertificateChain } from '../xmldsig/certificate-chain.js';
import { subjectPersonalId } from '../xmldsig/certificate-name.js';
import { Pkcs12Signer } from '../xmldsig/pkcs12-signer.js';
import { demoPeopleFromRecord, ensureDemoPki } from './demo-pki.js';

const record = sampleHocBaRecord();
const password = 'demo-mật-khẩu';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lienthong-demo-pki-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ensureDemoPki', () => {
  it('creates the CA and one PKCS#12 file per person plus the school seal, chaining to the CA for ~10 years', async () => {
    const people = demoPeopleFromRecord(record);
    expect(people.map((p) => p.role)).toEqual(['gvbm', 'gvbm', 'gvbm', 'gvcn', 'hieutruong']);
    const pki = ensureDemoPki(dir, { people, schoolName: record.tentruong, password });
    expect(pki.issued).toBe(6);
    expect(pki.caPemPath).toBe(join(dir, 'ca.crt'));
    const caPem = readFileSync(pki.caPemPath, 'utf8');
    expect(statSync(join(dir, 'ca.key')).mode & 0o077).toBe(0);

    const teacher = await Pkcs12Signer.fromFile(join(pki.keysDir, '001082000003.p12'), password);
    expect(teacher.subject).toBe('Đỗ Văn Toán');
    expect(subjectPersonalId(forge.pki.certificateFromPem(teacher.certificatePem))).toBe('001082000003');
    const inNineYears = new Date(Date.now() + 9 * 365 * 24 * 3600 * 1000);
    expect(checkCertificateChain(teacher.certificatePem, [], [caPem], inNineYears).ok).toBe(true);

    const school = await Pkcs12Signer.fromFile(join(pki.keysDir, 'school.p12'), password);
    expect(school.subject).toBe(record.tentruong);
    expect(subjectPersonalId(forge.pki.certificateFromPem(school.certificatePem))).toBeUndefined();
    expect(checkCertificateChain(school.certificatePem, [], [caPem], new Date()).ok).toBe(true);
  });

  it('is idempotent and adds new people with the same CA', async () => {
    const caBefore = readFileSync(join(dir, 'ca.crt'), 'utf8');
    const keyBefore = readFileSync(join(dir, 'keys', '001075000001.p12'));
    const again = ensureDemoPki(dir, { people: demoPeopleFromRecord(record), schoolName: record.tentruong, password });
    expect(again.issued).toBe(0);
    expect(readFileSync(join(dir, 'keys', '001075000001.p12')).equals(keyBefore)).toBe(true);

    const newcomer = { personalId: '001190000777', name: 'Ngô Thị Mới', role: 'gvbm' as const };
    const more = ensureDemoPki(dir, { people: [...demoPeopleFromRecord(record), newcomer], schoolName: record.tentruong, password });
    expect(more.issued).toBe(1);
    expect(readFileSync(join(dir, 'ca.crt'), 'utf8')).toBe(caBefore);
    const signer = await Pkcs12Signer.fromFile(join(dir, 'keys', '001190000777.p12'), password);
    expect(signer.subject).toBe('Ngô Thị Mới');
    // issued by the reloaded CA: the issuer name must match the CA subject byte for byte
    expect(checkCertificateChain(signer.certificatePem, [], [caBefore], new Date())).toMatchObject({ ok: true });
  });

  it('refuses a personal id that is not 12 digits without writing anything for it', () => {
    expect(() => ensureDemoPki(dir, { people: [{ personalId: '../x', name: 'X', role: 'gvcn' }], schoolName: 'S', password })).toThrow(/12 digits/);
    expect(existsSync(join(dir, 'keys', '../x.p12'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../src/core/hash.js';
import type { JsonObject, StagedRecord } from '../../src/core/records.js';
import { credentialOf, decodeCredential, encodeCredential, messageIdFor } from './credential.js';
import { diplomaData, stagedRecord } from './testing/support.js';

const staged = (data: JsonObject, extra: Partial<StagedRecord> = {}): StagedRecord => ({
  key: 'k',
  idbanghi: 'TR01-HB-2025-001',
  version: 1,
  event: 'NEW',
  changedAt: '2026-06-20T10:15:00',
  contentHash: contentHash(data),
  dataJson: canonicalJson(data),
  ...extra,
});

describe('a staged record as the credential service request', () => {
  it('a diploma: the summary VNeID needs, the record content hash as documentHash, the idbanghi as key', () => {
    const record = stagedRecord(1);
    expect(credentialOf(record)).toEqual({
      v: 1,
      operation: 'PublishCredential',
      messageId: messageIdFor('PublishCredential', record.idbanghi, 1, record.contentHash),
      credentialKey: record.idbanghi,
      personalIdField: 'data.sodinhdanh',
      request: { personalId: '001099000001', credentialType: 'DIPLOMA', credentialKey: record.idbanghi, title: 'Bằng cử nhân', issuerName: 'Trường Đại học Mẫu', issueDate: '2024-06-25', documentHash: record.contentHash },
    });
  });

  it('the message id is the same for every retry of an operation, and new for any other version, content or operation', () => {
    const record = stagedRecord(2);
    const id = (r: StagedRecord): string => (credentialOf(r) as { messageId: string }).messageId;
    expect(id(record)).toBe(id({ ...record }));
    expect(encodeCredential(record)).toBe(encodeCredential({ ...record }));
    expect(id(record)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const others = [stagedRecord(2, { version: 2 }), stagedRecord(2, { data: { ...diplomaData(2), tenvanbangcc: 'Bằng kỹ sư' } }), stagedRecord(2, { event: 'CANCEL' }), stagedRecord(3)];
    expect(new Set([record, ...others].map(id)).size).toBe(5);
  });

  it('a school record: its title made of class and school year, issued by the school on the signing date', () => {
    const record = staged({ sodinhdanh: '001209000123', namhoc: '2024-2025', tenlop: '9A1', tentruong: 'Trường THCS Nguyễn Du', ngaykyphathanh: '2025-05-30', madinhdanhhocba: 'x' });
    expect(credentialOf(record)).toMatchObject({ request: { personalId: '001209000123', credentialType: 'SCHOOL_RECORD', title: 'Học bạ lớp 9A1, năm học 2024-2025', issuerName: 'Trường THCS Nguyễn Du', issueDate: '2025-05-30', credentialKey: 'TR01-HB-2025-001', documentHash: record.contentHash } });
  });

  it('a credential summary: taken as given, its own key, hash and verification page', () => {
    const hash = 'a'.repeat(64);
    const record = staged({ personalId: '001099000001', credentialType: 'CERTIFICATE', title: 'Chứng chỉ tiếng Anh B1', issuerName: 'Trung tâm A', issueDate: '2025-01-10', credentialKey: 'CC-1', documentHash: hash, verifyUrl: 'https://a.example/v/CC-1' });
    expect(credentialOf(record)).toMatchObject({ credentialKey: 'CC-1', personalIdField: 'data.personalId', messageId: messageIdFor('PublishCredential', 'CC-1', 1, hash), request: { credentialType: 'CERTIFICATE', credentialKey: 'CC-1', documentHash: hash, verifyUrl: 'https://a.example/v/CC-1' } });
  });

  it('CANCEL is a revocation of the key, with the record\'s own reason when it gives one', () => {
    expect(credentialOf(stagedRecord(4, { event: 'CANCEL', version: 2 }))).toMatchObject({ operation: 'RevokeCredential', personalId: '001099000004', credentialKey: 'DHA-VB-000004', credentialType: 'DIPLOMA' });
    const summary = staged({ personalId: '001099000001', credentialType: 'DIPLOMA', title: 't', issuerName: 'i', issueDate: '2025-01-10', revokeReason: 'Quyết định thu hồi số 12/QĐ' }, { event: 'CANCEL' });
    expect(credentialOf(summary)).toMatchObject({ operation: 'RevokeCredential', reason: 'Quyết định thu hồi số 12/QĐ' });
  });

  it('what VNeID cannot take becomes field errors naming the record field, never an exception at staging', () => {
    const problems = (data: JsonObject): unknown => (credentialOf(staged(data)) as { problems?: unknown }).problems;
    expect(problems({ hovaten: 'x' })).toEqual([{ field: 'data', code: 'VNEID_NOT_A_CREDENTIAL', message: expect.any(String) }]);
    expect(problems({ ...diplomaData(5), sodinhdanh: '12345' })).toEqual([{ field: 'data.sodinhdanh', code: 'VNEID_PERSONAL_ID_INVALID', message: expect.any(String) }]);
    expect(problems({ ...diplomaData(5), ngaycap_ngaythangnam: '2024-02-30' })).toEqual([{ field: 'data.ngaycap_ngaythangnam', code: 'VNEID_ISSUE_DATE_INVALID', message: expect.any(String) }]);
    expect(problems({ ...diplomaData(5), donvicap: null, tentruong: null })).toEqual([{ field: 'data.donvicap', code: 'VNEID_FIELD_MISSING', message: expect.any(String) }]);
    expect(problems({ personalId: '001099000001', credentialType: 'PASSPORT', title: 't' })).toEqual([{ field: 'data', code: 'VNEID_NOT_A_CREDENTIAL', message: expect.any(String) }]);
    expect(problems({ personalId: '001099000001', credentialType: 'DIPLOMA', title: 't', issuerName: 'i', issueDate: '2025-01-10', documentHash: 'ABC' })).toEqual([{ field: 'data.documentHash', code: 'VNEID_DOCUMENT_HASH_INVALID', message: expect.any(String) }]);
    // no personal id in a message
    expect(JSON.stringify(problems({ ...diplomaData(5), sodinhdanh: '0010990000055' }))).not.toContain('0010990000055');
  });

  it('reads its outbox text back, and refuses text that is not its own', () => {
    const record = stagedRecord(6);
    expect(decodeCredential(encodeCredential(record), record.idbanghi)).toEqual(credentialOf(record));
    expect(() => decodeCredential('{"idbanghi":"x","sukien":"NEW"}', 'x')).toThrow(/not a credential request/);
    expect(() => decodeCredential('not json', 'x')).toThrow(/not JSON/);
  });
});

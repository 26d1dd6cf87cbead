import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/hash.js';
import type { JsonObject } from '../../src/core/records.js';
import type { SignatureReport } from '../../documents/xmldsig/verify-hocba.js';
import type { HocBaTestPki } from '../../documents/pki/test-pki.js';
import { documentShelf } from '../../connectors/signed-hocba-folder/shelf.js';
import { sampleRecordNo, signedXml, testPki } from '../../connectors/signed-hocba-folder/testing/signed-files.js';
import { documentRecord } from '../../mappings/hocba-thcsthpt-signed/2025/mapping.js';
import { SignedDocumentVerifier, signingOrderError, verificationErrors } from './verifier.js';

const report = (role: SignatureReport['role'], signatureId: string, signedAt: string, extra: Partial<SignatureReport> = {}): SignatureReport => ({ role, signatureId, signer: 'x', references: [], valid: true, signedAt, ...extra });

describe('hocba-verify: what a failing document is held back with', () => {
  it('one error per failing signature, by its Id, and the document-wide problems after', () => {
    const errors = verificationErrors(
      'a.xml',
      [report('gvbm', 'sig-gvbm-TOA', '2026-01-01T00:00:00Z', { valid: false, mamonhoc: 'TOA', error: 'the certificate does not chain to a trusted CA' }), report('gvcn', 'sig-gvcn', '2026-01-01T00:00:00Z')],
      ['signature sig-gvbm-TOA (gvbm) is invalid: the certificate does not chain to a trusted CA', 'schema: line 3: element x: not expected', 'role donvi must have exactly one signature, found 0'],
    );
    expect(errors).toEqual([
      { field: 'tailieu.sig-gvbm-TOA', code: 'SIGNATURE_INVALID', message: 'a.xml: signature sig-gvbm-TOA (subject teacher of TOA) does not verify: the certificate does not chain to a trusted CA' },
      { field: 'tailieu', code: 'SCHEMA_INVALID', message: 'a.xml: line 3: element x: not expected' },
      { field: 'tailieu', code: 'SIGNED_DOCUMENT_INVALID', message: 'a.xml: role donvi must have exactly one signature, found 0' },
    ]);
  });

  it('the signing order in time: teachers, homeroom teacher, principal, seal', () => {
    const inOrder = [report('gvbm', 'sig-gvbm-TOA', '2026-01-01T08:00:00Z'), report('gvcn', 'sig-gvcn', '2026-01-01T09:00:00Z'), report('hieutruong', 'sig-ht', '2026-01-02T08:00:00Z'), report('donvi', 'sig-dv', '2026-01-02T08:00:00Z')];
    expect(signingOrderError('a.xml', inOrder)).toBeUndefined();
    const late = [...inOrder, report('gvbm', 'sig-gvbm-VAN', '2026-01-03T08:00:00Z')];
    expect(signingOrderError('a.xml', late)).toEqual({ field: 'tailieu.sig-gvcn', code: 'HOCBA_SIGNING_ORDER', message: 'a.xml: signature sig-gvcn is dated before signature sig-gvbm-VAN, which it must follow' });
  });
});

describe('hocba-verify: the file as the source read it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lt-verify-'));
  let pki: HocBaTestPki;
  let xml: string;
  const record = sampleRecordNo(7);
  const data = documentRecord(record as unknown as Record<string, unknown>) as JsonObject;

  beforeAll(async () => {
    pki = testPki();
    xml = await signedXml(record, pki);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('attaches the very bytes of a verifying file, and refuses a file changed since it was read', async () => {
    const path = join(dir, 'r7.xml');
    writeFileSync(path, xml);
    const verifier = new SignedDocumentVerifier({ trustedCaPems: [pki.ca.certPem] });
    expect(await verifier.transform({ idbanghi: record.idbanghi, phienban: 1, sourceKey: 'not-read', data })).toMatchObject({ ok: false, errors: [{ code: 'SIGNED_DOCUMENT_NOT_READ' }] });

    documentShelf.put(record.idbanghi, { name: 'r7.xml', path, sha256: sha256Hex(Buffer.from(xml)) });
    const result = await verifier.transform({ idbanghi: record.idbanghi, phienban: 1, sourceKey: record.idbanghi, data });
    expect(result).toEqual({ ok: true, tailieu: { dinhdang: 'xml', noidung: Buffer.from(xml).toString('base64'), sha256: sha256Hex(Buffer.from(xml)) } });

    expect(await verifier.transform({ idbanghi: record.idbanghi, phienban: 1, sourceKey: record.idbanghi, data: { ...data, hovaten: 'Khác' } })).toMatchObject({ ok: false, errors: [{ code: 'DATA_MISMATCH' }] });
    writeFileSync(path, `${xml}\n`);
    expect(await verifier.transform({ idbanghi: record.idbanghi, phienban: 1, sourceKey: record.idbanghi, data })).toMatchObject({ ok: false, errors: [{ code: 'SIGNED_FILE_CHANGED', message: expect.stringMatching(/^r7\.xml: /) as unknown }] });
    documentShelf.remove([record.idbanghi]);
  }, 30_000);
});

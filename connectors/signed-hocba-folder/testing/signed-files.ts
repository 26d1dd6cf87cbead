/**
 * Test support: school records signed as a vendor's software would, written to a folder. One test
 * PKI signs every sample record (they share their teachers); another, whose CA nobody trusts, makes
 * the untrusted ones.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HocBaThcsThpt } from '../../../documents/hocba/fields.js';
import { sampleHocBaRecord } from '../../../documents/hocba/sample-record.js';
import { buildHocBaXml } from '../../../documents/hocba/xml.js';
import { createHocBaTestPki, type HocBaTestPki } from '../../../documents/pki/test-pki.js';
import { signersFromTestPki } from '../../../documents/pki/testing/signers.js';
import { signHocBa } from '../../../documents/xmldsig/sign-hocba.js';

export const SAMPLE_UNIT = '01001THCS';

/** The sample record with an id of its own. */
export function sampleRecordNo(n: number, changes: Partial<HocBaThcsThpt> = {}): HocBaThcsThpt {
  return { ...sampleHocBaRecord(), idbanghi: `HB-01001THCS-2024-2025-${String(n).padStart(4, '0')}`, ...changes };
}

export function testPki(): HocBaTestPki {
  return createHocBaTestPki(sampleHocBaRecord());
}

/** Signed now (to the second: the test certificates are valid from yesterday). */
export async function signedXml(record: HocBaThcsThpt, pki: HocBaTestPki, at: Date = new Date(Math.floor(Date.now() / 1000) * 1000)): Promise<string> {
  return signHocBa(buildHocBaXml(record), signersFromTestPki(pki), at);
}

/** Writes a document; answers the SHA-256 of the bytes written. */
export function writeDocument(dir: string, name: string, xml: string | Buffer): string {
  const bytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  writeFileSync(join(dir, name), bytes);
  return createHash('sha256').update(bytes).digest('hex');
}

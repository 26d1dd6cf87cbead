/**
 * xmlsec1 (libxmlsec1 + OpenSSL) as the independent referee of the signing tests: one run per
 * signature (`--node-xpath`), against the trusted CA only. Test support only.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOCBA_NS } from '../../hocba/xml.js';

export const hasXmlsec1 = spawnSync('xmlsec1', ['--version']).status === 0;

/** One --id-attr per element type of the document that carries an Id (ds:Object Ids are known to xmlsec1). */
export const XMLSEC1_ID_ATTRS = ['DuLieuHocBa', 'BangDiem', 'KetQua', 'GVBM', 'GVCN', 'HieuTruong', 'DonVi'].flatMap((name) => ['--id-attr:Id', `${HOCBA_NS}:${name}`]);

let fileCount = 0;

/** xmlsec1's verdict for each of `signatureIds` in `xml`: true = verified. Its messages go to `messages`. */
export function xmlsec1Verdicts(xml: string, options: { dir: string; caPath: string; signatureIds: readonly string[]; messages?: string[] }): Record<string, boolean> {
  const file = join(options.dir, `xmlsec1-${process.pid}-${fileCount++}.xml`);
  writeFileSync(file, xml);
  const verdicts: Record<string, boolean> = {};
  for (const id of options.signatureIds) {
    const run = spawnSync('xmlsec1', [
      '--verify',
      '--trusted-pem',
      options.caPath,
      ...XMLSEC1_ID_ATTRS,
      '--node-xpath',
      `//*[local-name()='Signature' and namespace-uri()='http://www.w3.org/2000/09/xmldsig#'][@Id='${id}']`,
      file,
    ]);
    verdicts[id] = run.status === 0;
    options.messages?.push(run.stderr.toString());
  }
  return verdicts;
}

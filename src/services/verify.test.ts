import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSignedFixture, tamper, type SignedFixture } from '../../documents/xmldsig/testing/fixtures.js';
import { verifyDocumentFiles } from './verify.js';

let fx: SignedFixture;
let caFile: string;
beforeAll(async () => {
  fx = await makeSignedFixture();
  caFile = join(fx.dir, 'ca.crt');
  writeFileSync(caFile, fx.pki.ca.certPem);
}, 60_000);
afterAll(() => fx.cleanup());

describe('verifyDocumentFiles', () => {
  it('finds a signed school record valid, and one changed after signing not, naming why', async () => {
    const good = join(fx.dir, 'good.xml');
    const bad = join(fx.dir, 'bad.xml');
    writeFileSync(good, fx.signedXml);
    writeFileSync(bad, tamper.recordField(fx.signedXml, 'hovaten', 'Nguyễn Minh Anh'));
    const [g, b] = await verifyDocumentFiles([good, bad], [caFile]);
    expect(g).toMatchObject({ file: good, kind: 'xml', valid: true, problems: [] });
    expect(g?.signatures.length).toBeGreaterThan(0);
    expect(b).toMatchObject({ file: bad, kind: 'xml', valid: false });
    expect(b?.problems.length).toBeGreaterThan(0);
  });

  it('without a trusted CA, or with a file holding none, is a configuration error', async () => {
    const empty = join(fx.dir, 'empty.pem');
    writeFileSync(empty, 'not a certificate\n');
    await expect(verifyDocumentFiles([join(fx.dir, 'good.xml')], [])).rejects.toMatchObject({ code: 'NO_TRUSTED_CA', kind: 'config' });
    await expect(verifyDocumentFiles([join(fx.dir, 'good.xml')], [empty])).rejects.toMatchObject({ code: 'TRUSTED_CA_EMPTY', kind: 'config' });
    await expect(verifyDocumentFiles([join(fx.dir, 'good.xml')], [join(fx.dir, 'no-such-ca.pem')])).rejects.toMatchObject({ code: 'TRUSTED_CA_UNREADABLE', kind: 'config' });
  });
});

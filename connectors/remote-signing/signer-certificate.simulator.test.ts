import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa } from '../../documents/pki/test-pki.js';
import { LienthongError } from '../../src/core/errors.js';
import { CODE_EXPLANATIONS } from '../../src/domain/error-codes.js';
import { RemoteSigningClient, SignerCertificateError, checkCredential, checkSignerCertificate, maskSignerId, verifyDigestSignature, verifySignatureValues } from './index.js';
import { SigningSimulator } from './simulator/index.js';

/** The certificates and signatures a remote service sends, fetched over HTTP, checked before use. */

const LAN = '001085012345';
const OTHER = '079190054321';
const DAY = 24 * 60 * 60 * 1000;
const simulator = new SigningSimulator();
let client: RemoteSigningClient;

beforeAll(async () => {
  // a CA older than every signer certificate below, so that a past signing time can chain
  const ca = createTestCa({ commonName: 'Simulated Signing CA', validFrom: new Date(Date.now() - 1000 * DAY) });
  await simulator.start({ clients: [{ clientId: 'c', clientSecret: 's' }], ca });
  client = new RemoteSigningClient({ baseUrl: simulator.url, clientId: 'c', clientSecret: 's', pollInitialDelayMs: 10 });
});
afterAll(async () => {
  client.close();
  await simulator.stop();
});

async function chainOf(personalId: string): Promise<string[]> {
  const [credentialId] = await client.listCredentials(personalId);
  return (await client.credentialInfo(credentialId!)).chainPem;
}

function refusal(run: () => unknown): SignerCertificateError {
  try {
    run();
  } catch (err) {
    if (err instanceof SignerCertificateError) return err;
    throw err;
  }
  throw new Error('expected the certificate to be refused');
}

describe('checkSignerCertificate on chains from the signing service', () => {
  it('accepts the signer own certificate chaining to the trusted CA', async () => {
    simulator.addSigner({ personalId: LAN, name: 'Nguyễn Thị Lan' });
    const checked = checkSignerCertificate(await chainOf(LAN), { trustedCaPems: [simulator.caCertPem], personalId: LAN, at: new Date() });
    expect(checked.commonName).toBe('Nguyễn Thị Lan');
    expect(checked.intermediatePems).toHaveLength(1);
  });

  it('refuses a certificate whose CCCD is another person, naming the signer masked', async () => {
    const id = '001085000111';
    simulator.addSigner({ personalId: id, name: 'Lê Văn Tám', certificatePersonalId: OTHER });
    const chain = await chainOf(id);
    const e = refusal(() => checkSignerCertificate(chain, { trustedCaPems: [simulator.caCertPem], personalId: id, at: new Date() }));
    expect(e.code).toBe('SIGNER_CERT_PERSON_MISMATCH');
    expect(e.kind).toBe('data');
    expect(e.message).toContain('001*******11');
    expect(e.message).toContain(maskSignerId(OTHER));
    expect(e.message).not.toContain(id);
    expect(e.message).not.toContain(OTHER);
    expect(e.context.signer).toBe('001*******11');

    const anonymous = '001085000666';
    simulator.addSigner({ personalId: anonymous, name: 'Không Số', certificatePersonalId: '' });
    const anonymousChain = await chainOf(anonymous);
    const none = refusal(() => checkSignerCertificate(anonymousChain, { trustedCaPems: [simulator.caCertPem], personalId: anonymous, at: new Date() }));
    expect(none.code).toBe('SIGNER_CERT_NO_PERSONAL_ID');
  });

  it('refuses an expired certificate and one not yet valid at signing time', async () => {
    const id = '001085000222';
    simulator.addSigner({ personalId: id, name: 'Phạm Thu', validFrom: new Date(Date.now() - 400 * DAY), validTo: new Date(Date.now() - 30 * DAY) });
    const chain = await chainOf(id);
    const expired = refusal(() => checkSignerCertificate(chain, { trustedCaPems: [simulator.caCertPem], personalId: id, at: new Date() }));
    expect(expired.code).toBe('SIGNER_CERT_EXPIRED');
    expect(expired.message).toContain('001*******22');
    // the same certificate was good at a signing time inside its validity
    expect(checkSignerCertificate(chain, { trustedCaPems: [simulator.caCertPem], personalId: id, at: new Date(Date.now() - 100 * DAY) }).commonName).toBe('Phạm Thu');
    const early = refusal(() => checkSignerCertificate(chain, { trustedCaPems: [simulator.caCertPem], personalId: id, at: new Date(Date.now() - 500 * DAY) }));
    expect(early.code).toBe('SIGNER_CERT_NOT_YET_VALID');
  });

  it('refuses a certificate from a CA that is not trusted, and an empty chain', async () => {
    const id = '001085000333';
    simulator.addSigner({ personalId: id, name: 'Đỗ Hà', ca: createTestCa({ commonName: 'Somebody Else CA' }) });
    const chain = await chainOf(id);
    // the chain carries its own root: sending a CA along does not make it trusted
    const untrusted = refusal(() => checkSignerCertificate(chain, { trustedCaPems: [simulator.caCertPem], personalId: id, at: new Date() }));
    expect(untrusted.code).toBe('SIGNER_CERT_UNTRUSTED');
    expect(untrusted.message).toContain('001*******33');
    const empty = refusal(() => checkSignerCertificate([], { trustedCaPems: [simulator.caCertPem], personalId: id, at: new Date() }));
    expect(empty.code).toBe('SIGNER_CERT_UNREADABLE');
  });

  it('refuses a certificate whose key usage does not allow signing', async () => {
    const id = '001085000444';
    simulator.addSigner({ personalId: id, name: 'Vũ Nam', keyUsage: { keyEncipherment: true } });
    const chain = await chainOf(id);
    const e = refusal(() => checkSignerCertificate(chain, { trustedCaPems: [simulator.caCertPem], personalId: id, at: new Date() }));
    expect(e.code).toBe('SIGNER_CERT_KEY_USAGE');
    // nonRepudiation alone is enough (a qualified signing certificate)
    const nr = '001085000555';
    simulator.addSigner({ personalId: nr, name: 'Hồ Xuân', keyUsage: { nonRepudiation: true } });
    expect(checkSignerCertificate(await chainOf(nr), { trustedCaPems: [simulator.caCertPem], personalId: nr, at: new Date() }).commonName).toBe('Hồ Xuân');
  });
});

describe('checkCredential: the service word on the credential, then the certificate', () => {
  it('refuses a disabled key, a certificate the service calls revoked or expired, and accepts a good one', async () => {
    const disabled = simulator.addSigner({ personalId: '001085000901', name: 'Khoá', keyStatus: 'disabled' });
    const revoked = simulator.addSigner({ personalId: '001085000902', name: 'Thu hồi', certStatus: 'revoked' });
    const expired = simulator.addSigner({ personalId: '001085000903', name: 'Hết hạn', certStatus: 'expired' });
    const options = (personalId: string) => ({ trustedCaPems: [simulator.caCertPem], personalId, at: new Date() });
    const code = async (s: { credentialId: string; personalId: string }): Promise<string> => {
      const info = await client.credentialInfo(s.credentialId);
      return refusal(() => checkCredential(info, options(s.personalId))).code;
    };
    expect(await code(disabled)).toBe('SIGNER_KEY_DISABLED');
    expect(await code(revoked)).toBe('SIGNER_CERT_REVOKED');
    expect(await code(expired)).toBe('SIGNER_CERT_EXPIRED');
    const [good] = await client.listCredentials(LAN);
    expect(checkCredential(await client.credentialInfo(good!), options(LAN)).commonName).toBe('Nguyễn Thị Lan');
  });
});

describe('verifySignatureValues on signatures from the signing service', () => {
  it('accepts the signer values over the asked hashes and refuses any swap, change or other key', async () => {
    const digests = ['một', 'hai', 'ba'].map((t) => createHash('sha256').update(t).digest());
    const [credentialId] = await client.listCredentials(LAN);
    const info = await client.credentialInfo(credentialId!);
    const tx = await client.signHash({ credentialId: credentialId!, hashes: digests, description: '3 học bạ', clientRequestId: `verify-${Date.now()}` });
    const decision = await client.waitForDecision(tx.transactionId);
    if (decision.status !== 'APPROVED') throw new Error(`not approved: ${decision.status}`);
    const leaf = info.chainPem[0]!;
    verifySignatureValues(leaf, digests, decision.signatures, LAN);

    const swapped = [decision.signatures[1]!, decision.signatures[0]!, decision.signatures[2]!];
    const bad = refusal(() => verifySignatureValues(leaf, digests, swapped, LAN));
    expect(bad.code).toBe('SIGNATURE_VALUE_INVALID');
    expect(bad.context.position).toBe(0);
    expect(bad.message).toContain('001*******45');

    const flipped = Buffer.from(decision.signatures[2]!);
    flipped[10] = flipped[10]! ^ 1;
    expect(verifyDigestSignature(leaf, digests[2]!, flipped)).toBe(false);
    expect(verifyDigestSignature(leaf, digests[2]!, decision.signatures[2]!.subarray(1))).toBe(false);
    expect(refusal(() => verifySignatureValues(leaf, digests, decision.signatures.slice(0, 2), LAN)).code).toBe('SIGNATURE_COUNT_MISMATCH');

    const otherChain = await chainOf('001085000555');
    expect(verifyDigestSignature(otherChain[0]!, digests[0]!, decision.signatures[0]!)).toBe(false);
  });

  it('uses only codes with their own vi/en catalogue entry (documents/ is outside the catalogue test scan)', () => {
    const files = ['../../documents/xmldsig/signer-certificate.ts', './credential-check.ts', './client.ts', './http-errors.ts', './config.ts', './backoff.ts'];
    const codes = new Set<string>();
    for (const f of files) {
      for (const m of readFileSync(new URL(f, import.meta.url), 'utf8').matchAll(/'((?:RSIGN|SIGNER_CERT|SIGNER_KEY|SIGNATURE|SIGNING_KEY)_[A-Z_]+)'/g)) codes.add(m[1]!);
    }
    expect(codes.size).toBeGreaterThan(25);
    expect([...codes].filter((c) => CODE_EXPLANATIONS[c] === undefined)).toEqual([]);
    expect(new SignerCertificateError('SIGNER_CERT_EXPIRED', 'x')).toBeInstanceOf(LienthongError);
  });
});

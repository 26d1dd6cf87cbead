/**
 * The `seal` option of hocba-sign: the school's seal as a PKCS#12 file elsewhere than school.p12, or on
 * a PKCS#11 token (SoftHSM2 here; skipped with the reason when it is not installed, failing under CI).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectShapeOf } from '../../src/core/plugin.js';
import type { JsonObject } from '../../src/core/records.js';
import type { RecordTransformer, TransformInput, TransformResult } from '../../src/core/transform.js';
import { sampleHocBaRecord } from '../../documents/hocba/sample-record.js';
import { makeSoftHsmToken, softHsmModule, type SoftHsmToken } from '../../documents/pkcs11/testing/softhsm.js';
import { createHocBaTestPki, type HocBaTestPki } from '../../documents/pki/test-pki.js';
import { verifyHocBa } from '../../documents/xmldsig/verify-hocba.js';
import { hocbaSignTransform } from './plugin.js';

const record = sampleHocBaRecord();
const PASSWORD = 'mật-khẩu-test';
const PIN = '2468-1357';
const module = softHsmModule();
// under CI a missing SoftHSM2 fails documents/pkcs11/pkcs11-signer.test.ts; here it only skips
if (!module) console.warn('SoftHSM2 not installed: skipping the PKCS#11 seal transform tests (apt-get install softhsm2)');

let dir: string;
let pki: HocBaTestPki;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lienthong-seal-'));
  pki = createHocBaTestPki(record, { password: PASSWORD });
  // the people's keys, named by personal id as the key folder wants them; no school.p12
  const keys = join(dir, 'keys');
  mkdirSync(keys);
  for (const subject of record.bangdiem) writeFileSync(join(keys, `${subject.soddcngvbm}.p12`), pki.subjectTeachers[subject.mamonhoc]!.p12);
  writeFileSync(join(keys, `${record.soddcngvcn}.p12`), pki.homeroom.p12);
  writeFileSync(join(keys, `${record.soddcngiamhieu}.p12`), pki.principal.p12);
  mkdirSync(join(dir, 'seal'));
  writeFileSync(join(dir, 'seal', 'to-chuc.p12'), pki.school.p12);
  process.env.LT_TEST_SEAL_PIN = PIN;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parse = (options: Record<string, unknown>) => hocbaSignTransform.config.safeParse({ keysDir: 'keys', keyPassword: 'env:P', ...options });

async function create(options: Record<string, unknown>): Promise<RecordTransformer> {
  const parsed = parse(options);
  if (!parsed.success) throw new Error(parsed.error.message);
  await hocbaSignTransform.prepare?.();
  const config = parsed.data as Record<string, unknown>;
  return hocbaSignTransform.create({ ...config, keyPassword: PASSWORD, workers: 0 }, { name: 'job test', baseDir: dir, dataDir: dir, trustedCaPems: () => [pki.ca.certPem] });
}

function input(): TransformInput {
  return { idbanghi: record.idbanghi, phienban: 1, sourceKey: 'src-1', data: record as unknown as JsonObject };
}

async function sealOf(result: TransformResult): Promise<{ signer: string; valid: boolean } | undefined> {
  if (result.ok !== true) throw new Error(JSON.stringify(result));
  const xml = Buffer.from(result.tailieu?.noidung ?? '', 'base64').toString('utf8');
  const verified = await verifyHocBa(xml, { trustedCaPems: [pki.ca.certPem] });
  expect(verified.errors).toEqual([]);
  return verified.signatures.find((s) => s.role === 'donvi');
}

describe('hocba-sign seal option', () => {
  it("the README's option tables are the schema's options (transform, then seal.pkcs11)", () => {
    const readme = readFileSync(join(import.meta.dirname, 'README.md'), 'utf8');
    const firstColumns = (header: string): string[] => {
      const table = readme.split(header)[1]?.split('\n\n')[0] ?? '';
      return table.split('\n').slice(2).flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    };
    expect(firstColumns('| option |').sort()).toEqual(Object.keys(objectShapeOf(hocbaSignTransform.config) ?? {}).sort());
    expect(firstColumns('| key |').sort()).toEqual(['certificateFile', 'keyId', 'keyLabel', 'module', 'pin', 'slotId', 'tokenLabel']);
    const token = { module: 'm.so', tokenLabel: 't', slotId: 1, pin: 'env:P', keyLabel: 'k', keyId: '01', certificateFile: 'c.pem' };
    expect(parse({ seal: { pkcs11: token } }).success).toBe(true); // every documented key is accepted
  });

  it('keeps configurations without seal valid, and accepts either a PKCS#12 file or a PKCS#11 token', () => {
    expect(parse({}).success).toBe(true);
    expect(parse({ seal: { pkcs12: { file: 'seal/to-chuc.p12' } } }).success).toBe(true);
    const token = { module: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'seal', pin: 'env:PIN', keyLabel: 'seal' };
    expect(parse({ seal: { pkcs11: token } }).success).toBe(true);
    expect(parse({ seal: { pkcs11: { ...token, tokenLabel: undefined, slotId: 3, keyLabel: undefined, keyId: 'a1b2', certificateFile: 'seal.pem' } } }).success).toBe(true);
  });

  it('refuses a literal PIN, a token or key it cannot name, both kinds at once, and an unknown option', () => {
    const token = { module: 'm.so', tokenLabel: 'seal', pin: 'env:PIN', keyLabel: 'seal' };
    const issues = (options: Record<string, unknown>): string => {
      const parsed = parse(options);
      expect(parsed.success).toBe(false);
      return parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') ?? '';
    };
    expect(issues({ seal: { pkcs11: { ...token, pin: '123456' } } })).toContain('env:NAME or file:PATH');
    expect(issues({ seal: { pkcs11: { ...token, tokenLabel: undefined } } })).toContain('tokenLabel or slotId');
    expect(issues({ seal: { pkcs11: { ...token, keyLabel: undefined } } })).toContain('keyLabel or keyId');
    issues({ seal: { pkcs11: { ...token, keyId: 'xyz' } } });
    issues({ seal: { pkcs12: { file: 'a.p12' }, pkcs11: token } });
    issues({ seal: { pkcs11: { ...token, password: 'env:X' } } });
  });

  it('seals with the PKCS#12 file of seal.pkcs12.file, and names that file when it is missing', async () => {
    const t = await create({ seal: { pkcs12: { file: 'seal/to-chuc.p12' } } });
    try {
      expect(await sealOf(await t.transform(input()))).toMatchObject({ valid: true, signer: record.tentruong });
    } finally {
      await t.close?.();
    }
    const missing = await create({ seal: { pkcs12: { file: 'seal/none.p12' } } });
    await expect(missing.transform(input())).rejects.toMatchObject({ code: 'SIGNING_KEY_MISSING', message: expect.stringContaining('none.p12') });
    await missing.close?.();
  });

  it('refuses documentsDir with a token-held seal (the PDF seal needs a PKCS#12 file)', async () => {
    await expect(create({ documentsDir: 'docs', seal: { pkcs11: { module: '/x.so', tokenLabel: 't', pin: 'env:LT_TEST_SEAL_PIN', keyLabel: 'k' } } })).rejects.toMatchObject({ code: 'HOCBA_SIGN_PDF_KEY' });
  });

  describe.skipIf(!module)('on a SoftHSM2 token', () => {
    let token: SoftHsmToken;
    beforeAll(async () => {
      token = await makeSoftHsmToken(module as string, 'school-seal', PIN, [{ label: 'seal', id: '5e', keyPem: pki.school.keyPem, certPem: pki.school.certPem }]);
    });
    afterAll(() => token?.cleanup());
    const seal = (more: Record<string, unknown> = {}) => ({ seal: { pkcs11: { module, tokenLabel: 'school-seal', pin: 'env:LT_TEST_SEAL_PIN', keyLabel: 'seal', ...more } } });

    it("signs every party's signature with the key folder and the seal on the token, in this thread", async () => {
      const t = await create(seal());
      try {
        expect((t as unknown as { mode: string }).mode).toBe('in-thread');
        expect(await sealOf(await t.transform(input()))).toMatchObject({ valid: true, signer: record.tentruong });
        // the session stays open between records
        expect(await sealOf(await t.transform(input()))).toMatchObject({ valid: true });
      } finally {
        await t.close?.();
      }
    });

    it('a wrong PIN stops the job with PKCS11_PIN_INCORRECT, without the PIN', async () => {
      process.env.LT_TEST_SEAL_WRONG_PIN = '9999-0000';
      const t = await create(seal({ pin: 'env:LT_TEST_SEAL_WRONG_PIN' }));
      try {
        const error = await t.transform(input()).then(
          (r) => r,
          (e: unknown) => e as Error & { code: string },
        );
        expect(error).toMatchObject({ code: 'PKCS11_PIN_INCORRECT', kind: 'config' });
        expect(JSON.stringify(error) + String((error as Error).message)).not.toContain('9999-0000');
      } finally {
        await t.close?.();
      }
    });
  });
});

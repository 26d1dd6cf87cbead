import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStateStore } from '../../stores/sqlite/sqlite-store.js';
import { createTestCa } from '../../documents/pki/test-pki.js';
import { hocbaSignTransform } from './plugin.js';
import { RemoteSigningTransformer } from './remote.js';
import { HocBaSigningTransformer } from './transformer.js';

const dir = mkdtempSync(join(tmpdir(), 'lt-remote-plugin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ca = createTestCa();
const service = { baseUrl: 'https://signing.example.vn', clientId: 'school', clientSecret: 'env:LT_SIGNING_SECRET' };
const parse = (options: Record<string, unknown>) => hocbaSignTransform.config.safeParse({ keysDir: 'keys', keyPassword: 'env:P', ...options });

describe('hocba-sign plugin: transform.signing', () => {
  it('is opt-in: without it (or with mode pkcs12) the PKCS#12 test/demo signer is made as before', async () => {
    await hocbaSignTransform.prepare?.();
    for (const options of [{}, { signing: { mode: 'pkcs12' } }]) {
      const parsed = parse(options);
      expect(parsed.success).toBe(true);
      const t = hocbaSignTransform.create({ ...(parsed.data as Record<string, unknown>), keyPassword: 'x', workers: 0 }, { name: 'job t', baseDir: dir, dataDir: dir, trustedCaPems: () => [ca.certPem] });
      expect(t).toBeInstanceOf(HocBaSigningTransformer);
      await t.close();
    }
  });

  it('mode remote: the service options are checked, its secret is a reference, review defaults to off', () => {
    const ok = parse({ signing: { mode: 'remote', service } });
    expect(ok.success && (ok.data as { signing?: unknown }).signing).toMatchObject({ mode: 'remote', review: false, collectWaitMs: 2000, service: { timeoutMs: 30000 } });
    expect(parse({ signing: { mode: 'remote', service: { ...service, clientSecret: 'plain-text' } } }).success).toBe(false);
    expect(parse({ signing: { mode: 'remote', service, extra: 1 } }).success).toBe(false);
    expect(parse({ signing: { mode: 'remote' } }).success).toBe(false);
  });

  it('mode remote makes the remote transformer with the job and its store; without a store it is a configuration error', async () => {
    await hocbaSignTransform.prepare?.();
    process.env['LT_SIGNING_SECRET'] = 's3cret';
    const parsed = parse({ signing: { mode: 'remote', service, review: true } });
    if (!parsed.success) throw new Error(parsed.error.message);
    const config = { ...(parsed.data as Record<string, unknown>), keyPassword: 'x' };
    const context = { name: 'job hocba', baseDir: dir, dataDir: dir, trustedCaPems: () => [ca.certPem], job: 'hocba' };
    expect(() => hocbaSignTransform.create(config, context)).toThrow(expect.objectContaining({ code: 'HOCBA_SIGN_REMOTE_NO_STORE' }));
    const store = new SqliteStateStore(join(dir, 'state.db'));
    try {
      const t = hocbaSignTransform.create(config, { ...context, store });
      expect(t).toBeInstanceOf(RemoteSigningTransformer);
      expect((t as RemoteSigningTransformer).signingEnv()).toMatchObject({ review: true, maxWaitMs: 2000 });
      await t.close();
      // with documentsDir too (the PDF rendition of the sealed document; remote.simulator.test.ts makes one)
      const withDocuments = hocbaSignTransform.create({ ...config, documentsDir: 'docs' }, { ...context, store });
      expect(withDocuments).toBeInstanceOf(RemoteSigningTransformer);
      await withDocuments.close();
    } finally {
      await store.close();
    }
  });
});

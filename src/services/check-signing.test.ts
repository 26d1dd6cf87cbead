import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSigningFixture, SIGNING_JOB, type SigningFixture } from '../server/routes/testing/signing-fixture.js';
import { checkConnections } from './check.js';
import { signingServiceName } from './check-signing.js';

// `lienthong check` probes the remote signing service of a job that signs with it: the real client
// against the signing simulator over HTTP (credentials, then a stopped service)
let fx: SigningFixture;
beforeAll(async () => {
  fx = await openSigningFixture(2);
}, 120_000);
afterAll(() => fx.close());

const serviceFinding = async (): Promise<Record<string, unknown> | undefined> => {
  const report = await checkConnections(fx.env.loaded);
  return { outcome: report.outcome, ...report.findings.find((f) => f.connection === signingServiceName(SIGNING_JOB)) };
};

describe('check: the remote signing service', () => {
  it('answers with the client credentials accepted', async () => {
    expect(await serviceFinding()).toEqual({
      outcome: 'ok',
      connection: `job ${SIGNING_JOB}: signing service`,
      type: 'connection',
      ok: true,
      message: `the signing service at ${new URL(fx.signing.url).origin} answers and accepts the client credentials (credentials/list)`,
    });
    // a check of named connections does not probe it
    const named = await checkConnections(fx.env.loaded, ['school']);
    expect(named.findings.map((f) => f.connection)).toEqual(['school', 'school']);
  });

  it('a refused client secret is a configuration problem naming what to check', async () => {
    const secretFile = join(fx.dir, 'secrets', 'signing-secret');
    writeFileSync(secretFile, 'not-the-secret\n');
    try {
      const found = await serviceFinding();
      expect(found).toMatchObject({ outcome: 'config', ok: false, errorKind: 'config' });
      expect(found?.['message']).toMatch(/refused the client credentials .*check clientId and clientSecret/);
    } finally {
      writeFileSync(secretFile, 'sign-secret\n');
    }
  });

  it('a service that does not answer is down, with what it means for the records', async () => {
    await fx.signing.stop();
    const found = await serviceFinding();
    expect(found).toMatchObject({ outcome: 'down', ok: false, errorKind: 'transient' });
    expect(found?.['message']).toMatch(/no answer from the signing service \(ECONNREFUSED\).*records to sign will wait until it answers/);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runDemo } from '../../src/cli/demo.js';
import { DEMO_VNEID_USER } from '../../src/cli/demo-vneid.js';
import { startVneidSimulator } from '../../connectors/vneid-credential/simulator/index.js';
import type { ReconciliationReport } from '../../src/reconcile/types.js';

/**
 * `lienthong demo --vneid-url URL`: the credentials of the diplomas and school records the hub
 * accepted go to that service (here a simulator of the test's own, not the demo's), DIPLOMA and
 * SCHOOL_RECORD, and the reconciliation's VNeID column shows them published.
 */
describe('lienthong demo --vneid-url', () => {
  it('publishes the accepted diplomas and school records to the given service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-demo-vneid-'));
    mkdirSync(join(dir, 'secrets'), { recursive: true });
    writeFileSync(join(dir, 'secrets', 'vneid-password'), 'their-password-7\n');
    const service = await startVneidSimulator({ host: '127.0.0.1', port: 0, username: DEMO_VNEID_USER, password: 'their-password-7' });
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    let code: number;
    try {
      code = await runDemo({ records: 80, pupils: 8, seed: 4, dataDir: dir, lang: 'en', vneidUrl: service.url });
    } finally {
      spy.mockRestore();
    }
    try {
      const out = lines.join('');
      expect(code, out).toBe(0);
      expect(out).toContain(`VNeID service: ${service.url}`);
      const types = new Map<string, number>();
      for (const c of service.state().credentials) types.set(c.credentialType, (types.get(c.credentialType) ?? 0) + 1);
      const report = (job: string): ReconciliationReport => JSON.parse(readFileSync(join(dir, 'reports', job, 'latest', 'reconciliation.json'), 'utf8')) as ReconciliationReport;
      const diplomas = report('diplomas').credentials;
      const hocba = report('hocba-thcsthpt').credentials;
      expect(diplomas?.counts.published).toBe(types.get('DIPLOMA'));
      expect(hocba?.counts.published).toBe(types.get('SCHOOL_RECORD'));
      expect(types.get('DIPLOMA')).toBeGreaterThan(50);
      expect(types.get('SCHOOL_RECORD')).toBeGreaterThan(4);
      for (const c of [diplomas, hocba]) expect((c?.counts.missing ?? 1) + (c?.counts.hashDiffers ?? 1) + (c?.counts.wrongState ?? 1)).toBe(0);
      // a citizen who opens the credential in VNeID is led to the console's verification page of the record
      for (const c of service.state().credentials) expect(c.verifyUrl).toBe(`http://127.0.0.1:8080/verify/record/${c.credentialKey}`);
    } finally {
      await service.stop();
    }
  }, 240_000);
});

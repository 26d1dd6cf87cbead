import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { leftOverAtHub, worstExitCode } from './demo.js';
import { approvalLines, DEMO_SIGNING_CLIENT_ID, writeDemoJobs } from './demo-signing.js';
import { jobSchema } from '../config/schema.js';
import type { SigningRequest } from '../store/signing-store.js';

describe('the demo passes only when the hub holds every valid record', () => {
  it('names what the reconciliation found missing, dead or pending', () => {
    expect(leftOverAtHub({ missingAtHub: 0, dead: 0, pending: 0 })).toEqual([]);
    expect(leftOverAtHub({ missingAtHub: 600, dead: 0, pending: 600 })).toEqual(['600 missing at the hub', '600 still pending']);
    expect(leftOverAtHub({ missingAtHub: 0, dead: 3, pending: 0 })).toEqual(['3 dead']);
  });

  it('exits with the worst of its jobs: configuration over failure over records left over', () => {
    expect(worstExitCode([0, 0])).toBe(0);
    expect(worstExitCode([0, 3])).toBe(3);
    expect(worstExitCode([3, 1])).toBe(1);
    expect(worstExitCode([1, 2, 3])).toBe(2);
  });
});

describe('the demo signs school records through remote signing', () => {
  const request = (over: Partial<SigningRequest>): SigningRequest => ({
    id: 'r1', job: 'hocba-thcsthpt', classKey: '0100004201/6A1/2025-2026', role: 'homeroom', signerId: '001203009022', state: 'completed',
    transactionId: 't1', expiresAt: null, reason: null, description: '', items: 10, createdAt: '2026-12-01T04:10:30.000Z', decidedAt: '2026-12-01T04:10:31.250Z', decidedBy: null, ...over,
  });

  it('prints each approval of this demo run: class, role, masked signer, how long it was waited for', () => {
    const since = Date.parse('2026-12-01T04:10:29.400Z');
    const lines = approvalLines([
      request({}),
      request({ id: 'old', createdAt: '2026-11-30T04:10:30.000Z', decidedAt: '2026-11-30T04:10:31.000Z' }),
      request({ id: 'open', state: 'requested', decidedAt: null }),
      request({ id: 'no', state: 'rejected', reason: 'sai điểm' }),
    ], since);
    expect(lines).toEqual(['  0100004201/6A1/2025-2026 homeroom ********9022: approved, waited 1250 ms (10 record(s))']);
    // a request made in the second the demo started (times in whole seconds) is still this run's
    expect(approvalLines([request({ createdAt: '2026-12-01T04:10:29Z' })], since)).toHaveLength(1);
  });

  it("writes a school-record job whose people sign on the demo's signing service and that holds only the seal", () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-demo-jobs-'));
    writeDemoJobs(dir, { url: 'http://127.0.0.1:40001', caPemPath: join(dir, 'pki', 'signing-ca.crt'), external: false, stop: () => Promise.resolve() });
    const job = jobSchema.parse(YAML.parse(readFileSync(join(dir, 'jobs', 'hocba-thcsthpt.yaml'), 'utf8')));
    expect(job.transform).toMatchObject({ kind: 'hocba-sign', keysDir: 'pki/keys', signing: { mode: 'remote', service: { baseUrl: 'http://127.0.0.1:40001', clientId: DEMO_SIGNING_CLIENT_ID } } });
    expect(job.transform).not.toHaveProperty('documentsDir');
    expect(jobSchema.parse(YAML.parse(readFileSync(join(dir, 'jobs', 'diplomas.yaml'), 'utf8'))).name).toBe('diplomas');
  });
});

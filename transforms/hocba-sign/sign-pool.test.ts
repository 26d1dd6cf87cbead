import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BugError } from '../../src/core/errors.js';
import { SignPool, type SignJob } from './sign-pool.js';

// Stand-in workers in plain JavaScript: the pool's queueing and failure handling, without signing.
let dir: string;
let echoWorker: string;
let crashingWorker: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lienthong-sign-pool-'));
  echoWorker = join(dir, 'echo.mjs');
  // answers after a short wait with the record id and its thread id, so the test sees the spread
  writeFileSync(
    echoWorker,
    `import { parentPort, threadId } from 'node:worker_threads';
     parentPort.on('message', (m) => setTimeout(() => parentPort.postMessage({ id: m.id, result: { ok: true, xml: m.job.data.idbanghi + '@' + threadId } }), 20));`,
  );
  crashingWorker = join(dir, 'crash.mjs');
  writeFileSync(crashingWorker, `import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(3));`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function job(idbanghi: string): SignJob {
  return { data: { idbanghi }, keyFiles: { subjectTeachers: {}, homeroom: '', principal: '', school: '' }, password: 'x', trustedCaPems: [], signingTime: new Date().toISOString(), pdf: false };
}

describe('SignPool', () => {
  it('spreads records over its workers and answers each with its own result', async () => {
    const pool = new SignPool({ size: 2, recordsPerWorker: 2 }, echoWorker);
    try {
      const results = await Promise.all(Array.from({ length: 9 }, (_, i) => pool.run(job(`HB-${i}`))));
      const xmls = results.map((r) => (r.ok ? r.xml : ''));
      expect(xmls.map((x) => x.split('@')[0])).toEqual(Array.from({ length: 9 }, (_, i) => `HB-${i}`));
      expect(new Set(xmls.map((x) => x.split('@')[1])).size).toBe(2);
    } finally {
      await pool.close();
    }
    await expect(pool.run(job('late'))).rejects.toMatchObject({ code: 'SIGN_POOL_CLOSED' });
  });

  it('a worker that dies fails its records with a BugError, and a fresh worker serves the next ones', async () => {
    const pool = new SignPool({ size: 1 }, crashingWorker);
    try {
      const err = await pool.run(job('HB-1')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BugError);
      expect(err).toMatchObject({ code: 'SIGNING_WORKER_FAILED' });
      await expect(pool.run(job('HB-2'))).rejects.toMatchObject({ code: 'SIGNING_WORKER_FAILED' });
    } finally {
      await pool.close();
    }
  });

  it('refuses a pool without workers', () => {
    expect(() => new SignPool({ size: 0 }, echoWorker)).toThrow(RangeError);
  });
});

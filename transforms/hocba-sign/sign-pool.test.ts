import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BugError, ConfigError } from '../../src/core/errors.js';
import { SignPool, type SignJob } from './sign-pool.js';

// Stand-in workers in plain JavaScript: the pool's queueing and failure handling, without signing.
let dir: string;
let echoWorker: string;
let crashingWorker: string;
let refusingWorker: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lienthong-sign-pool-'));
  echoWorker = join(dir, 'echo.mjs');
  // answers after a short wait with the record id and its thread id, so the test sees the spread
  writeFileSync(
    echoWorker,
    `import { parentPort, threadId } from 'node:worker_threads';
     parentPort.on('message', (m) => setTimeout(() => parentPort.postMessage({ id: m.id, ok: true, value: { ok: true, xml: m.payload.data.idbanghi + '@' + threadId } }), 20));`,
  );
  refusingWorker = join(dir, 'refuse.mjs');
  // answers as sign-worker.ts does when a key does not open: the ConfigError as a wire error
  writeFileSync(
    refusingWorker,
    `import { parentPort } from 'node:worker_threads';
     parentPort.on('message', (m) => parentPort.postMessage({ id: m.id, ok: false, error: { code: 'SIGNING_KEY_PASSWORD', kind: 'config', message: 'the key does not open', context: { path: '/keys' } } }));`,
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

  it("rejects with the worker's ConfigError, its code and context kept and the record named", async () => {
    const pool = new SignPool({ size: 1 }, refusingWorker);
    try {
      const err = await pool.run(job('HB-KEY')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect(err).toMatchObject({ code: 'SIGNING_KEY_PASSWORD', kind: 'config', context: { path: '/keys', record: 'HB-KEY' } });
      // the worker is still there: the next record is answered by it, not by a fresh one
      await expect(pool.run(job('HB-KEY-2'))).rejects.toMatchObject({ code: 'SIGNING_KEY_PASSWORD', context: { record: 'HB-KEY-2' } });
    } finally {
      await pool.close();
    }
  });

  it('refuses a pool without workers', () => {
    expect(() => new SignPool({ size: 0 }, echoWorker)).toThrow(RangeError);
  });
});

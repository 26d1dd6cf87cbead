import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BugError, ConfigError, TransientError } from './errors.js';
import { compiledModule } from './package-root.js';
import { WorkerClient } from './worker-rpc.js';

// The thread's side runs the compiled helper (a Worker cannot load TypeScript): after a build only.
const built = compiledModule(import.meta.url, './worker-rpc.js', 'src/core/worker-rpc.js');
const errorsBuilt = compiledModule(import.meta.url, './errors.js', 'src/core/errors.js');

let dir: string;
let serverFile: string;

beforeAll(() => {
  if (!built || !errorsBuilt) return;
  dir = mkdtempSync(join(tmpdir(), 'lienthong-worker-rpc-'));
  serverFile = join(dir, 'server.mjs');
  // `wait` answers late, so an ordered server is seen holding the next call back
  writeFileSync(
    serverFile,
    `import { parentPort, workerData } from 'node:worker_threads';
     import { serveRequests } from ${JSON.stringify(pathToFileURL(built).href)};
     import { TransientError } from ${JSON.stringify(pathToFileURL(errorsBuilt).href)};
     serveRequests(parentPort, async (p) => {
       if (p.op === 'wait') { await new Promise((r) => setTimeout(r, 40)); return 'waited'; }
       if (p.op === 'busy') throw new TransientError('HUB_BUSY', 'try later', { dataset: 'x' }, { retryAfterMs: 1500 });
       if (p.op === 'plain') throw new Error('something broke');
       if (p.op === 'function') return () => 1;
       if (p.op === 'exit') process.exit(7);
       return p.op;
     }, { ordered: workerData.ordered, otherError: (e) => ({ code: 'OTHER', kind: 'bug', message: String(e.message), context: {} }) });`,
  );
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function client(ordered: boolean): WorkerClient<{ op: string }> {
  return new WorkerClient(new Worker(serverFile, { workerData: { ordered } }), {
    failure: (how) => new BugError('TEST_WORKER_GONE', 'error' in how ? how.error.message : `exit ${how.exitCode}`),
    errorContext: (p) => ({ call: p.op }),
  });
}

describe.skipIf(!built || !errorsBuilt)('WorkerClient and serveRequests', () => {
  it('answers in call order when ordered, as each call ends otherwise', async () => {
    for (const ordered of [true, false]) {
      const c = client(ordered);
      const seen: string[] = [];
      await Promise.all([c.request({ op: 'wait' }), c.request({ op: 'quick' })].map((p) => p.then((v) => seen.push(String(v)))));
      expect(seen).toEqual(ordered ? ['waited', 'quick'] : ['quick', 'waited']);
      expect(c.waiting).toBe(0);
      await c.terminate();
    }
  });

  it('brings an error back as its own class with code, kind, context and retry delay', async () => {
    const c = client(true);
    const err = await c.request({ op: 'busy' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'HUB_BUSY', kind: 'transient', retryAfterMs: 1500, context: { dataset: 'x', call: 'busy' } });
    await expect(c.request({ op: 'plain' })).rejects.toMatchObject({ code: 'OTHER', kind: 'bug', message: 'something broke' });
    // a value the structured clone cannot copy fails that call only
    await expect(c.request({ op: 'function' })).rejects.toMatchObject({ kind: 'bug' });
    await expect(c.request({ op: 'after' })).resolves.toBe('after');
    await c.terminate();
  });

  it('fails the waiting call and every later one when the thread ends', async () => {
    const c = client(false);
    const waiting = c.request({ op: 'wait' });
    const err = await c.request({ op: 'exit' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TEST_WORKER_GONE', message: 'exit 7' });
    await expect(waiting).rejects.toBe(err);
    await expect(c.request({ op: 'late' })).rejects.toBe(err);
    expect(c.failure).toBe(err);
    expect(err).not.toBeInstanceOf(ConfigError);
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import { SigningSimulator } from '../../connectors/remote-signing/simulator/index.js';
import { openContext, type CliContext } from '../../src/cli/context.js';
import { getJob } from '../../src/config/load.js';
import { packageRoot } from '../../src/core/package-root.js';
import { runConfiguredJob } from '../../src/engine/jobs.js';
import { Scheduler } from '../../src/engine/scheduler.js';
import { generateSchoolDatabase } from '../../src/sample/school.js';
import { signingBetweenRuns } from '../../src/server/listen.js';
import { collectAndDispatch, remoteSigningJobs, retryJobSigning } from '../../src/services/signing.js';
import { ensureDemoPki, loadOrCreateCa } from '../../documents/pki/demo-pki.js';

/**
 * `lienthong start` between a remote-signing job's runs: every minute the scheduler collects the
 * signers' decisions and sends the prepared requests (here ticked by hand), under the job's lock,
 * against the remote signing simulator (signers approve by hand, requests expire quickly).
 */
describe('the scheduler collects and dispatches for remote signing jobs between their runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lt-sign-tick-'));
  const signing = new SigningSimulator();
  const hub = new HubSimulator();
  let ctx: CliContext;

  beforeAll(async () => {
    for (const d of ['config', 'jobs', 'secrets']) mkdirSync(join(dir, d));
    const manifest = await generateSchoolDatabase({ driver: 'sqlite', path: join(dir, 'school.db') }, { pupils: 3, seed: 7, dirtyRate: 0 });
    const db = new Database(join(dir, 'school.db'), { readonly: true });
    const school = db.prepare('SELECT ten_truong AS name, ten_hieu_truong AS principal, cccd_hieu_truong AS principalId FROM dm_truong').get() as { name: string; principal: string; principalId: string };
    const teachers = db.prepare('SELECT DISTINCT so_cccd AS personalId, ho_ten AS name FROM dm_giao_vien WHERE so_cccd IS NOT NULL AND length(so_cccd) = 12').all() as { personalId: string; name: string }[];
    db.close();
    ensureDemoPki(join(dir, 'pki'), { people: [], schoolName: school.name, password: 'seal-pass' });
    writeFileSync(join(dir, 'secrets', 'seal-password'), 'seal-pass\n');
    writeFileSync(join(dir, 'secrets', 'signing-secret'), 'sign-secret\n');
    writeFileSync(join(dir, 'secrets', 'hub-secret'), 'hub-secret\n');
    // signers decide by hand; an unanswered request expires after 1.5 s
    await signing.start({ clients: [{ clientId: 'school', clientSecret: 'sign-secret' }], policy: { mode: 'manual' }, transactionTtlMs: 1500, ca: loadOrCreateCa(join(dir, 'pki', 'ca.crt'), join(dir, 'pki', 'ca.key')) });
    for (const t of teachers) signing.addSigner({ personalId: t.personalId, name: t.name });
    signing.addSigner({ personalId: school.principalId, name: school.principal });
    const { url: hubUrl } = await hub.start({ port: 0, host: '127.0.0.1', clients: [{ clientId: 'school', clientSecret: 'hub-secret', unitCodes: [manifest.schoolCode] }], trustedCaPems: [readFileSync(join(dir, 'pki', 'ca.crt'), 'utf8')], rateLimit: false });
    const job = YAML.parse(readFileSync(join(packageRoot(), 'jobs', 'hocba-thcsthpt.yaml'), 'utf8')) as Record<string, unknown>;
    job['name'] = 'hocba';
    job['transform'] = {
      kind: 'hocba-sign',
      keysDir: 'pki/keys',
      keyPassword: 'file:../secrets/seal-password',
      signing: { mode: 'remote', service: { baseUrl: signing.url, clientId: 'school', clientSecret: 'file:../secrets/signing-secret', pollInitialDelayMs: 20, pollMaxDelayMs: 100 }, collectWaitMs: 50 },
    };
    writeFileSync(join(dir, 'jobs', 'hocba.yaml'), YAML.stringify(job));
    writeFileSync(join(dir, 'config', 'lienthong.yaml'), YAML.stringify({
      version: 1, dataDir: '..', jobsDir: '../jobs', trust: { caFiles: ['../pki/ca.crt'] }, log: { level: 'warn' },
      connections: {
        school: { type: 'sql', driver: 'sqlite', url: '../school.db' },
        'hub-school': { type: 'ministry-hub', baseUrl: hubUrl, unitCode: manifest.schoolCode, clientId: 'school', clientSecret: 'file:../secrets/hub-secret' },
      },
    }));
    ctx = openContext(join(dir, 'config', 'lienthong.yaml'));
  }, 120_000);

  afterAll(async () => {
    await ctx.close();
    await hub.stop();
    await signing.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('collects expiries and approvals, sends what retry released, never while the job is locked', async () => {
    expect(remoteSigningJobs(ctx)).toEqual(['hocba']);
    const scheduler = new Scheduler([], () => Promise.reject(new Error('no run here')), ctx.store, ctx.logger, signingBetweenRuns(ctx, 60_000));
    const first = await runConfiguredJob(ctx, getJob(ctx.loaded, 'hocba'));
    expect(first.counts.awaitingSignature).toBe(3);
    const sent = await ctx.store.signingRequests('hocba');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.state === 'requested')).toBe(true);

    // nobody answers: the tick finds the requests expired
    await new Promise((r) => setTimeout(r, 1700));
    await scheduler.tickBetweenRuns();
    expect((await ctx.store.signingRequests('hocba')).every((r) => r.state === 'expired')).toBe(true);

    // staff ask again: the tick sends the released signatures (the run would otherwise wait for the night)
    expect((await retryJobSigning(ctx, 'hocba')).items).toBeGreaterThan(0);
    await scheduler.tickBetweenRuns();
    const again = (await ctx.store.signingRequests('hocba', { state: ['requested'] }));
    expect(again).toHaveLength(sent.length);

    // while a run holds the job's lock the tick does nothing
    expect(await ctx.store.acquireLock('hocba', 'a-run', 60_000)).toBe(true);
    for (const r of again) signing.approve(r.transactionId ?? '');
    expect(await collectAndDispatch(ctx, 'hocba')).toBeNull();
    await ctx.store.releaseLock('hocba', 'a-run');

    // the signers approved: the tick writes their values in, the next run goes on to the homeroom teacher
    await scheduler.tickBetweenRuns();
    expect((await ctx.store.signingRequests('hocba', { state: ['requested'] }))).toHaveLength(0);
    expect((await ctx.store.signingRequests('hocba', { state: ['completed'] }))).toHaveLength(sent.length);
    const second = await runConfiguredJob(ctx, getJob(ctx.loaded, 'hocba'));
    expect(second.awaited?.every((a) => a.startsWith('homeroom'))).toBe(true);
    await scheduler.stop();
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContext, type CliContext } from '../../src/cli/context.js';
import { getJob } from '../../src/config/load.js';
import { runConfiguredJob } from '../../src/engine/jobs.js';
import { Scheduler } from '../../src/engine/scheduler.js';
import { signingBetweenRuns } from '../../src/server/listen.js';
import { collectAndDispatch, remoteSigningJobs, retryJobSigning } from '../../src/services/signing.js';
import { openRemoteSigningWorkspace, type RemoteSigningWorkspace } from '../../transforms/hocba-sign/testing/remote-signing-workspace.js';

/**
 * `lienthong start` between a remote-signing job's runs: every minute the scheduler collects the
 * signers' decisions and sends the prepared requests (here ticked by hand), under the job's lock,
 * against the remote signing simulator (signers approve by hand, requests expire quickly).
 */
describe('the scheduler collects and dispatches for remote signing jobs between their runs', () => {
  let ws: RemoteSigningWorkspace;
  let signing: RemoteSigningWorkspace['signing'];
  let ctx: CliContext;

  beforeAll(async () => {
    // signers decide by hand; an unanswered request expires after 1.5 s
    ws = await openRemoteSigningWorkspace({ prefix: 'lt-sign-tick-', pupils: 3, seed: 7, policy: { mode: 'manual' }, transactionTtlMs: 1500, collectWaitMs: 50, log: { level: 'warn' } });
    signing = ws.signing;
    ctx = openContext(ws.configPath);
  }, 120_000);

  afterAll(async () => {
    await ctx.close();
    await ws.close();
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

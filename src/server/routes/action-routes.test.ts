import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scheduler } from '../../engine/scheduler.js';
import { consoleJobRunner } from '../listen.js';
import { RunProgressHub } from '../progress.js';
import { JOB, PASSWORD, json, openConsole, settle, stageRecords, type ConsoleFixture } from './testing/console-fixture.js';

let c: ConsoleFixture;
let scheduler: Scheduler;

beforeAll(async () => {
  // the scheduler's runs publish to the hub the console streams from: made first, handed to both
  const progress = new RunProgressHub();
  c = await openConsole({ progress, heartbeatMs: 50, scheduler: (env) => (scheduler = new Scheduler([...env.loaded.jobs.values()], consoleJobRunner(env, progress), env.store, env.logger)) });
  await stageRecords(c.ws, ['d1', 'd2', 'd3', 'd4'].map((id) => ({ idbanghi: `dead-${id}`, sourceKey: `K-${id}` })));
  await settle(c.ws, [
    { idbanghi: 'dead-d1', phienban: 1, status: 'dead', code: 'TOO_LARGE', message: 'too large' },
    { idbanghi: 'dead-d2', phienban: 1, status: 'dead', code: 'TOO_LARGE', message: 'too large' },
    { idbanghi: 'dead-d3', phienban: 1, status: 'dead', code: 'REFUSED', message: 'refused' },
    { idbanghi: 'dead-d4', phienban: 1, status: 'dead', code: 'REFUSED', message: 'refused' },
  ]);
}, 60_000);
afterAll(async () => {
  await scheduler.stop();
  await c.close();
});

const deadIds = async (): Promise<string[]> =>
  json<{ deadLetters: { idbanghi: string }[] }>(await c.as('viewer', { method: 'GET', url: `/api/v1/jobs/${JOB}/deadletters` })).deadLetters.map((d) => d.idbanghi);

describe('dead letters', () => {
  it('come in pages, by the status index', async () => {
    const first = json<{ deadLetters: { idbanghi: string }[]; next: string | null }>(await c.as('viewer', { method: 'GET', url: `/api/v1/jobs/${JOB}/deadletters?limit=3` }));
    expect(first.deadLetters.map((d) => d.idbanghi)).toEqual(['dead-d1', 'dead-d2', 'dead-d3']);
    expect(first.next).not.toBeNull();
    const second = json<{ deadLetters: { idbanghi: string }[]; next: string | null }>(
      await c.as('viewer', { method: 'GET', url: `/api/v1/jobs/${JOB}/deadletters?limit=3&after=${encodeURIComponent(first.next ?? '')}` }),
    );
    expect(second).toEqual({ deadLetters: [expect.objectContaining({ idbanghi: 'dead-d4', status: 'dead', error: { code: 'REFUSED', message: 'refused' } })], next: null });
  });
});

describe('requeueing dead letters', () => {
  it('a viewer may not; an operator requeues one, then those with a code, then all; each audited', async () => {
    const denied = await c.as('viewer', { method: 'POST', url: `/api/v1/jobs/${JOB}/deadletters/requeue`, payload: { all: true } });
    expect(denied.statusCode).toBe(403);
    expect(json(denied)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await c.as('operator', { method: 'POST', url: `/api/v1/jobs/${JOB}/deadletters/requeue`, payload: { all: true, code: 'X' } })).statusCode).toBe(400);
    expect((await c.as('operator', { method: 'POST', url: `/api/v1/jobs/${JOB}/deadletters/requeue`, payload: { all: false } })).statusCode).toBe(400);

    const one = await c.as('operator', { method: 'POST', url: `/api/v1/jobs/${JOB}/deadletters/requeue`, payload: { idbanghi: ['dead-d1'] } });
    expect(json(one)).toEqual({ job: JOB, requeued: 1, notRequeued: [] });
    expect(await deadIds()).toEqual(['dead-d2', 'dead-d3', 'dead-d4']);
    expect(json(await c.as('operator', { method: 'POST', url: `/api/v1/jobs/${JOB}/deadletters/requeue`, payload: { code: 'REFUSED' } }))).toMatchObject({ requeued: 2 });
    expect(await deadIds()).toEqual(['dead-d2']);
    expect(json(await c.as('admin', { method: 'POST', url: `/api/v1/jobs/${JOB}/deadletters/requeue`, payload: { all: true } }))).toMatchObject({ requeued: 1 });
    expect(await deadIds()).toEqual([]);

    const audit = json<{ entries: { actor: string; detail: Record<string, unknown> }[] }>(await c.as('admin', { method: 'GET', url: '/api/v1/audit?action=deadletters.requeue' })).entries;
    expect(audit.map((e) => [e.actor, e.detail])).toEqual([
      ['admin', { all: true, requeued: 1, notRequeued: 0 }],
      ['operator', { code: 'REFUSED', requeued: 2, notRequeued: 0 }],
      ['operator', { idbanghi: ['dead-d1'], selected: 1, requeued: 1, notRequeued: 0 }],
    ]);
  });
});

describe('pausing a schedule', () => {
  it('an operator pauses and resumes (audited); the job list says so; a viewer may not', async () => {
    expect((await c.as('viewer', { method: 'POST', url: `/api/v1/jobs/${JOB}/pause` })).statusCode).toBe(403);
    expect(json(await c.as('operator', { method: 'POST', url: `/api/v1/jobs/${JOB}/pause` }))).toEqual({ job: JOB, paused: true });
    expect(json<{ jobs: unknown[] }>(await c.as('viewer', { method: 'GET', url: '/api/v1/jobs' })).jobs[0]).toMatchObject({ paused: true, pausedBy: 'operator' });
    expect(json(await c.as('operator', { method: 'POST', url: `/api/v1/jobs/${JOB}/resume` }))).toEqual({ job: JOB, paused: false });
    expect(json<{ jobs: unknown[] }>(await c.as('viewer', { method: 'GET', url: '/api/v1/jobs' })).jobs[0]).toMatchObject({ paused: false, pausedBy: null });
    const actions = json<{ entries: { action: string }[] }>(await c.as('admin', { method: 'GET', url: '/api/v1/audit?actor=operator' })).entries.map((e) => e.action);
    expect(actions.slice(0, 2)).toEqual(['job.resume', 'job.pause']);
    expect((await c.as('operator', { method: 'POST', url: '/api/v1/jobs/nope/pause' })).statusCode).toBe(404);
  });
});

/** opens the progress stream on a listening server; resolves with the response once its headers came */
function openStream(url: string, token: string): Promise<{ res: IncomingMessage; text: () => string; close: () => void }> {
  return new Promise((resolve, reject) => {
    let body = '';
    const req = httpRequest(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      resolve({ res, text: () => body, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('run now and its live progress', () => {
  it('202 with the run id, 409 while it runs (both audited); the stream shows its progress and end, heartbeats, and lets go of its listener when the client leaves', async () => {
    await c.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(c.app.server.address() as AddressInfo).port}`;
    const stream = await openStream(`${base}/api/v1/progress?job=${JOB}`, c.tokens.viewer);
    expect(stream.res.statusCode).toBe(200);
    expect(stream.res.headers['content-type']).toMatch(/^text\/event-stream/);
    await until(() => c.progress.listenerCount() === 1);

    expect((await c.as('viewer', { method: 'POST', url: `/api/v1/jobs/${JOB}/runs` })).statusCode).toBe(403);
    const first = await c.as('operator', { method: 'POST', url: `/api/v1/jobs/${JOB}/runs` });
    expect(first.statusCode).toBe(202);
    const { runId } = json<{ runId: string }>(first);
    const second = await c.as('operator', { method: 'POST', url: `/api/v1/jobs/${JOB}/runs` });
    expect(second.statusCode).toBe(409);
    expect(json(second)).toMatchObject({ error: { code: 'JOB_RUNNING' } });

    await until(() => stream.text().includes('event: end'));
    expect(stream.text()).toContain(`"runId":"${runId}"`);
    expect(stream.text()).toMatch(/event: progress\ndata: \{.*"job":"diplomas"/);
    await until(() => stream.text().includes(': heartbeat'));
    stream.close();
    await until(() => c.progress.listenerCount() === 0);

    const audit = json<{ entries: { outcome: string; detail: Record<string, unknown> }[] }>(await c.as('admin', { method: 'GET', url: '/api/v1/audit?action=job.run' })).entries;
    expect(audit.map((e) => e.outcome)).toEqual(['failed', 'ok']);
    expect(audit[1]?.detail).toEqual({ runId });
    const detail = json(await c.as('viewer', { method: 'GET', url: `/api/v1/runs/${runId}` }));
    expect(detail).toMatchObject({ run: { id: runId, outcome: expect.stringMatching(/succeeded|partial/) } });
  }, 60_000);

  it('a session must send its CSRF token to run a job', async () => {
    const login = await c.app.inject({ method: 'POST', url: '/api/v1/login', payload: { username: 'operator', password: PASSWORD } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((k) => k.name === 'lt_session');
    const { csrfToken } = json<{ csrfToken: string }>(login);
    const without = await c.app.inject({ method: 'POST', url: `/api/v1/jobs/${JOB}/pause`, cookies: { lt_session: cookie?.value ?? '' } });
    expect(without.statusCode).toBe(403);
    expect(json(without)).toMatchObject({ error: { code: 'CSRF' } });
    const withToken = await c.app.inject({ method: 'POST', url: `/api/v1/jobs/${JOB}/resume`, cookies: { lt_session: cookie?.value ?? '' }, headers: { 'x-csrf-token': csrfToken } });
    expect(withToken.statusCode).toBe(200);
  });
});

describe('reconciling and checking', () => {
  it('an operator reconciles (audited, its totals kept in the history); the report page then has it', async () => {
    expect((await c.as('viewer', { method: 'POST', url: `/api/v1/reports/${JOB}/reconcile` })).statusCode).toBe(403);
    const res = await c.as('operator', { method: 'POST', url: `/api/v1/reports/${JOB}/reconcile` });
    expect(res.statusCode).toBe(200);
    const report = json<{ report: { job: string; totals: { source: number } } }>(res).report;
    expect(report.job).toBe(JOB);
    expect(report.totals.source).toBeGreaterThan(0);
    const page = json<{ report: { generatedAt: string } | null; history: { generatedAt: string; totals: { source: number } }[] }>(await c.as('viewer', { method: 'GET', url: `/api/v1/reports/${JOB}` }));
    expect(page.report).not.toBeNull();
    expect(page.history).toHaveLength(1);
    expect(page.history[0]?.totals.source).toBe(report.totals.source);
  }, 60_000);

  it('an operator checks a connection (audited); an unknown one is 404; a viewer may not', async () => {
    expect((await c.as('viewer', { method: 'POST', url: '/api/v1/connections/hub/check' })).statusCode).toBe(403);
    expect((await c.as('operator', { method: 'POST', url: '/api/v1/connections/nope/check' })).statusCode).toBe(404);
    const res = await c.as('operator', { method: 'POST', url: '/api/v1/connections/hub/check' });
    expect(json(res)).toMatchObject({ outcome: 'ok', findings: [{ connection: 'hub', type: 'connection', ok: true }] });
    const audit = json<{ entries: { subject: string; detail: unknown }[] }>(await c.as('admin', { method: 'GET', url: '/api/v1/audit?action=connection.check' })).entries;
    expect(audit).toMatchObject([{ subject: 'hub', detail: { outcome: 'ok' } }]);
  }, 30_000);
});

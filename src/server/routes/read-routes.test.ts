import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCounts } from '../../store/store.js';
import { JOB, TARGET, json, openConsole, settle, stageRecords, type ConsoleFixture } from './testing/console-fixture.js';

const PERSONAL_ID = '079203001234';
// a record still waiting in the outbox (an accepted one's envelope is gone from it)
const ENVELOPE = {
  idbanghi: 'rec-005',
  data: { hovaten: 'Nguyễn Văn An', sodinhdanh: PERSONAL_ID, ngaythangnamsinh: '2001-05-03', noisinh_diachichitiet: 'Phường Hai Bà Trưng', tentruong: 'Trường Đại học A' },
};
let c: ConsoleFixture;
let runId: string;

beforeAll(async () => {
  c = await openConsole();
  const run = await c.ws.store.startRun(JOB, 'manual');
  runId = run.id;
  await stageRecords(c.ws, [
    { idbanghi: 'rec-001', sourceKey: 'SV001', personalId: PERSONAL_ID },
    { idbanghi: 'rec-002', sourceKey: 'SV002', personalId: '001175000456' },
    { idbanghi: 'rec-003', sourceKey: 'SV003' },
    { idbanghi: 'rec-004', sourceKey: 'SV004' },
    { idbanghi: 'rec-005', sourceKey: 'SV005', envelope: ENVELOPE },
  ]);
  await settle(c.ws, [
    { idbanghi: 'rec-001', phienban: 1, status: 'accepted', receiptId: 'r1' },
    { idbanghi: 'rec-002', phienban: 1, status: 'rejected', errors: [{ field: 'ngaycap', code: 'DATE_INVALID', message: 'bad date' }, { field: 'sohieu', code: 'REQUIRED', message: 'missing' }] },
    { idbanghi: 'rec-003', phienban: 1, status: 'rejected', errors: [{ field: 'ngaycap', code: 'DATE_INVALID', message: 'bad date' }] },
    { idbanghi: 'rec-004', phienban: 1, status: 'dead', code: 'HUB_PAYLOAD_TOO_LARGE', message: 'too large' },
  ]);
  await c.ws.store.finishRun(run.id, 'partial', { ...emptyCounts(), read: 4, accepted: 1, rejected: 2, dead: 1 }, null);
}, 60_000);
afterAll(() => c.close());

describe('the read routes', () => {
  it('GET /jobs lists the job with its counts, deadlines and whether paused; 401 without a token', async () => {
    const res = await c.as('viewer', { method: 'GET', url: '/api/v1/jobs' });
    expect(res.statusCode).toBe(200);
    const jobs = json<{ jobs: Record<string, unknown>[] }>(res).jobs;
    expect(jobs.map((j) => j.name)).toEqual([JOB]);
    expect(jobs[0]).toMatchObject({ paused: false, pausedBy: null, targets: [{ target: TARGET, counts: { accepted: 1, rejected: 2, dead: 1, pending: 1 } }], lastRun: { id: runId, outcome: 'partial' } });
    expect((jobs[0]?.deadlines as unknown[]).length).toBe(1);
    expect((await c.app.inject({ method: 'GET', url: '/api/v1/jobs' })).statusCode).toBe(401);
  });

  it('GET /runs and /runs/:id: the run, its duration and rate, its rejections by code; 404 for an unknown run', async () => {
    const runs = json<{ runs: { id: string }[] }>(await c.as('viewer', { method: 'GET', url: `/api/v1/runs?job=${JOB}&limit=5` })).runs;
    expect(runs.map((r) => r.id)).toEqual([runId]);
    const detail = json<{ run: { id: string; counts: { read: number } }; durationMs: number; rate: number | null; rejectionsByCode: unknown; rejectionsTruncated: boolean }>(
      await c.as('viewer', { method: 'GET', url: `/api/v1/runs/${runId}` }),
    );
    expect(detail.run).toMatchObject({ id: runId, counts: { read: 4 } });
    expect(detail.durationMs).toBeGreaterThanOrEqual(0);
    expect(detail.rate === null || detail.rate > 0).toBe(true);
    expect(detail.rejectionsByCode).toEqual([{ code: 'DATE_INVALID', count: 2 }, { code: 'REQUIRED', count: 1 }]);
    expect(detail.rejectionsTruncated).toBe(false);
    const missing = await c.as('viewer', { method: 'GET', url: '/api/v1/runs/no-such-run' });
    expect(missing.statusCode).toBe(404);
    expect(json(missing)).toMatchObject({ error: { code: 'RUN_NOT_FOUND' } });
  });

  it('GET /ledger pages a target by idbanghi, filtered by status', async () => {
    const first = json<{ entries: { idbanghi: string }[]; next: string | null; matchedBy: null; target: string }>(await c.as('viewer', { method: 'GET', url: `/api/v1/ledger?job=${JOB}&limit=3` }));
    expect(first).toMatchObject({ matchedBy: null, target: TARGET, next: 'rec-003' });
    expect(first.entries.map((e) => e.idbanghi)).toEqual(['rec-001', 'rec-002', 'rec-003']);
    const second = json<{ entries: { idbanghi: string }[]; next: string | null }>(await c.as('viewer', { method: 'GET', url: `/api/v1/ledger?job=${JOB}&limit=3&after=rec-003` }));
    expect(second.entries.map((e) => e.idbanghi)).toEqual(['rec-004', 'rec-005']);
    expect(second.next).toBeNull();
    const rejected = json<{ entries: { idbanghi: string }[] }>(await c.as('viewer', { method: 'GET', url: `/api/v1/ledger?job=${JOB}&status=rejected` }));
    expect(rejected.entries.map((e) => e.idbanghi)).toEqual(['rec-002', 'rec-003']);
    expect((await c.as('viewer', { method: 'GET', url: `/api/v1/ledger?job=${JOB}&status=lost` })).statusCode).toBe(400);
    expect((await c.as('viewer', { method: 'GET', url: '/api/v1/ledger?job=nope' })).statusCode).toBe(404);
  });

  it('searches by source key and by idbanghi', async () => {
    const byKey = json<{ matchedBy: string; entries: { idbanghi: string }[] }>(await c.as('viewer', { method: 'GET', url: `/api/v1/ledger?job=${JOB}&q=SV003` }));
    expect(byKey).toMatchObject({ matchedBy: 'sourceKey', entries: [{ idbanghi: 'rec-003' }] });
    const byId = json<{ matchedBy: string; entries: { sourceKey: string }[] }>(await c.as('viewer', { method: 'POST', url: '/api/v1/ledger/search', payload: { job: JOB, q: 'rec-002' } }));
    expect(byId).toMatchObject({ matchedBy: 'idbanghi', entries: [{ sourceKey: 'SV002' }] });
    const none = json(await c.as('viewer', { method: 'GET', url: `/api/v1/ledger?job=${JOB}&q=nothing-like-it` }));
    expect(none).toMatchObject({ matchedBy: null, entries: [], next: null });
  });

  it('finds a record by personal id without the id in the answer or in the audit log', async () => {
    for (const res of [
      await c.as('viewer', { method: 'POST', url: '/api/v1/ledger/search', payload: { job: JOB, q: PERSONAL_ID } }),
      await c.as('viewer', { method: 'GET', url: `/api/v1/ledger?job=${JOB}&q=${PERSONAL_ID}` }),
    ]) {
      expect(res.statusCode).toBe(200);
      expect(json(res)).toMatchObject({ matchedBy: 'personalId', entries: [{ idbanghi: 'rec-001' }] });
      expect(res.body).not.toContain(PERSONAL_ID);
    }
    // nobody has this id: nothing found, and the text is not tried as a key (nor echoed)
    const nobody = await c.as('viewer', { method: 'POST', url: '/api/v1/ledger/search', payload: { job: JOB, q: '079203009999' } });
    expect(json(nobody)).toEqual({ job: JOB, target: null, matchedBy: null, entries: [], next: null });
    const audit = await c.as('admin', { method: 'GET', url: '/api/v1/audit?action=ledger.search' });
    const entries = json<{ entries: { actor: string; detail: unknown }[] }>(audit).entries;
    expect(entries.map((e) => e.detail)).toEqual([{ matchedBy: 'personalId', found: 0 }, { matchedBy: 'personalId', found: 1 }, { matchedBy: 'personalId', found: 1 }]);
    expect(entries[0]?.actor).toBe('viewer');
    expect(audit.body).not.toContain(PERSONAL_ID);
    expect(audit.body).not.toContain('079203009999');
    const everything = await c.as('admin', { method: 'GET', url: '/api/v1/audit?limit=1000' });
    expect(everything.body).not.toContain(PERSONAL_ID);
    // the console logged these requests, by their route's pattern only
    expect(c.logLines.some((l) => l.includes('/api/v1/ledger'))).toBe(true);
    expect(c.logLines.join('\n')).not.toContain(PERSONAL_ID);
  });

  it("shows a record's envelope masked; an admin's ?unmask=1 shows it whole and is audited; anyone else's is refused and audited", async () => {
    const masked = await c.as('operator', { method: 'GET', url: `/api/v1/jobs/${JOB}/records/rec-005` });
    expect(masked.statusCode).toBe(200);
    expect(json(masked)).toMatchObject({
      masked: true,
      record: { job: JOB, ledger: [{ idbanghi: 'rec-005', status: 'pending' }] },
      envelope: { data: { hovaten: 'N. V. A.', sodinhdanh: '079*******34', ngaythangnamsinh: '2001', noisinh_diachichitiet: '***', tentruong: 'Trường Đại học A' } },
    });
    expect(masked.body).not.toContain(PERSONAL_ID);
    const refused = await c.as('operator', { method: 'GET', url: `/api/v1/jobs/${JOB}/records/rec-005?unmask=1` });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain(PERSONAL_ID);
    const whole = await c.as('admin', { method: 'GET', url: `/api/v1/jobs/${JOB}/records/rec-005?unmask=1` });
    expect(json(whole)).toMatchObject({ masked: false, envelope: ENVELOPE });
    const audit = json<{ entries: { actor: string; outcome: string; subject: string }[] }>(await c.as('admin', { method: 'GET', url: '/api/v1/audit?action=record.unmask' })).entries;
    expect(audit.map((e) => [e.actor, e.outcome, e.subject])).toEqual([
      ['admin', 'ok', `${JOB}/rec-005`],
      ['operator', 'denied', `${JOB}/rec-005`],
    ]);
    expect((await c.as('viewer', { method: 'GET', url: `/api/v1/jobs/${JOB}/records/rec-999` })).statusCode).toBe(404);
  });

  it('GET /jobs/:job/deadletters lists the dead letter with its error', async () => {
    const res = json<{ deadLetters: unknown[]; next: null }>(await c.as('viewer', { method: 'GET', url: `/api/v1/jobs/${JOB}/deadletters` }));
    expect(res.next).toBeNull();
    expect(res.deadLetters).toEqual([{ target: TARGET, idbanghi: 'rec-004', sourceKey: 'SV004', status: 'dead', phienban: 1, attempts: expect.any(Number), error: { code: 'HUB_PAYLOAD_TOO_LARGE', message: 'too large' } }]);
  });

  it('GET /reports/:job answers with no report yet, no history, and the runs for the chart', async () => {
    const res = json(await c.as('viewer', { method: 'GET', url: `/api/v1/reports/${JOB}` }));
    expect(res).toMatchObject({ report: null, history: [], runs: [{ id: runId, outcome: 'partial', counts: { read: 4 } }] });
  });

  it('GET /connections masks a literal secret and keeps a reference; GET /config is for admins only, secrets masked', async () => {
    const connections = json<{ connections: { name: string; kind: string; options: Record<string, unknown> }[] }>(await c.as('viewer', { method: 'GET', url: '/api/v1/connections' })).connections;
    expect(connections.map((x) => [x.name, x.kind]).sort()).toEqual([['hub', 'destination'], ['uis', 'source']]);
    expect(connections.find((x) => x.name === 'hub')?.options).toMatchObject({ clientSecret: 'file:../hub.secret', unitCode: 'LTU01' });
    expect((await c.as('operator', { method: 'GET', url: '/api/v1/config' })).statusCode).toBe(403);
    const config = await c.as('admin', { method: 'GET', url: '/api/v1/config' });
    expect(config.statusCode).toBe(200);
    expect(json(config)).toMatchObject({ config: { connections: { hub: { clientSecret: 'file:../hub.secret' } } }, jobs: [{ name: JOB }] });
    expect(config.body).not.toContain('services-secret-3c2b1a');
  });

  it('GET /audit is for admins only', async () => {
    expect((await c.as('operator', { method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(403);
    expect((await c.as('viewer', { method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(403);
  });

  it('the OpenAPI document lists every API route with a summary and tags', async () => {
    const doc = json<{ paths: Record<string, Record<string, { summary?: string; tags?: string[] }>> }>(await c.app.inject({ method: 'GET', url: '/api/v1/openapi.json' }));
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));
    const ours = [
      'GET /api/v1/jobs', 'POST /api/v1/jobs/{job}/runs', 'POST /api/v1/jobs/{job}/pause', 'POST /api/v1/jobs/{job}/resume',
      'GET /api/v1/runs', 'GET /api/v1/runs/{id}', 'GET /api/v1/progress', 'GET /api/v1/ledger', 'POST /api/v1/ledger/search',
      'GET /api/v1/jobs/{job}/records/{idbanghi}', 'GET /api/v1/jobs/{job}/deadletters', 'POST /api/v1/jobs/{job}/deadletters/requeue',
      'GET /api/v1/reports/{job}', 'POST /api/v1/reports/{job}/reconcile', 'GET /api/v1/connections', 'POST /api/v1/connections/{name}/check',
      'GET /api/v1/config', 'GET /api/v1/audit',
    ];
    expect(routes.map((r) => r.route)).toEqual(expect.arrayContaining(ours));
    for (const r of routes.filter((x) => ours.includes(x.route))) {
      expect(r.op.summary, r.route).toBeTruthy();
      expect(r.op.tags?.length, r.route).toBeGreaterThan(0);
    }
  });
});

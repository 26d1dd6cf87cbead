import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../engine/runner.js';
import { targetId } from '../store/store.js';
import { listDeadLetters, requeueDeadLetters } from './dead-letters.js';
import { runJobNow } from './jobs.js';
import { openWorkspace, type ServiceWorkspace } from './test/workspace.js';

const T = targetId('hub', 'vanbangchungchi');
let ws: ServiceWorkspace;
let run: RunSummary;

beforeAll(async () => {
  ws = await openWorkspace(120);
  // the hub refuses every batch for good (400): delivery gives its records up
  ws.hub.setFaults({ errorRate: 1, errorStatuses: [400] });
  run = await runJobNow(ws.env, 'diplomas');
  ws.hub.setFaults({ errorRate: 0 });
}, 60_000);
afterAll(() => ws.close());

describe('dead letters', () => {
  it('lists every record delivery gave up on, with its last error', async () => {
    const letters = await listDeadLetters(ws.env, 'diplomas');
    expect(run.counts.dead).toBeGreaterThan(0);
    expect(letters).toHaveLength(run.counts.dead);
    expect(letters[0]).toMatchObject({ target: T, status: 'dead', phienban: 1, error: { code: 'INJECTED_FAULT' } });
    expect((await ws.store.statusCounts(T)).dead).toBe(letters.length);
  });

  it('puts back the ones named, then those with an error code, leaving the others', async () => {
    const letters = await listDeadLetters(ws.env, 'diplomas');
    const [a, b] = letters.map((d) => d.idbanghi);
    expect(await requeueDeadLetters(ws.env, 'diplomas', { idbanghi: [a as string, b as string, 'not-a-dead-letter'] })).toEqual({ job: 'diplomas', requeued: 2 });
    expect((await ws.store.statusCounts(T)).pending).toBe(2);
    expect(await requeueDeadLetters(ws.env, 'diplomas', { code: 'HUB_TIMEOUT' })).toEqual({ job: 'diplomas', requeued: 0 });
    expect(await requeueDeadLetters(ws.env, 'diplomas', { code: 'INJECTED_FAULT' })).toEqual({ job: 'diplomas', requeued: letters.length - 2 });
    expect(await listDeadLetters(ws.env, 'diplomas')).toEqual([]);
    expect(await requeueDeadLetters(ws.env, 'diplomas', { all: true })).toEqual({ job: 'diplomas', requeued: 0 });
  });

  it('the next run sends what was put back', async () => {
    const next = await runJobNow(ws.env, 'diplomas');
    expect(next.counts.accepted).toBe(run.counts.dead);
    expect((await ws.store.statusCounts(T)).accepted).toBe(run.counts.dead);
  });

  it('a job that does not exist is a configuration error', async () => {
    await expect(listDeadLetters(ws.env, 'nope')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    await expect(requeueDeadLetters(ws.env, 'nope', { all: true })).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});

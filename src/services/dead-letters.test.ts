import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ministryHubPlugin } from '../../connectors/ministry-hub/plugin.js';
import { buildDestination, buildMapping } from '../engine/assemble.js';
import { getJob } from '../config/load.js';
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
    expect(await requeueDeadLetters(ws.env, 'diplomas', { idbanghi: [a as string, b as string, 'not-a-dead-letter'] })).toEqual({ job: 'diplomas', requeued: 2, notRequeued: [] });
    expect((await ws.store.statusCounts(T)).pending).toBe(2);
    expect(await requeueDeadLetters(ws.env, 'diplomas', { code: 'HUB_TIMEOUT' })).toEqual({ job: 'diplomas', requeued: 0, notRequeued: [] });
    expect(await requeueDeadLetters(ws.env, 'diplomas', { code: 'INJECTED_FAULT' })).toEqual({ job: 'diplomas', requeued: letters.length - 2, notRequeued: [] });
    expect(await listDeadLetters(ws.env, 'diplomas')).toEqual([]);
    expect(await requeueDeadLetters(ws.env, 'diplomas', { all: true })).toEqual({ job: 'diplomas', requeued: 0, notRequeued: [] });
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

describe('a version conflict put back', () => {
  let cw: ServiceWorkspace;
  let id: string;
  const dataset = 'vanbangchungchi';

  beforeAll(async () => {
    cw = await openWorkspace(12);
    cw.hub.setFaults({ errorRate: 1, errorStatuses: [400] });
    await runJobNow(cw.env, 'diplomas');
    cw.hub.setFaults({ errorRate: 0 });
    const [letter] = await cw.store.deadLetters(T);
    id = letter?.idbanghi as string;
    // another system sends this record to the hub first, at phienban 3
    const entry = (await cw.store.getLedgerEntries(T, [id])).get(id);
    const hub = buildDestination(cw.env.loaded, 'hub');
    const { schemaVersion } = buildMapping(getJob(cw.env.loaded, 'diplomas'));
    const encoded = (letter?.encoded ?? '').replace('"phienban":1,', '"phienban":3,');
    expect(await hub.write([{ idbanghi: id, version: 3, contentHash: entry?.contentHash ?? '', encoded }], { dataset, schemaVersion })).toMatchObject([{ status: 'delivered' }]);
    await hub.close();
    // every dead letter is sent again: ours, at phienban 1, is now a conflict; the others are taken
    const { requeued } = await requeueDeadLetters(cw.env, 'diplomas', { all: true });
    expect((await runJobNow(cw.env, 'diplomas')).counts).toMatchObject({ conflicts: 1, accepted: requeued - 1 });
  }, 60_000);
  afterAll(() => cw.close());

  it('is listed as a conflict, with the version the hub holds', async () => {
    expect(await listDeadLetters(cw.env, 'diplomas')).toEqual([expect.objectContaining({ idbanghi: id, status: 'conflict', phienban: 1 })]);
    expect(await cw.store.deadLetters(T)).toEqual([expect.objectContaining({ idbanghi: id, status: 'stale', heldVersion: 3 })]);
  });

  it('is not put back by a destination that cannot encode at another version, and says why', async () => {
    // stands for a destination plugin without reversion
    const reversion = ministryHubPlugin.reversion;
    Reflect.deleteProperty(ministryHubPlugin, 'reversion');
    try {
      const result = await requeueDeadLetters(cw.env, 'diplomas', { all: true });
      expect(result).toMatchObject({ requeued: 0, notRequeued: [{ target: T, idbanghi: id, reason: expect.stringContaining('cannot encode a record at another version') as unknown }] });
    } finally {
      ministryHubPlugin.reversion = reversion;
    }
    expect(await cw.store.deadLetters(T)).toEqual([expect.objectContaining({ idbanghi: id, status: 'stale' })]);
  });

  it('goes back above the hub\'s version, re-encoded by the hub plugin, and the next run delivers it', async () => {
    expect(await requeueDeadLetters(cw.env, 'diplomas', { all: true })).toEqual({ job: 'diplomas', requeued: 1, notRequeued: [] });
    const [item] = (await cw.store.outboxPage(T, null, 10)).items;
    expect(item).toMatchObject({ idbanghi: id, phienban: 4 });
    expect(JSON.parse(item?.envelopeJson ?? '{}')).toMatchObject({ idbanghi: id, phienban: 4, sukien: 'UPDATE' });
    const next = await runJobNow(cw.env, 'diplomas');
    expect(next.counts).toMatchObject({ accepted: 1, conflicts: 0, dead: 0 });
    expect(cw.hub.history(dataset, id).map((v) => [v.phienban, v.sukien])).toEqual([[3, 'NEW'], [4, 'UPDATE']]);
    expect(await listDeadLetters(cw.env, 'diplomas')).toEqual([]);
  });
});

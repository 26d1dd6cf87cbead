import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskQueueInput } from '../../src/store/kiosk-store.js';
import type { StateStore } from '../../src/store/store.js';
import { openStateStore, storeWorkerFile } from './worker-store.js';

const stores: StateStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

const item = (key: string, hash: string, op: 'put' | 'delete' = 'put', kioskId = 'k1'): KioskQueueInput => ({ connection: 'c', kioskId, kind: 'student', key, op, body: op === 'put' ? `{"h":"${hash}"}` : null, contentHash: hash });

// the same behaviour on this thread and through the worker thread (when the worker is built)
const threads = storeWorkerFile() === undefined ? (['current'] as const) : (['current', 'worker'] as const);

describe.each(threads)('the kiosk lanes of the SQLite store (%s thread)', (thread) => {
  const open = (): StateStore => {
    const s = openStateStore(join(mkdtempSync(join(tmpdir(), 'lt-kiosk-store-')), 'state.db'), { thread });
    stores.push(s);
    return s;
  };

  it('coalesces: a newer change of a key replaces the queued one and moves to the end; the same change again stays put', async () => {
    const s = open();
    await s.kioskEnqueue([item('A', 'a1'), item('B', 'b1'), item('C', 'c1')]);
    await s.kioskEnqueue([item('A', 'a2'), item('B', 'b1')]);
    const page = await s.kioskQueuePage('c', 'k1', 0, 10);
    expect(page.map((i) => `${i.key}:${i.contentHash}`)).toEqual(['B:b1', 'C:c1', 'A:a2']);
    expect(await s.kioskQueuePage('c', 'k2', 0, 10)).toEqual([]); // another kiosk's lane
    expect((await s.kioskQueuePage('c', 'k1', page[0]!.seq, 1)).map((i) => i.key)).toEqual(['C']);
  });

  it('delivered items leave the lane and become what the kiosk holds; a change enqueued meanwhile stays', async () => {
    const s = open();
    await s.kioskEnqueue([item('A', 'a1'), item('B', 'b1')]);
    const [a, b] = await s.kioskQueuePage('c', 'k1', 0, 10);
    await s.kioskEnqueue([item('B', 'b2')]); // B changed while b1 was on the wire
    await s.kioskDelivered('c', 'k1', [a!, b!].map((i) => ({ seq: i.seq, kind: i.kind, key: i.key, op: i.op, contentHash: i.contentHash, body: i.body })));
    expect((await s.kioskQueuePage('c', 'k1', 0, 10)).map((i) => `${i.key}:${i.contentHash}`)).toEqual(['B:b2']);
    expect(await s.kioskHeld('c', 'k1', 'student')).toEqual({ A: 'a1', B: 'b1' });
  });

  it('a DELETE of what the kiosk never got only drops the queued change; of what it holds, it is queued', async () => {
    const s = open();
    await s.kioskEnqueue([item('A', 'a1'), item('B', 'b1')]);
    const [a] = await s.kioskQueuePage('c', 'k1', 0, 1);
    await s.kioskDelivered('c', 'k1', [{ seq: a!.seq, kind: 'student', key: 'A', op: 'put', contentHash: 'a1', body: a!.body }]);
    await s.kioskEnqueue([item('A', 'gone-A', 'delete'), item('B', 'gone-B', 'delete')]);
    expect((await s.kioskQueuePage('c', 'k1', 0, 10)).map((i) => `${i.key}:${i.op}`)).toEqual(['A:delete']);
  });

  it('seeds a kiosk added later with the latest of every student another kiosk holds or has queued', async () => {
    const s = open();
    await s.kioskEnqueue([item('A', 'a1'), item('B', 'b1'), item('C', 'c1')]);
    const page = await s.kioskQueuePage('c', 'k1', 0, 10);
    await s.kioskDelivered('c', 'k1', page.map((i) => ({ seq: i.seq, kind: i.kind, key: i.key, op: i.op, contentHash: i.contentHash, body: i.body })));
    await s.kioskEnqueue([item('B', 'b2'), item('C', 'gone', 'delete'), item('D', 'd1')]);
    expect(await s.kioskSeed('c', 'k9', 'k1')).toBe(3);
    expect((await s.kioskQueuePage('c', 'k9', 0, 10)).map((i) => `${i.key}:${i.contentHash}:${i.body}`)).toEqual(['A:a1:{"h":"a1"}', 'B:b2:{"h":"b2"}', 'D:d1:{"h":"d1"}']);
  });

  it('a refusal for good is kept as dead, out of the lane, and counted in the health; health rows are patched', async () => {
    const s = open();
    await s.kioskEnqueue([item('A', 'a1'), item('B', 'b1')]);
    const [a] = await s.kioskQueuePage('c', 'k1', 0, 1);
    await s.kioskAttemptFailed('c', 'k1', a!.seq, { code: 'KIOSK_UNAVAILABLE', message: '500' }, false);
    await s.kioskAttemptFailed('c', 'k1', a!.seq, { code: 'KIOSK_REFUSED', message: '422' }, true);
    await s.kioskSetHealth('c', 'k1', { url: 'https://k1', online: false, offlineSince: '2026-10-01T00:00:00Z' });
    await s.kioskSetHealth('c', 'k1', { lastErrorCode: 'KIOSK_OFFLINE' });
    expect((await s.kioskQueuePage('c', 'k1', 0, 10)).map((i) => i.key)).toEqual(['B']);
    expect(await s.kioskHealth('c')).toEqual([
      expect.objectContaining({ kioskId: 'k1', url: 'https://k1', online: false, offlineSince: '2026-10-01T00:00:00Z', lastErrorCode: 'KIOSK_OFFLINE', queueDepth: 1, dead: 1, lastSeenAt: null }),
    ]);
    expect(await s.kioskHealth('other')).toEqual([]);
  });

  it('lists dead letters by connection and kiosk, and requeues them (all, or one key) at their place in the lane', async () => {
    const s = open();
    await s.kioskEnqueue([item('A', 'a1'), item('B', 'b1'), item('C', 'c1'), item('D', 'd1'), item('A', 'a1', 'put', 'k2')]);
    const [a, b, c] = await s.kioskQueuePage('c', 'k1', 0, 10);
    await s.kioskAttemptFailed('c', 'k1', a!.seq, { code: 'KIOSK_REFUSED', message: '422 INVALID: birthDate' }, true);
    await s.kioskAttemptFailed('c', 'k1', c!.seq, { code: 'KIOSK_REFUSED', message: '422 INVALID: status' }, true);
    await s.kioskAttemptFailed('c', 'k1', b!.seq, { code: 'KIOSK_UNAVAILABLE', message: '503' }, false); // not dead
    const [k2a] = await s.kioskQueuePage('c', 'k2', 0, 10);
    await s.kioskAttemptFailed('c', 'k2', k2a!.seq, { code: 'KIOSK_REFUSED', message: '400' }, true);

    const all = await s.kioskDeadLetters({});
    expect(all.map((d) => `${d.kioskId}:${d.key}:${d.code}`)).toEqual(['k1:A:KIOSK_REFUSED', 'k1:C:KIOSK_REFUSED', 'k2:A:KIOSK_REFUSED']);
    expect((await s.kioskDeadLetters({ kioskId: 'k2' })).map((d) => d.key)).toEqual(['A']);
    expect(await s.kioskDeadLetters({ connection: 'other' })).toEqual([]);
    expect(all[0]).toMatchObject({ connection: 'c', kind: 'student', op: 'put', attempts: 1, message: '422 INVALID: birthDate' });

    // one key: only that one goes back
    expect((await s.kioskRequeue('c', 'k1', 'C')).map((d) => d.key)).toEqual(['C']);
    expect((await s.kioskQueuePage('c', 'k1', 0, 10)).map((i) => `${i.key}:${i.attempts}`)).toEqual(['B:1', 'C:0', 'D:0']);
    // all: A goes back before B, where it was (the kiosk still gets the changes in order)
    expect((await s.kioskRequeue('c', 'k1')).map((d) => d.key)).toEqual(['A']);
    expect((await s.kioskQueuePage('c', 'k1', 0, 10)).map((i) => i.key)).toEqual(['A', 'B', 'C', 'D']);
    expect(await s.kioskRequeue('c', 'k1')).toEqual([]);
    expect((await s.kioskHealth('c')).length).toBe(0); // no health row was made up
    expect((await s.kioskDeadLetters({})).map((d) => d.kioskId)).toEqual(['k2']); // another kiosk's stay
  });
});

import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../store/store.js';
import { RunProgressHub, type RunProgressEvent } from './progress.js';

const progress = (job: string, read: number): RunProgressEvent => ({ type: 'progress', progress: { job, runId: `r-${job}`, counts: { ...emptyCounts(), read }, elapsedMs: read, inFlight: 0 } });

describe('RunProgressHub', () => {
  it("delivers a job's events to its listeners and to those of every job, keeps the latest, and forgets a listener once unsubscribed", () => {
    const hub = new RunProgressHub();
    const seenA: number[] = [];
    const seenAll: string[] = [];
    const stopA = hub.subscribe('a', (_job, e) => e.type === 'progress' && seenA.push(e.progress.counts.read));
    const stopAll = hub.subscribe(null, (job) => seenAll.push(job));
    hub.publish('a', progress('a', 1));
    hub.publish('b', progress('b', 2));
    hub.publish('a', progress('a', 3));
    expect(seenA).toEqual([1, 3]);
    expect(seenAll).toEqual(['a', 'b', 'a']);
    expect(hub.latest('a')).toEqual(progress('a', 3));
    expect(hub.latest('c')).toBeUndefined();
    expect(hub.latestAll().map(([job]) => job).sort()).toEqual(['a', 'b']);
    expect(hub.listenerCount()).toBe(2);
    stopA();
    stopA();
    stopAll();
    expect(hub.listenerCount()).toBe(0);
    hub.publish('a', progress('a', 4));
    expect(seenA).toEqual([1, 3]);
  });

  it('a listener that throws does not stop the others nor the publisher', () => {
    const hub = new RunProgressHub();
    const seen: string[] = [];
    hub.subscribe('a', () => {
      throw new Error('socket closed');
    });
    hub.subscribe('a', (job) => seen.push(job));
    expect(() => hub.publish('a', progress('a', 1))).not.toThrow();
    expect(seen).toEqual(['a']);
  });
});

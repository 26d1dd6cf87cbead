import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobListCache } from './console-jobs.js';
import { openWorkspace, type ServiceWorkspace } from './test/workspace.js';

let ws: ServiceWorkspace;
beforeAll(async () => {
  ws = await openWorkspace(20);
}, 60_000);
afterAll(() => ws.close());

describe('JobListCache', () => {
  it('answers from one computation within its time to live, computes again after it or once forgotten', async () => {
    let ms = 1_000_000;
    const cache = new JobListCache(ws.env, 2000, () => new Date(ms));
    const [a, b] = await Promise.all([cache.jobs(), cache.jobs()]);
    expect(a).toBe(b);
    expect(a.map((j) => j.name)).toEqual(['diplomas']);
    ms += 1999;
    expect(await cache.jobs()).toBe(a);
    ms += 1;
    const c = await cache.jobs();
    expect(c).not.toBe(a);
    expect(c).toEqual(a);
    cache.forget();
    expect(await cache.jobs()).not.toBe(c);
  });
});

import { describe, expect, it } from 'vitest';
import { STORE_PAGE, keysetPages } from './store.js';

/** keys k00000… in order; a page is at most STORE_PAGE keys after `after` */
function table(n: number): { page: (after: string) => Promise<string[]>; calls: string[] } {
  const keys = Array.from({ length: n }, (_, i) => `k${String(i).padStart(5, '0')}`);
  const calls: string[] = [];
  return {
    calls,
    page: async (after) => {
      calls.push(after);
      return keys.filter((k) => k > after).slice(0, STORE_PAGE);
    },
  };
}

async function all(rows: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

describe('keysetPages', () => {
  it('lists every row once, in order, asking from the last key of each full page', async () => {
    const t = table(2 * STORE_PAGE + 500);
    const rows = await all(keysetPages(t.page, (k) => k));
    expect(rows).toHaveLength(2 * STORE_PAGE + 500);
    expect(new Set(rows).size).toBe(rows.length);
    expect(t.calls).toEqual(['', `k${String(STORE_PAGE - 1).padStart(5, '0')}`, `k${String(2 * STORE_PAGE - 1).padStart(5, '0')}`]);
  });

  it('stops after a short or empty page', async () => {
    const exact = table(STORE_PAGE);
    expect(await all(keysetPages(exact.page, (k) => k))).toHaveLength(STORE_PAGE);
    expect(exact.calls).toHaveLength(2);
    const none = table(0);
    expect(await all(keysetPages(none.page, (k) => k))).toEqual([]);
    expect(none.calls).toEqual(['']);
  });
});

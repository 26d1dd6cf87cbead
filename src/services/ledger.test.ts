import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../engine/runner.js';
import { targetId, type LedgerEntry } from '../store/store.js';
import { runJobNow } from './jobs.js';
import { findRecord, ledgerPage, recordHistory } from './ledger.js';
import { openWorkspace, type ServiceWorkspace } from './test/workspace.js';

const T = targetId('hub', 'vanbangchungchi');
let ws: ServiceWorkspace;
let run: RunSummary;
const all: LedgerEntry[] = [];

beforeAll(async () => {
  ws = await openWorkspace(120);
  run = await runJobNow(ws.env, 'diplomas');
  for await (const e of ws.store.ledger(T)) all.push(e);
}, 60_000);
afterAll(() => ws.close());

describe('ledger pages', () => {
  it('walks the whole ledger page by page, in idbanghi order, without a gap or a repeat', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await ledgerPage(ws.env, 'diplomas', { limit: 25, ...(after === undefined ? {} : { after }) });
      expect(page.target).toBe(T);
      seen.push(...page.entries.map((e) => e.idbanghi));
      if (page.next === null) break;
      after = page.next;
    }
    expect(all.length).toBe(run.counts.accepted);
    expect(seen).toEqual(all.map((e) => e.idbanghi));
    expect(seen).toEqual([...seen].sort());
  });

  it('filters by status, and refuses a status or a target that does not exist', async () => {
    expect((await ledgerPage(ws.env, 'diplomas', { status: ['accepted'], limit: 10_000 })).entries).toHaveLength(all.length);
    expect(await ledgerPage(ws.env, 'diplomas', { status: ['dead', 'stale'] })).toMatchObject({ entries: [], next: null });
    await expect(ledgerPage(ws.env, 'diplomas', { status: ['lost'] })).rejects.toMatchObject({ code: 'LEDGER_STATUS_UNKNOWN', kind: 'config' });
    await expect(ledgerPage(ws.env, 'diplomas', { target: 'hub/other' })).rejects.toMatchObject({ code: 'TARGET_UNKNOWN' });
    await expect(ledgerPage(ws.env, 'diplomas', { limit: 0 })).rejects.toMatchObject({ code: 'LIMIT_INVALID' });
  });
});

describe('one record', () => {
  it('is found by its national record id or by its source key, the same', async () => {
    const e = all[3] as LedgerEntry;
    const byId = await findRecord(ws.env, 'diplomas', { idbanghi: e.idbanghi });
    expect(byId).toEqual({ job: 'diplomas', ledger: [e], heldBack: [], warnings: expect.any(Array) });
    expect(await findRecord(ws.env, 'diplomas', { sourceKey: e.sourceKey })).toEqual(byId);
  });

  it('held back at the source, it shows why', async () => {
    const held = ws.manifest.dirty.find((d) => !d.fixable);
    expect(held).toBeDefined();
    const view = await findRecord(ws.env, 'diplomas', { sourceKey: String(held?.diplomaId) });
    expect(view.ledger).toEqual([]);
    expect(view.heldBack).toHaveLength(1);
    expect(view.heldBack[0]?.errors.length).toBeGreaterThan(0);
  });

  it("its history is what the ledger keeps, and says it holds the latest version only", async () => {
    const e = all[0] as LedgerEntry;
    const h = await recordHistory(ws.env, 'diplomas', e.idbanghi);
    expect(h).toMatchObject({ idbanghi: e.idbanghi, complete: false, record: { ledger: [e] } });
    expect((await recordHistory(ws.env, 'diplomas', 'no-such-id')).record).toEqual({ job: 'diplomas', ledger: [], heldBack: [], warnings: [] });
  });
});

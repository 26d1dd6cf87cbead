import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConsoleWorkspace, type ConsoleWorkspace } from '../server/testing/console-workspace.js';
import { exportAudit, recordAudit, verifyAuditLog } from './audit.js';

let ws: ConsoleWorkspace;

beforeEach(async () => {
  ws = await openConsoleWorkspace();
  for (let i = 1; i <= 5; i++) await recordAudit(ws.store, { actor: 'lan', action: 'job.run', subject: `job-${i}`, address: '10.0.0.1', outcome: 'ok', detail: { n: i, note: 'a, "b"' } });
});
afterEach(() => ws.close());

/** what an attacker with the store file does: drop the append-only triggers, then change the rows */
function tamper(sql: string, ...params: unknown[]): void {
  ws.store.db.exec('DROP TRIGGER IF EXISTS audit_log_append_only_update; DROP TRIGGER IF EXISTS audit_log_append_only_delete;');
  ws.store.db.prepare(sql).run(...params);
}

async function collect(format: 'csv' | 'json'): Promise<string> {
  let text = '';
  for await (const chunk of exportAudit(ws.store, format)) text += chunk;
  return text;
}

describe('audit verify', () => {
  it('finds an intact chain and names its head', async () => {
    const r = await verifyAuditLog(ws.store);
    expect(r).toMatchObject({ intact: true, entries: 5, firstBad: null });
    expect(r.head).toEqual(await ws.store.auditHead());
  });

  it('finds an empty log intact', async () => {
    const empty = await openConsoleWorkspace();
    expect(await verifyAuditLog(empty.store)).toEqual({ intact: true, entries: 0, head: null, firstBad: null });
    await empty.close();
  });

  it('detects an edited entry and names it', async () => {
    tamper("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3");
    expect(await verifyAuditLog(ws.store)).toMatchObject({ intact: false, entries: 2, firstBad: { seq: 3, reason: 'hash' } });
  });

  it('detects an edited detail, even with its hash recomputed for the edited entry alone', async () => {
    const { auditEntryHash } = await import('../core/audit-chain.js');
    const e = (await ws.store.auditEntries({ limit: 10 })).find((x) => x.seq === 2);
    if (!e) throw new Error('no entry 2');
    const edited = { ...e, detail: { n: 99 } };
    tamper('UPDATE audit_log SET detail = ?, hash = ? WHERE seq = 2', JSON.stringify(edited.detail), auditEntryHash(e.prevHash, edited));
    expect(await verifyAuditLog(ws.store)).toMatchObject({ intact: false, firstBad: { seq: 3, reason: 'prevHash' } });
  });

  it('detects an entry deleted in the middle', async () => {
    tamper('DELETE FROM audit_log WHERE seq = 2');
    expect(await verifyAuditLog(ws.store)).toMatchObject({ intact: false, firstBad: { seq: 2, reason: 'gap' } });
  });

  it('detects the last entry deleted (the head points past the log)', async () => {
    tamper('DELETE FROM audit_log WHERE seq = 5');
    expect(await verifyAuditLog(ws.store)).toMatchObject({ intact: false, entries: 4, firstBad: { seq: 5, reason: 'head' } });
  });
});

describe('audit export', () => {
  it('writes CSV with a header and formula-safe, quoted cells, in seq order', async () => {
    await recordAudit(ws.store, { actor: '-', action: 'login.failed', subject: null, address: '10.0.0.2', outcome: 'failed', detail: { username: '=HYPERLINK("x")' } });
    const lines = (await collect('csv')).trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,at,actor,action,subject,address,outcome,detail,prev_hash,hash');
    expect(lines).toHaveLength(7);
    expect(lines[1]).toMatch(/^1,2\d{3}-.*,lan,job\.run,job-1,10\.0\.0\.1,ok,"\{""n"":1,""note"":""a, \\""b\\""""\}",0{64},[0-9a-f]{64}$/);
    expect(lines[6]).toContain('login.failed');
  });

  it('writes JSON that parses to every entry with its hashes', async () => {
    const entries = JSON.parse(await collect('json')) as { seq: number; hash: string }[];
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[4]?.hash).toBe((await ws.store.auditHead())?.hash);
    const empty = await openConsoleWorkspace();
    let text = '';
    for await (const chunk of exportAudit(empty.store, 'json')) text += chunk;
    expect(JSON.parse(text)).toEqual([]);
    await empty.close();
  });
});

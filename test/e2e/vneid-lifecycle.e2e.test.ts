/**
 * The diploma job with a VNeID destination that waits for the hub (`after: hub`), through the
 * built CLI, against the hub simulator and the VNeID credential service simulator:
 * - every diploma the hub holds is published once, with the content hash the hub holds;
 * - a correction reaches the hub as UPDATE with its ThongTinHieuChinh (phienban + 1) and VNeID
 *   republishes the same credential key with the new hash; a revocation is a CANCEL at the hub
 *   and a revoked credential;
 * - `kill -9` of the runner between the hub's acceptance and the publication: after a restart
 *   every credential is published exactly once.
 *
 * Needs dist/ (npx tsc -p tsconfig.build.json).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import YAML from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/package-root.js';
import { generateUisDatabase } from '../../src/sample/uis.js';
import { changeDiplomaLife } from '../../src/sample/uis-lifecycle.js';
import { diplomaRecordId } from '../../mappings/vanbangchungchi/2025/transforms.js';
import type { HubSimulator } from '../../connectors/ministry-hub/simulator/index.js';
import type { VneidSimulator } from '../../connectors/vneid-credential/simulator/index.js';
import { SERVICE_ID, SIM_LOGIN, startTestSimulator } from '../../connectors/vneid-credential/testing/support.js';
import { makeWorkspace, startHub, UNIT, type Workspace } from './support.js';

const bin = join(packageRoot(), 'bin', 'lienthong.js');

/** the shipped diploma job plus a VNeID destination that waits for the hub */
function withVneid(ws: Workspace, vneidUrl: string, destination: Record<string, unknown> = {}): void {
  writeFileSync(join(ws.dir, 'vneid.secret'), SIM_LOGIN.password);
  const config = YAML.parse(readFileSync(ws.configFile, 'utf8')) as { connections: Record<string, unknown> };
  config.connections.vneid = {
    type: 'vneid-credential',
    endpoint: vneidUrl,
    username: SIM_LOGIN.username,
    password: 'file:../vneid.secret',
    userId: `VN/GOV/${UNIT}/operator-1`,
    client: { xRoadInstance: 'VN', memberClass: 'GOV', memberCode: UNIT, subsystemCode: 'lienthong' },
    service: { ...SERVICE_ID },
    timeoutMs: 3000,
  };
  writeFileSync(ws.configFile, YAML.stringify(config));
  const jobFile = join(ws.dir, 'jobs', 'diplomas.yaml');
  const job = YAML.parse(readFileSync(jobFile, 'utf8')) as { destinations: Record<string, unknown>[] };
  job.destinations.push({ connection: 'vneid', dataset: 'vneid-vanbang', after: 'hub', concurrency: 4, rateLimit: { perSecond: 1000, burst: 100 }, retry: { budgetMs: 60_000, baseDelayMs: 20, maxDelayMs: 200 }, ...destination });
  writeFileSync(jobFile, YAML.stringify(job));
}

function runCli(ws: Workspace, ...args: string[]): { exited: Promise<number | null>; kill: () => void; output: () => string } {
  const child = spawn(process.execPath, [bin, ...args, '-c', ws.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { exited, kill: () => child.kill('SIGKILL'), output: () => output };
}

async function run(ws: Workspace, ...args: string[]): Promise<{ code: number | null; out: string }> {
  const c = runCli(ws, 'run', 'diplomas', ...args);
  const code = await c.exited;
  return { code, out: c.output() };
}

/** the hub's current version of each record it holds */
function hubHeld(hub: HubSimulator): Map<string, { phienban: number; contentHash: string; sukien: string }> {
  const out = new Map<string, { phienban: number; contentHash: string; sukien: string }>();
  for (const a of hub.acceptanceCounts('vanbangchungchi')) {
    const history = hub.history('vanbangchungchi', a.idbanghi);
    const last = history[history.length - 1];
    if (last) out.set(a.idbanghi, { phienban: last.phienban, contentHash: last.contentHash, sukien: last.sukien });
  }
  return out;
}

/** a diploma of the sample that is valid and issued (status 1, not made dirty) */
function validIssued(ws: Workspace, dirty: Set<number>, n: number): { id: number; serial: string } {
  const db = new Database(ws.uisPath, { readonly: true });
  try {
    const rows = db.prepare('SELECT diploma_id, serial_no FROM diplomas WHERE status = 1 ORDER BY diploma_id').all() as { diploma_id: number; serial_no: string }[];
    const ok = rows.filter((r) => !dirty.has(r.diploma_id));
    const r = ok[n] as { diploma_id: number; serial_no: string };
    return { id: r.diploma_id, serial: r.serial_no };
  } finally {
    db.close();
  }
}

/**
 * Every record the hub holds has its credential, once, with the hub's content hash; revoked when
 * the hub holds a CANCEL. A diploma the hub only ever held cancelled was never published: nothing to revoke.
 */
function expectPublishedAsHubHolds(hub: HubSimulator, vneid: VneidSimulator): void {
  const held = hubHeld(hub);
  expect(held.size).toBeGreaterThan(0);
  let published = 0;
  for (const [idbanghi, h] of held) {
    const c = vneid.credential(idbanghi);
    const everValid = hub.history('vanbangchungchi', idbanghi).some((v) => v.sukien !== 'CANCEL');
    if (!everValid) {
      expect(c, idbanghi).toBeUndefined();
      continue;
    }
    published++;
    expect(c, idbanghi).toBeDefined();
    expect(c?.status, idbanghi).toBe(h.sukien === 'CANCEL' ? 'REVOKED' : 'ACTIVE');
    // a revoked credential keeps the hash of the version it was published with
    if (h.sukien !== 'CANCEL') expect(c?.documentHash, idbanghi).toBe(h.contentHash);
  }
  expect(vneid.state().credentials.length).toBe(published);
}

describe('VNeID credentials published after the hub, through a diploma life', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('publishes what the hub holds; a correction republishes the same key with the new hash; a revocation revokes', async () => {
    const { hub, url } = await startHub({}, { rateLimit: false });
    stops.push(() => hub.stop());
    const vneid = await startTestSimulator({ authorisedMembers: [UNIT] });
    stops.push(() => vneid.stop());
    const ws = makeWorkspace(url, { rateLimit: { perSecond: 1000, burst: 100 } }, 'lt-vneid-');
    withVneid(ws, vneid.url);
    const manifest = await generateUisDatabase({ driver: 'sqlite', path: ws.uisPath }, { records: 120, seed: 14 });
    const dirty = new Set(manifest.dirty.filter((d) => !d.fixable).map((d) => d.diplomaId));

    let r = await run(ws);
    expect(r.code, r.out).toBe(3); // the sample's dirty rows are held back
    expectPublishedAsHubHolds(hub, vneid);
    expect(vneid.state().credentials.every((c) => c.publications === 1)).toBe(true);

    // a correction with its decision: UPDATE at the hub (phienban 2, ThongTinHieuChinh), the same credential republished
    const corrected = validIssued(ws, dirty, 0);
    const key = diplomaRecordId(UNIT, corrected.serial);
    const before = vneid.credential(key);
    await changeDiplomaLife({ driver: 'sqlite', path: ws.uisPath }, corrected.id, { kind: 'correct' }, '2026-10-02T08:00:00');
    // a revocation
    const revoked = validIssued(ws, dirty, 1);
    const revokedKey = diplomaRecordId(UNIT, revoked.serial);
    await changeDiplomaLife({ driver: 'sqlite', path: ws.uisPath }, revoked.id, { kind: 'revoke' }, '2026-10-02T08:00:01');
    r = await run(ws);
    expect(r.code, r.out).toBe(3);
    const history = hub.history('vanbangchungchi', key);
    expect(history.map((h) => [h.phienban, h.sukien])).toEqual([
      [1, 'NEW'],
      [2, 'UPDATE'],
    ]);
    const after = vneid.credential(key);
    expect(after?.credentialId).toBe(before?.credentialId); // the same credential, under the same key
    expect(after?.documentHash).toBe(history[1]?.contentHash);
    expect(after?.documentHash).not.toBe(before?.documentHash);
    expect(after?.publications).toBe(2);
    expect(hub.history('vanbangchungchi', revokedKey).map((h) => h.sukien)).toEqual(['NEW', 'CANCEL']);
    expect(vneid.credential(revokedKey)).toMatchObject({ status: 'REVOKED', revocations: 1 });
    expectPublishedAsHubHolds(hub, vneid);

    // the reconciliation's VNeID column: asked of the service with QueryCredentials
    const rec = runCli(ws, 'reconcile', 'diplomas', '--lang', 'en');
    expect(await rec.exited, rec.output()).toBe(0);
    expect(rec.output()).toMatch(/VNeID: the credentials of the records the hub holds \(vneid\/vneid-vanbang\)/);
    const report = JSON.parse(readFileSync(join(ws.dir, 'data', 'reports', 'diplomas', 'latest', 'reconciliation.json'), 'utf8')) as { credentials: { counts: Record<'published' | 'missing' | 'hashDiffers' | 'revoked' | 'wrongState', number>; entries: { idbanghi: string; state: string }[] } };
    const state = (idbanghi: string): string | undefined => report.credentials.entries.find((e) => e.idbanghi === idbanghi)?.state;
    expect(state(revokedKey)).toBe('revoked');
    expect(state(key)).toBe('published');
    expect(report.credentials.counts.missing + report.credentials.counts.hashDiffers + report.credentials.counts.wrongState).toBe(0);
    expect(report.credentials.counts.published).toBe(vneid.state().credentials.filter((c) => c.status === 'ACTIVE').length);

    // a correction without its decision: held back at the source, nothing reaches the hub or VNeID
    const undecided = validIssued(ws, dirty, 2);
    await changeDiplomaLife({ driver: 'sqlite', path: ws.uisPath }, undecided.id, { kind: 'correct', withoutDecision: true }, '2026-10-02T08:00:02');
    r = await run(ws);
    expect(r.code, r.out).toBe(3);
    expect(hub.history('vanbangchungchi', diplomaRecordId(UNIT, undecided.serial)).length).toBe(1);
    expect(vneid.credential(diplomaRecordId(UNIT, undecided.serial))?.publications).toBe(1);
  }, 120_000);

  it('kill -9 between the hub accepting and VNeID publishing: every credential published exactly once after a restart', async () => {
    const { hub, url } = await startHub({}, { rateLimit: false });
    stops.push(() => hub.stop());
    // VNeID answers slowly: the hub is well ahead of it when the runner is killed
    const vneid = await startTestSimulator({ authorisedMembers: [UNIT], latencyMs: 25 });
    stops.push(() => vneid.stop());
    const ws = makeWorkspace(url, { rateLimit: { perSecond: 1000, burst: 100 } }, 'lt-vneid-kill-');
    withVneid(ws, vneid.url, { concurrency: 2 });
    await generateUisDatabase({ driver: 'sqlite', path: ws.uisPath }, { records: 300, seed: 15 });

    const cli = runCli(ws, 'run', 'diplomas');
    let killedAt: { hub: number; vneid: number } | null = null;
    while (killedAt === null) {
      const accepted = hub.stats().recordsAccepted;
      const published = vneid.state().credentials.length;
      if (accepted >= 150 && published >= 10 && published < accepted - 20) {
        cli.kill();
        killedAt = { hub: accepted, vneid: published };
      }
      if (await Promise.race([cli.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5))])) break;
    }
    expect(killedAt, `the run ended before it could be killed:\n${cli.output()}`).not.toBeNull();
    expect(await cli.exited).toBeNull(); // killed by the signal

    const r = await run(ws);
    expect(r.code, r.out).toBe(3); // the dirty rows stay held back; everything else went
    expectPublishedAsHubHolds(hub, vneid);
    // exactly once: each key applied once; a resend after the crash was a replay of the same message id
    const messages = vneid.state().messages.filter((m) => m.operation === 'PublishCredential');
    const applied = messages.filter((m) => m.applied && !m.replay);
    expect(applied.length).toBe(vneid.state().credentials.length);
    expect(messages.filter((m) => !m.replay && m.answer === '01').length).toBe(0);
    expect(vneid.state().credentials.every((c) => c.publications === 1)).toBe(true);
  }, 180_000);
});

import { mkdtempSync, rmSync, mkdirSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTemplateRegistry } from '../../src/cim/templates.js';
import { packageRoot } from '../../src/core/package-root.js';
import { generateUisDatabase, UIS_STUDENT_SNAPSHOT_QUERY, UIS_STUDENT_STATUS, uisStudentCodes, updateUisStudent } from '../../src/sample/uis.js';
import type { KioskSimulator } from './simulator/server.js';
import { kioskJob, resolvedKiosk, startKiosks, studentChanges, type KioskJobHarness } from './testing/support.js';

const dir = mkdtempSync(join(tmpdir(), 'lt-kiosk-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let kiosks: KioskSimulator[] = [];
let harness: KioskJobHarness | undefined;
let uis: string;
let n = 0;

beforeEach(async () => {
  uis = join(dir, `uis-${++n}.sqlite`);
  await generateUisDatabase({ driver: 'sqlite', path: uis }, { records: 5, seed: 4, currentStudents: 30 });
});
afterEach(async () => {
  for (const k of kiosks.splice(0)) await k.stop();
  await harness?.close();
  harness = undefined;
});

const later = (i: number): string => `2026-10-0${2 + i}T09:00:00`;

function job(options: { ids?: string[] } = {}): KioskJobHarness {
  const ids = options.ids ?? kiosks.map((_, i) => `kiosk-${i + 1}`);
  harness = kioskJob({ driver: 'sqlite', url: uis, query: UIS_STUDENT_SNAPSHOT_QUERY, kiosks: kiosks.map((k, i) => resolvedKiosk(k, ids[i] as string)) });
  return harness;
}

describe('cim-kiosk: store-and-forward to kiosk simulators through the engine', () => {
  it('pushes the four templates and every current student to each kiosk; withdrawn students are not put; a second run sends nothing', async () => {
    kiosks = await startKiosks(2);
    const h = job();
    const first = await h.run();
    expect(first.exitCode).toBe(0);
    const withdrawn = new Set(await uisStudentCodes({ driver: 'sqlite', path: uis }, UIS_STUDENT_STATUS.withdrawn));
    const all = await uisStudentCodes({ driver: 'sqlite', path: uis });
    for (const k of kiosks) {
      expect([...k.templates.keys()].sort()).toEqual(['BANG_DIEM_TAM_THOI_EN', 'BANG_DIEM_TAM_THOI_VI', 'CN_TOT_NGHIEP_TAM_THOI', 'XAC_NHAN_SINH_VIEN']);
      expect([...k.students.keys()].sort()).toEqual(all.filter((c) => !withdrawn.has(c)).sort());
      // templates first, then the students
      expect(k.applied.slice(0, 4).every((a) => a.kind === 'template')).toBe(true);
      const one = k.students.get(all.find((c) => !withdrawn.has(c)) as string);
      expect(Object.keys(one ?? {}).sort()).toEqual(['birthDate', 'cohort', 'faculty', 'fullName', 'programme', 'status', 'studentId', 'updatedAt']);
    }
    const received = kiosks.map((k) => k.received.length);
    const second = await h.run();
    expect(second.exitCode).toBe(0);
    expect(kiosks.map((k) => k.received.length - 1)).toEqual(received); // only the health check
    const health = await h.store.kioskHealth('kiosks');
    expect(health.map((x) => [x.kioskId, x.online, x.queueDepth, x.lastSyncAt !== null])).toEqual([
      ['kiosk-1', true, 0, true],
      ['kiosk-2', true, 0, true],
    ]);
  });

  it('a kiosk offline for the whole run: exit 3 naming it, changes kept; once back it gets every change once, in order', async () => {
    kiosks = await startKiosks(2, [{}, { startOffline: true }]);
    const h = job();
    const started = Date.now();
    const first = await h.run();
    // no minutes of backoff: refused connections mark it offline at once
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(first.exitCode).toBe(3);
    expect(first.outcome).toBe('partial');
    expect(first.notices.join('\n')).toMatch(/kiosk kiosk-2 \(http:\/\/127\.0\.0\.1:\d+\) is offline since .*: \d+ change\(s\) wait for it.*lienthong run kiosk-students/);
    expect(kiosks[1]?.received).toHaveLength(0);
    const [online, offline] = kiosks as [KioskSimulator, KioskSimulator];
    const health = await h.store.kioskHealth('kiosks');
    expect(health.find((x) => x.kioskId === 'kiosk-2')).toMatchObject({ online: false, lastErrorCode: 'KIOSK_OFFLINE' });
    expect(first.counts.deferred).toBe(health.find((x) => x.kioskId === 'kiosk-2')?.queueDepth);
    expect(first.counts.dead).toBe(0);

    // more changes while it is away
    const codes = await uisStudentCodes({ driver: 'sqlite', path: uis }, UIS_STUDENT_STATUS.studying);
    await updateUisStudent({ driver: 'sqlite', path: uis }, codes[0] as string, { status: UIS_STUDENT_STATUS.suspended }, later(0));
    await updateUisStudent({ driver: 'sqlite', path: uis }, codes[1] as string, { status: UIS_STUDENT_STATUS.withdrawn }, later(1));
    expect((await h.run()).exitCode).toBe(3);

    await offline.goOnline();
    const back = await h.run();
    expect(back.exitCode).toBe(0);
    // the same changes, in the same order, each once
    expect(offline.applied.map((a) => `${a.kind}:${a.key}`)).toEqual(
      dedupeKeepLast(online.applied.map((a) => `${a.kind}:${a.key}`)).filter((k) => k !== `student:${codes[1]}`),
    );
    expect(new Set(offline.received.filter((r) => r.method !== 'GET').map((r) => r.path)).size).toBe(offline.received.filter((r) => r.method !== 'GET').length);
    expect(offline.students.get(codes[0] as string)?.status).toBe('suspended');
    expect(offline.students.has(codes[1] as string)).toBe(false);
    expect([...offline.students.keys()].sort()).toEqual([...online.students.keys()].sort());
    expect((await h.store.kioskHealth('kiosks')).find((x) => x.kioskId === 'kiosk-2')).toMatchObject({ online: true, queueDepth: 0, offlineSince: null });
  });

  it('a student changing three times while a kiosk is offline arrives once, the latest', async () => {
    kiosks = await startKiosks(1);
    const h = job();
    expect((await h.run()).exitCode).toBe(0);
    const kiosk = kiosks[0] as KioskSimulator;
    await kiosk.goOffline();
    const [code] = await uisStudentCodes({ driver: 'sqlite', path: uis }, UIS_STUDENT_STATUS.studying);
    const statuses = [UIS_STUDENT_STATUS.suspended, UIS_STUDENT_STATUS.studying, UIS_STUDENT_STATUS.graduated];
    for (const [i, status] of statuses.entries()) {
      await updateUisStudent({ driver: 'sqlite', path: uis }, code as string, { status, fullName: `Nguyễn Văn Lần ${i + 1}` }, later(i));
      const run = await h.run();
      expect(run.exitCode).toBe(3);
      expect(run.counts.deferred).toBe(1); // coalesced: one queued change, whatever the number of runs
    }
    const before = kiosk.applied.length;
    await kiosk.goOnline();
    expect((await h.run()).exitCode).toBe(0);
    const arrived = kiosk.applied.slice(before);
    expect(arrived).toHaveLength(1);
    expect(arrived[0]).toMatchObject({ kind: 'student', op: 'put', key: code, body: { status: 'graduated', fullName: 'Nguyễn Văn Lần 3' } });
    expect(kiosk.received.filter((r) => r.method === 'PUT' && r.path.endsWith(`/${code}`))).toHaveLength(2);
  });

  it('lost responses: changes applied but answers dropped are sent again (idempotent PUT) and settle once', async () => {
    kiosks = await startKiosks(1, [{ dropAnswers: 3 }]);
    const h = job();
    const run = await h.run();
    expect(run.exitCode).toBe(0);
    const kiosk = kiosks[0] as KioskSimulator;
    const puts = kiosk.received.filter((r) => r.method === 'PUT');
    // three answers were lost: those three changes arrived twice, identical
    expect(puts.length).toBe(kiosk.applied.length + 3);
    expect(new Set(kiosk.applied.map((a) => `${a.kind}:${a.key}`)).size).toBe(kiosk.applied.length);
    expect((await h.store.kioskHealth('kiosks'))[0]).toMatchObject({ queueDepth: 0, online: true });
  });

  it('401 from a kiosk: a configuration error naming it (exit 2); the other kiosk is served; its changes wait for the right token', async () => {
    kiosks = await startKiosks(2);
    const h = job();
    const wrong = [resolvedKiosk(kiosks[0] as KioskSimulator, 'kiosk-1'), resolvedKiosk(kiosks[1] as KioskSimulator, 'kiosk-2', { token: 'not-the-token' })];
    const run = await h.run({ kiosks: wrong });
    expect(run.exitCode).toBe(2);
    expect(run.error?.code).toBe('KIOSK_UNAUTHORIZED');
    expect(run.error?.message).toMatch(/kiosk-2: .*401: the kiosk does not accept its token \(\d+ change\(s\) stay queued for it\)/);
    expect(kiosks[0]?.students.size).toBeGreaterThan(0);
    expect(kiosks[1]?.applied).toHaveLength(0);
    const fixed = await h.run();
    expect(fixed.exitCode).toBe(0);
    expect([...(kiosks[1] as KioskSimulator).students.keys()].sort()).toEqual([...(kiosks[0] as KioskSimulator).students.keys()].sort());
  });

  it('a kiosk answering 500 is asked again, then left queued (exit 3); a 422 is a dead letter of that kiosk', async () => {
    kiosks = await startKiosks(1, [{ failWith: 500 }]);
    const h = job();
    const failing = await h.run();
    expect(failing.exitCode).toBe(3);
    expect(failing.counts.dead).toBe(0);
    expect(failing.notices.join('\n')).toMatch(/kiosk kiosk-1 .* kept failing \(KIOSK_UNAVAILABLE/);
    const kiosk = kiosks[0] as KioskSimulator;
    expect(kiosk.received.filter((r) => r.method === 'PUT')).toHaveLength(3); // the first change, three attempts
    kiosk.setFailWith(422);
    const refused = await h.run();
    expect(refused.exitCode).toBe(3);
    expect(refused.counts.dead).toBeGreaterThan(0);
    // all of them kept in the kiosk's lane: the next steps name the kiosk commands, not dead-letters list
    expect(refused.deadInDestinationOutboxes).toBe(refused.counts.dead);
    const health = (await h.store.kioskHealth('kiosks'))[0];
    expect(health).toMatchObject({ queueDepth: 0 });
    expect(health?.dead).toBe(refused.counts.dead);
    expect(refused.notices.join('\n')).toContain('lienthong kiosks dead-letters --kiosk kiosk-1');
    expect(refused.notices.join('\n')).toContain('lienthong kiosks requeue --kiosk kiosk-1 --all');

    // the operator fixes the cause and requeues: the next run sends them, in their order, once
    const dead = await h.store.kioskDeadLetters({ kioskId: 'kiosk-1' });
    expect(dead).toHaveLength(refused.counts.dead);
    expect(dead.every((d) => d.code === 'KIOSK_REFUSED')).toBe(true);
    kiosk.setFailWith(undefined);
    expect(await h.store.kioskRequeue('kiosks', 'kiosk-1')).toHaveLength(dead.length);
    const before = kiosk.applied.length;
    const again = await h.run();
    expect(again.exitCode).toBe(0);
    expect(again.counts.dead).toBe(0);
    expect(kiosk.applied.slice(before).map((a) => a.key)).toEqual(dead.map((d) => d.key));
    expect((await h.store.kioskHealth('kiosks'))[0]).toMatchObject({ queueDepth: 0, dead: 0 });
  });

  it('a kiosk added to the connection later gets every current student and template, though the engine sends nothing new', async () => {
    kiosks = await startKiosks(3);
    harness = kioskJob({ driver: 'sqlite', url: uis, query: UIS_STUDENT_SNAPSHOT_QUERY, kiosks: kiosks.slice(0, 2).map((k, i) => resolvedKiosk(k, `kiosk-${i + 1}`)) });
    expect((await harness.run()).exitCode).toBe(0);
    const [first, , added] = kiosks as [KioskSimulator, KioskSimulator, KioskSimulator];
    const all = kiosks.map((k, i) => resolvedKiosk(k, `kiosk-${i + 1}`));
    const run = await harness.run({ kiosks: all });
    expect(run.exitCode).toBe(0);
    expect(run.counts.staged).toBe(0);
    expect([...added.students.entries()].sort()).toEqual([...first.students.entries()].sort());
    expect(added.templates.size).toBe(4);
    expect(new Set(added.applied.map((a) => a.key)).size).toBe(added.applied.length);
  });

  it('pushes a template again only when what a kiosk gets of it changes', async () => {
    kiosks = await startKiosks(1);
    const h = job();
    expect((await h.run()).exitCode).toBe(0);
    const changed = join(dir, `templates-${n}`);
    mkdirSync(changed);
    cpSync(join(packageRoot(), 'config/templates/cim'), changed, { recursive: true });
    const file = join(changed, 'cong-tac-sinh-vien.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    feeVnd: 0', '    feeVnd: 5000'));
    const kiosk = kiosks[0] as KioskSimulator;
    const before = kiosk.applied.length;
    expect((await h.run({ templates: loadTemplateRegistry(changed) })).exitCode).toBe(0);
    expect(kiosk.applied.slice(before).map((a) => `${a.kind}:${a.key}:${String(a.body?.feeVnd)}`)).toEqual(['template:XAC_NHAN_SINH_VIEN:5000']);
    expect(studentChanges(kiosk).length).toBeGreaterThan(0);
  });
});

/** each key once, at the place of its last occurrence (what coalescing makes of a change log) */
function dedupeKeepLast(keys: string[]): string[] {
  const last = new Map<string, number>();
  keys.forEach((k, i) => last.set(k, i));
  return keys.filter((k, i) => last.get(k) === i);
}

/**
 * The diploma job through the built CLI on a PostgreSQL university database nobody here designed
 * (see alien-pg.ts): what an IT centre meets on its first day (issue 9, item 12). Every case
 * starts from the same freshly generated database, a hub simulator of its own and a new
 * installation, so that each proves one thing and can fail alone.
 *
 * Runs when LIENTHONG_TEST_PG is set (and dist/ is built).
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPgAlienSchool, dropPgAlienSchool, PG_SCHEMA, withPg } from './alien-pg.js';
import { expectAllAtHub, expectCursorAt, expectNothingPersonalAtRest } from './checks.js';
import { generateAlienGraduates, vietnamTimestamptz, type Graduate } from './graduates.js';
import { RealHub } from './hub.js';
import { cli, jobQuery, entriesFor, explainedInBothLanguages, makeRealWorkspace, reconcile, status, writeJob, type JobOptions, type RealWorkspace } from './workspace.js';

const pgUrl = process.env.LIENTHONG_TEST_PG;
const RECORDS = 200;
const data = generateAlienGraduates(RECORDS, 9);
const byId = (id: number): Graduate => data.graduates[id - 1] as Graduate;
const last = byId(RECORDS);
/** the n-th issued diploma (not a cancelled one: a CANCEL carries less data to check) */
const issued = (n: number): Graduate => data.graduates.filter((g) => g.statusText === 'Đã cấp')[n] as Graduate;

interface Setup {
  hub: RealHub;
  ws: RealWorkspace;
}

describe.skipIf(!pgUrl)('real sources: a PostgreSQL university database of its own design', () => {
  const url = pgUrl as string;
  const hubs: RealHub[] = [];
  const dirs: string[] = [];

  /** the same database again, a new hub and a new installation with `job` changes */
  async function fresh(job: Partial<JobOptions> = {}): Promise<Setup> {
    await createPgAlienSchool(url, data);
    const hub = new RealHub();
    hubs.push(hub);
    await hub.start();
    const ws = makeRealWorkspace('postgres', url, hub.url, job);
    dirs.push(ws.dir);
    return { hub, ws };
  }

  const sql = (text: string, params: unknown[] = []): Promise<unknown> => withPg(url, (c) => c.query(text, params));
  const setChangedAt = (id: number, ms: number, micros = 0): Promise<unknown> =>
    sql(`UPDATE ${PG_SCHEMA}."văn_bằng" SET "thời_điểm_cập_nhật" = $1 WHERE "mã_vb" = $2`, [vietnamTimestamptz(ms, micros), id]);

  afterEach(async () => {
    for (const h of hubs.splice(0)) await h.dispose();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await dropPgAlienSchool(url);
  });

  it('a: the first sync, with no initialCursor, sends every record correctly and reconciles to the source count', async () => {
    const { hub, ws } = await fresh();
    const validate = await cli(ws, 'validate');
    expect(validate.code, validate.out).toBe(0);
    const run = await cli(ws, 'run', 'diplomas');
    expect(run.code, run.out).toBe(0);

    expect(hub.count()).toBe(RECORDS);
    expectAllAtHub(hub, data.graduates);
    const s = await status(ws);
    expect(s.targets[0]?.counts).toMatchObject({ accepted: RECORDS, pending: 0, dead: 0, rejected: 0 });
    expect(s.invalid).toBe(0);

    const { result, report } = await reconcile(ws);
    expect(result.code, result.out).toBe(0);
    expect(report.totals).toMatchObject({ source: RECORDS, accepted: RECORDS, pending: 0, dead: 0, missingAtHub: 0, extraAtHub: 0, mismatched: 0 });
  }, 120_000);

  it('a: the cursor is kept as the database typed it, with every microsecond', async () => {
    const { ws } = await fresh();
    const run = await cli(ws, 'run', 'diplomas');
    expect(run.code, run.out).toBe(0);
    // timestamptz written with +07 and microseconds, read back by a UTC session: the same instant
    expectCursorAt((await status(ws)).cursor, 'timestamptz', last);
  }, 120_000);

  it('b: a misspelled alias stops check and run with exit 2, names the column and its closest match, sends nothing', async () => {
    const { hub, ws } = await fresh({ query: jobQuery('postgres', { birth_date: 'birth_dat' }) });
    const check = await cli(ws, 'check');
    expect(check.code, check.out).toBe(2);
    expect(check.out).toContain('birth_dat');
    expect(check.out).toContain('birth_date');
    const run = await cli(ws, 'run', 'diplomas');
    expect(run.code, run.out).toBe(2);
    expect(run.out).toContain('birth_dat');
    expect(run.out).toContain('birth_date');
    expect(hub.stats()).toMatchObject({ batches: 0, recordsAccepted: 0 });
    expect(hub.count()).toBe(0);
    expect((await status(ws)).cursor).toBeNull();
  }, 120_000);

  it('c: a late commit inside the lookback arrives on the next run; unchanged re-reads cost no send', async () => {
    const { hub, ws } = await fresh();
    expect((await cli(ws, 'run', 'diplomas')).code).toBe(0);
    const batchesAfterFirst = hub.stats().batches;

    // a transaction that began before the last run and committed after it: its change time is
    // two minutes older than the saved cursor (inside the default 10-minute lookback)
    const late = issued(140);
    const classification = late.classification === 'Giỏi' ? 'Khá' : 'Giỏi';
    await sql(`UPDATE ${PG_SCHEMA}."văn_bằng" SET "xếp_loại" = $1 WHERE "mã_vb" = $2`, [classification, late.id]);
    await setChangedAt(late.id, last.changedAtMs - 120_000, 123);

    const run = await cli(ws, 'run', 'diplomas');
    expect(run.code, run.out).toBe(0);
    expect(hub.record(late.serialNo)).toMatchObject({ phienban: 2, sukien: 'UPDATE', data: { xeploaitn: classification } });
    expect(hub.stats().recordsAccepted).toBe(RECORDS + 1);
    expect(hub.stats().batches).toBe(batchesAfterFirst + 1);
    // the cursor did not go back to the late row
    expectCursorAt((await status(ws)).cursor, 'timestamptz', last);

    const again = await cli(ws, 'run', 'diplomas');
    expect(again.code, again.out).toBe(0);
    expect(hub.stats().batches, 'an unchanged re-read within the lookback sends nothing').toBe(batchesAfterFirst + 1);
  }, 120_000);

  it('d: a hub outage leaves every record pending (no dead letters, exit 3); the next run sends them', async () => {
    const { hub, ws } = await fresh({ destination: { retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100, budgetMs: 1500 } } });
    // the hub answers 503 to everything…
    hub.sim.setFaults({ errorRate: 1, errorStatuses: [503] });
    const down = await cli(ws, 'run', 'diplomas');
    expect(down.code, down.out).toBe(3);
    let s = await status(ws);
    expect(s.targets[0]?.counts).toMatchObject({ accepted: 0, dead: 0, pending: RECORDS });
    expect(s.runs[0]?.counts.deferred).toBe(RECORDS);
    expect((await cli(ws, 'dead-letters', 'list', 'diplomas')).out).toContain('0 dead letter(s)');

    // …then is not there at all
    await hub.stop();
    const gone = await cli(ws, 'run', 'diplomas');
    expect(gone.code, gone.out).toBe(3);
    s = await status(ws);
    expect(s.targets[0]?.counts).toMatchObject({ accepted: 0, dead: 0, pending: RECORDS });

    // back, with what it had: a plain run (no flag, no dead-letters retry) sends everything once
    await hub.start();
    const back = await cli(ws, 'run', 'diplomas');
    expect(back.code, back.out).toBe(0);
    s = await status(ws);
    expect(s.targets[0]?.counts).toMatchObject({ accepted: RECORDS, dead: 0, pending: 0 });
    expectAllAtHub(hub, data.graduates);
  }, 180_000);

  it('e: dirty rows are held back with reasons in vi and en; a fixed row goes out on a plain run', async () => {
    const { hub, ws } = await fresh();
    const [order, status4, dupA, dupB, fffd] = [issued(10), issued(20), issued(30), issued(40), issued(50)];
    // issued a month before the graduation decision
    const early = new Date(Date.parse(order.decision.decisionDate) - 30 * 86_400_000).toISOString().slice(0, 10);
    await sql(`UPDATE ${PG_SCHEMA}."văn_bằng" SET "ngày_cấp" = $1 WHERE "mã_vb" = $2`, [early, order.id]);
    await sql(`UPDATE ${PG_SCHEMA}."văn_bằng" SET "trạng_thái" = 'Đang chờ ký' WHERE "mã_vb" = $1`, [status4.id]);
    await sql(`UPDATE ${PG_SCHEMA}."văn_bằng" SET "số_hiệu" = $1 WHERE "mã_vb" = $2`, [dupA.serialNo, dupB.id]);
    // what a bad import leaves when it decodes legacy text wrongly
    await sql(`UPDATE ${PG_SCHEMA}."sinh_viên" SET "họ_và_tên" = $1 WHERE "mã_sv" = $2`, [fffd.fullName.replace(/ (\S)/, ' \uFFFD$1'), fffd.studentCode]);
    const held = [order, status4, dupA, dupB, fffd];

    const run = await cli(ws, 'run', 'diplomas');
    expect(run.code, run.out).toBe(3);
    const s = await status(ws);
    expect(s.invalid).toBe(held.length);
    expect(s.targets[0]?.counts).toMatchObject({ accepted: RECORDS - held.length, dead: 0, pending: 0 });
    // neither of two diplomas with one serial is sent: the first one read may be the wrong holder
    for (const g of [order, status4, dupA, fffd]) expect(hub.record(g.serialNo), `diploma ${g.id}`).toBeUndefined();

    const { report } = await reconcile(ws);
    const totals = report.totals;
    expect(totals.source).toBe(RECORDS);
    expect(totals.accepted).toBe(RECORDS - held.length);
    const heldColumns = Object.keys(totals).filter((k) => /invalid|held/i.test(k));
    expect(heldColumns.length, 'a column for records held back at the source').toBeGreaterThan(0);
    const settled = ['accepted', 'rejected', 'pending', 'dead', 'conflicts', ...heldColumns].reduce((n, k) => n + (totals[k] ?? 0), 0);
    expect(settled, `totals add up to the source count: ${JSON.stringify(totals)}`).toBe(RECORDS);
    for (const g of held) {
      const entries = entriesFor(report, String(g.id)).filter((e) => typeof e.code === 'string');
      expect(entries.length, `diploma ${g.id} listed with its reason`).toBeGreaterThan(0);
      for (const e of entries) expect(explainedInBothLanguages(report, e.code as string), `${String(e.code)} explained in vi and en`).toBe(true);
    }
    expect(entriesFor(report, String(status4.id)).some((e) => e.code === 'STATUS_UNKNOWN')).toBe(true);

    // fixed in the database, most of them by hand without touching the change time
    await sql(`UPDATE ${PG_SCHEMA}."văn_bằng" SET "ngày_cấp" = $1 WHERE "mã_vb" = $2`, [order.issueDate, order.id]);
    await sql(`UPDATE ${PG_SCHEMA}."văn_bằng" SET "trạng_thái" = 'Đã cấp' WHERE "mã_vb" = $1`, [status4.id]);
    await sql(`UPDATE ${PG_SCHEMA}."sinh_viên" SET "họ_và_tên" = $1 WHERE "mã_sv" = $2`, [fffd.fullName, fffd.studentCode]);
    // the duplicate gets its own serial through the application, which stamps the change time
    await sql(`UPDATE ${PG_SCHEMA}."văn_bằng" SET "số_hiệu" = $1, "thời_điểm_cập_nhật" = now() WHERE "mã_vb" = $2`, [`${dupB.serialNo}-S`, dupB.id]);

    const fixed = await cli(ws, 'run', 'diplomas');
    expect(fixed.code, fixed.out).toBe(0);
    const after = await status(ws);
    expect(after.invalid).toBe(0);
    expect(after.targets[0]?.counts).toMatchObject({ accepted: RECORDS, dead: 0, pending: 0 });
    for (const g of [order, status4, dupA, fffd]) expect(hub.record(g.serialNo), `diploma ${g.id} sent once fixed`).toMatchObject({ phienban: 1 });
    expect(hub.record(`${dupB.serialNo}-S`)).toMatchObject({ phienban: 1 });
    expect(hub.record(fffd.serialNo)?.data.hovaten).toBe(fffd.fullName.normalize('NFC'));
  }, 180_000);

  it('f: a run with mostly invalid records stops (exit 1, RUN_HELD_INVALID_SHARE) and keeps its cursor; fixed, a plain run sends them', async () => {
    // a date format the mapping does not read: every record invalid, on the very first run
    const badQuery = jobQuery('postgres').replace('sv."ngày_sinh" AS birth_date', `to_char(sv."ngày_sinh", 'Mon DD, YYYY') AS birth_date`);
    expect(badQuery).not.toBe(jobQuery('postgres'));
    const { hub, ws } = await fresh({ query: badQuery });
    const first = await cli(ws, 'run', 'diplomas');
    expect(first.code, first.out).toBe(1);
    expect(first.out).toContain('RUN_HELD_INVALID_SHARE');
    let s = await status(ws);
    expect(s.cursor, 'the cursor did not move').toBeNull();
    expect(s.runs[0]?.error?.code).toBe('RUN_HELD_INVALID_SHARE');
    expect(hub.count()).toBe(0);

    writeJob(ws, { query: jobQuery('postgres') });
    const repaired = await cli(ws, 'run', 'diplomas');
    expect(repaired.code, repaired.out).toBe(0);
    expect(hub.count()).toBe(RECORDS);
    s = await status(ws);
    const cursor = s.cursor;
    expectCursorAt(cursor, 'timestamptz', last);

    // later: 100 diplomas get new register numbers, and the SELECT is broken again the same day
    const touched = data.graduates.slice(0, 100);
    await sql(`UPDATE ${PG_SCHEMA}."văn_bằng" SET "số_vào_sổ" = 'R-' || "mã_vb", "thời_điểm_cập_nhật" = now() WHERE "mã_vb" <= 100`);
    writeJob(ws, { query: badQuery });
    const broken = await cli(ws, 'run', 'diplomas');
    expect(broken.code, broken.out).toBe(1);
    expect(broken.out).toContain('RUN_HELD_INVALID_SHARE');
    expect((await status(ws)).cursor, 'the cursor stayed where it was').toEqual(cursor);
    expect(hub.record(byId(1).serialNo)?.phienban).toBe(1);

    writeJob(ws, { query: jobQuery('postgres') });
    const again = await cli(ws, 'run', 'diplomas');
    expect(again.code, again.out).toBe(0);
    // (issued ones: what a CANCEL carries is the mapping's business)
    for (const g of touched.filter((t) => t.statusText === 'Đã cấp')) {
      expect(hub.record(g.serialNo), `diploma ${g.id}`).toMatchObject({ phienban: 2, data: { sovaosogoc: `R-${g.id}` } });
    }
  }, 180_000);

  it('h: after a run the state directory is private and holds no personal id or name of a sent record', async () => {
    const { ws } = await fresh();
    const run = await cli(ws, 'run', 'diplomas');
    expect(run.code, run.out).toBe(0);
    expectNothingPersonalAtRest(ws.dataDir, data.graduates);
  }, 120_000);
});

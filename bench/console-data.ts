/**
 * The console benchmark's data: a state store whose ledger holds ROWS records of one job at one
 * target, settled as a real installation's would be after many runs (96% accepted, 2% rejected,
 * 0.5% dead, 0.5% in conflict, 1% still pending, the unsettled ones with their envelope in the
 * outbox), and a history of runs.
 *
 * The store is created (and migrated) by the store itself; the rows are then written by one SQL
 * statement in one transaction on the same file, as the staging statement would leave them: a
 * million rows through stage() and applyOutcomes() take over a minute on this machine (two
 * statements a row, each with its index updates, and synchronous=FULL), this takes seconds. The
 * counts are read back through the store (`statusCounts`) to check that the rows are ones it reads.
 */
import Database from 'better-sqlite3';
import { SqliteStateStore } from '../stores/sqlite/sqlite-store.js';
import { subjectHash } from '../src/core/subject-hash.js';
import { emptyCounts, type LedgerStatus, type TargetId } from '../src/store/store.js';

export interface FillOptions {
  job: string;
  target: TargetId;
  rows: number;
  /** runs in the job's history */
  runs?: number;
}

export interface FilledLedger {
  rows: number;
  seconds: number;
  /** a few records to look up, spread over the ledger: source keys, national ids and run ids */
  picks: number[];
  sourceKeys: string[];
  idbanghis: string[];
  runIds: string[];
}

/** the national record id of row i: a unit code, a year and a serial, as the diploma mapping makes them */
export const idbanghiOf = (i: number): string => `BENCH01-VB-2026-${String(i).padStart(7, '0')}`;
/** the graduate's personal id (12-digit CCCD) of row i: a province, a century and year, a serial */
export const personalIdOf = (i: number): string => `07920${String(i).padStart(7, '0')}`;
/** the source key of row i: the university's own diploma key */
export const sourceKeyOf = (i: number): string => `dip-${String(i).padStart(7, '0')}`;

/** the status of row i, as SQL over `i` (the split expectedCounts counts) */
const STATUS_SQL = "CASE WHEN i % 200 < 4 THEN 'rejected' WHEN i % 200 = 4 THEN 'dead' WHEN i % 200 = 5 THEN 'stale' WHEN i % 200 IN (6, 7) THEN 'pending' ELSE 'accepted' END";

/** how many rows of `rows` have each status */
export function expectedCounts(rows: number): Record<LedgerStatus, number> {
  const counts: Record<LedgerStatus, number> = { pending: 0, sent: 0, accepted: 0, stale: 0, rejected: 0, dead: 0 };
  const full = Math.floor(rows / 200);
  const add = (status: LedgerStatus, per: number): void => void (counts[status] += full * per);
  add('rejected', 4);
  add('dead', 1);
  add('stale', 1);
  add('pending', 2);
  add('accepted', 192);
  for (let i = full * 200; i < rows; i++) {
    const r = i % 200;
    counts[r < 4 ? 'rejected' : r === 4 ? 'dead' : r === 5 ? 'stale' : r < 8 ? 'pending' : 'accepted']++;
  }
  return counts;
}

/** Creates the store at `path`, writes `rows` ledger rows and a run history, and checks what the store reads. */
export async function fillLedger(path: string, o: FillOptions): Promise<FilledLedger> {
  const started = process.hrtime.bigint();
  await new SqliteStateStore(path).close(); // the schema, as the store makes it
  const db = new Database(path);
  try {
    db.pragma('synchronous = OFF');
    db.pragma('secure_delete = OFF');
    const t = new Date().toISOString();
    // the keyed hash of each graduate's personal id, with the store's own key, as staging makes it
    const { value: keyHex } = db.prepare("SELECT value FROM store_meta WHERE key = 'subject_key'").get() as { value: string };
    const key = Buffer.from(keyHex, 'hex');
    db.function('bench_subject_hash', { deterministic: true }, (i) => subjectHash(key, personalIdOf(Number(i))));
    // the ledger's indexes are dropped and made again after the insert, in the same transaction:
    // building an index over sorted keys once is several times faster than keeping it up to date
    // row by row (the subject hashes are random), and the schema stays exactly the store's
    const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ledger' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
    db.transaction(() => {
      for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
      db.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @rows)
         INSERT INTO ledger (target, idbanghi, source_key, job, content_hash, phienban, status, attempts, last_error, receipt_id, hub_phienban, hub_content_hash, created_at, updated_at, accepted_at, subject_hash)
         SELECT @target, printf('BENCH01-VB-2026-%07d', i), printf('dip-%07d', i), @job, printf('%064x', i * 2654435761), 1, ${STATUS_SQL}, 1,
           CASE ${STATUS_SQL} WHEN 'rejected' THEN '{"code":"DATE_INVALID","message":"ngaysinh: ngày sinh không hợp lệ"}' WHEN 'dead' THEN '{"code":"RECORD_TOO_LARGE","message":"the destination refuses this record alone as too large (413)"}' WHEN 'stale' THEN '{"code":"VERSION_CONFLICT","message":"the hub holds phienban 2 with other content"}' END,
           CASE ${STATUS_SQL} WHEN 'accepted' THEN 'rcpt-' || i END,
           CASE ${STATUS_SQL} WHEN 'stale' THEN 2 END,
           CASE ${STATUS_SQL} WHEN 'stale' THEN printf('%064d', 0) END,
           @t, @t, CASE ${STATUS_SQL} WHEN 'accepted' THEN @t END, bench_subject_hash(i)
         FROM n`,
      ).run({ rows: o.rows, target: o.target, job: o.job, t });
      for (const index of indexes) db.exec(index.sql);
      // what is not settled for good keeps its envelope, as applyOutcomes leaves it
      db.prepare(`INSERT INTO outbox (ledger_id, phienban, envelope) SELECT id, phienban, json_object('idbanghi', idbanghi, 'phienban', phienban, 'sukien', 'NEW', 'dulieu', json_object('nganhdaotao', 'Công nghệ thông tin', 'xeploai', 'Khá')) FROM ledger WHERE job = @job AND status IN ('pending', 'dead', 'stale')`).run({ job: o.job });
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  const store = new SqliteStateStore(path);
  try {
    const counts = await store.statusCounts(o.target);
    const expected = expectedCounts(o.rows);
    for (const status of Object.keys(expected) as LedgerStatus[]) {
      if (counts[status] !== expected[status]) throw new Error(`the store reads ${counts[status]} ${status} rows, ${expected[status]} were written: the bench's SQL no longer fits the schema`);
    }
    return await recordRuns(store, o, started);
  } finally {
    await store.close();
  }
}

async function recordRuns(store: SqliteStateStore, o: FillOptions, started: bigint): Promise<FilledLedger> {
  const runIds: string[] = [];
  const runs = o.runs ?? 300;
  const perRun = Math.ceil(o.rows / runs);
  for (let r = 0; r < runs; r++) {
    const run = await store.startRun(o.job, r % 10 === 0 ? 'manual' : 'schedule');
    const staged = Math.min(perRun, Math.max(0, o.rows - r * perRun));
    await store.finishRun(run.id, r % 25 === 0 ? 'partial' : 'succeeded', { ...emptyCounts(), read: staged, mapped: staged, staged, sent: staged, accepted: Math.floor(staged * 0.96), rejected: Math.floor(staged * 0.02) }, null);
    runIds.push(run.id);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // records spread over the whole ledger: the first, the middle, the last and between
  const picks = [0, 1, Math.floor(o.rows / 3), Math.floor(o.rows / 2), Math.floor((o.rows * 2) / 3), o.rows - 1].map((i) => Math.min(Math.max(i, 0), o.rows - 1));
  return { rows: o.rows, seconds, picks, sourceKeys: picks.map(sourceKeyOf), idbanghis: picks.map(idbanghiOf), runIds: [runIds[0] ?? '', runIds[Math.floor(runIds.length / 2)] ?? '', runIds[runIds.length - 1] ?? ''] };
}

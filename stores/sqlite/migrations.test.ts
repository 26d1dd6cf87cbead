import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, TRANSIENT_DEAD_LETTER_CODES, sqliteMigrations } from './migrations.js';
import { SqliteStateStore } from './sqlite-store.js';
import { readMarker } from './store-files.js';

const T = 'hub/vanbangchungchi';
const opened: SqliteStateStore[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

function newPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'lt-migrate-')), 'state.db');
}

/** a database as lienthong of schema `version` left it, made by the released migrations */
function oldStore(path: string, version: number): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  for (const m of sqliteMigrations.filter((x) => x.version <= version)) db.exec(m.sql);
  db.pragma(`user_version = ${version}`);
  return db;
}

/**
 * A store of schema `version` holding the version 2 ledger rows (and what `fill` adds), opened by
 * this program: migrated to the latest version.
 */
function upgraded(version: number, fill: (db: Database.Database) => void = () => undefined): SqliteStateStore {
  const path = newPath();
  const db = oldStore(path, version);
  fillV2(db);
  fill(db);
  db.close();
  const store = new SqliteStateStore(path);
  opened.push(store);
  expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
  expect((store.db.prepare('SELECT COUNT(*) AS n FROM ledger').get() as { n: number }).n).toBe(V2_ROWS.length);
  return store;
}

const env = (id: string, phienban = 1): string => JSON.stringify({ idbanghi: id, sukien: 'NEW', phienban, thoigiancapnhat: '2026-06-01T00:00:00', data: { sohieu: id } });
const error = (code: string, message: string): string => JSON.stringify({ code, message });

/** ledger rows of a version 2 store: status, last error, and whether the outbox holds the envelope */
const V2_ROWS: [id: string, status: string, lastError: string | null, envelope: boolean][] = [
  ['acc', 'accepted', null, true], // an envelope left by an older version: no longer needed
  ['rej', 'rejected', error('INVALID_CODE', 'x'), true],
  ['d503', 'dead', error('HUB_UNAVAILABLE', 'gave up after 8 attempts: the hub failed (503, HTTP 503)'), true],
  ['d429', 'dead', error('HUB_RATE_LIMITED', 'the hub is rate limiting (429)'), true],
  ['dtimeout', 'dead', error('HUB_TIMEOUT', 'gave up after 8 attempts: the hub did not answer in time'), true],
  ['drec', 'dead', error('RECORD_TRANSIENT', 'gave up after 8 attempts'), true],
  ['dgaveup', 'dead', error('SQLITE_BUSY', 'gave up after 3 attempts: busy'), true],
  ['d400', 'dead', error('HUB_BAD_REQUEST', 'the hub refused the request (400)'), true],
  ['d413', 'dead', error('RECORD_TOO_LARGE', 'the destination refuses this record alone as too large (413)'), true],
  ['dlost', 'dead', error('HUB_NETWORK', 'gave up after 8 attempts: no answer'), false], // nothing left to send
  ['stale', 'stale', error('VERSION_CONFLICT', 'the hub holds phienban 4 with other content'), true],
  ['pend', 'pending', null, true],
];

function fillV2(db: Database.Database): void {
  const ins = db.prepare(
    "INSERT INTO ledger (target, idbanghi, source_key, job, content_hash, phienban, status, attempts, last_error, hub_phienban, created_at, updated_at) VALUES (?, ?, ?, 'diplomas', ?, 1, ?, 8, ?, ?, '2026-06-01T00:00:00Z', '2026-06-01T00:00:00Z') RETURNING id",
  );
  const out = db.prepare('INSERT INTO outbox (ledger_id, phienban, envelope) VALUES (?, 1, ?)');
  for (const [id, status, lastError, envelope] of V2_ROWS) {
    const row = ins.get(T, id, `k-${id}`, `h-${id}`, status, lastError, status === 'stale' ? 4 : null) as { id: number };
    if (envelope) out.run(row.id, env(id));
  }
  const cursor = db.prepare("INSERT INTO cursors (job, stream, cursor, updated_at) VALUES (?, ?, ?, '2026-06-01T00:00:00Z')");
  cursor.run('diplomas', 'diplomas', '2026-06-20 10:00:00.123456+07');
  cursor.run('rows', 'rows', '2000');
  cursor.run('bare', 'bare', 12345n); // an integer: TEXT affinity keeps it as the text '12345'
}

describe('state store migrations', () => {
  it('brings a version 2 store to the latest, keeping every row, and makes its files private', async () => {
    const path = newPath();
    const v2 = oldStore(path, 2);
    fillV2(v2);
    v2.close();
    expect(readMarker(path)).toBeNull();

    const s = new SqliteStateStore(path);
    opened.push(s);
    expect(s.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(LATEST_VERSION).toBe(sqliteMigrations.length);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // the store got an id, and the marker beside it holds the same
    expect(s.storeId).toMatch(/^[0-9a-f]{32}$/);
    expect(readMarker(path)).toBe(s.storeId);
    expect(await s.warningCount('diplomas')).toBe(0);

    // cursors saved as bare values read as legacy text and integer cursors
    expect(await s.getCursor('diplomas', 'diplomas')).toEqual({ type: 'text', value: '2026-06-20 10:00:00.123456+07' });
    expect(await s.getCursor('rows', 'rows')).toEqual({ type: 'integer', value: '2000' });
    expect(await s.getCursor('bare', 'bare')).toEqual({ type: 'integer', value: '12345' });

    // dead letters that only ran out of retries on transient failures are pending again, with
    // their envelopes: the next run sends them. Permanent ones stay dead.
    const entries = await s.getLedgerEntries(T, V2_ROWS.map(([id]) => id));
    const statusOf = (id: string): string | undefined => entries.get(id)?.status;
    for (const id of ['d503', 'd429', 'dtimeout', 'drec', 'dgaveup']) {
      expect({ id, status: statusOf(id) }).toEqual({ id, status: 'pending' });
      expect(entries.get(id)?.attempts).toBe(0);
      expect(entries.get(id)?.lastError?.code).toBeDefined(); // why it was dead is still told
    }
    expect([statusOf('d400'), statusOf('d413'), statusOf('dlost'), statusOf('stale'), statusOf('acc'), statusOf('rej')]).toEqual(['dead', 'dead', 'dead', 'stale', 'accepted', 'rejected']);
    const page = await s.outboxPage(T, null, 100);
    expect(page.items.map((i) => i.idbanghi)).toEqual(['d503', 'd429', 'dtimeout', 'drec', 'dgaveup', 'pend']);
    expect(JSON.parse(page.items[0]!.envelopeJson)).toMatchObject({ idbanghi: 'd503', phienban: 1 });

    // settled records keep no envelope; dead and conflicting ones keep theirs to be resent
    const outboxIds = (s.db.prepare('SELECT l.idbanghi FROM outbox o JOIN ledger l ON l.id = o.ledger_id ORDER BY l.id').all() as { idbanghi: string }[]).map((r) => r.idbanghi);
    expect(outboxIds).not.toContain('acc');
    expect(outboxIds).not.toContain('rej');
    expect(outboxIds).toEqual(expect.arrayContaining(['d400', 'd413', 'stale']));
    // the dead letters left, with the envelopes they kept through the migration; dlost has nothing to send
    const letters = await s.deadLetters(T);
    expect(letters.map((d) => [d.idbanghi, d.status, d.encoded === null])).toEqual(expect.arrayContaining([['d400', 'dead', false], ['d413', 'dead', false], ['dlost', 'dead', true], ['stale', 'stale', false]]));
    expect(JSON.parse(letters.find((d) => d.idbanghi === 'd400')?.encoded ?? '{}')).toMatchObject({ idbanghi: 'd400', phienban: 1 });
    const conflict = letters.find((d) => d.idbanghi === 'stale');
    expect(await s.requeue(T, [...letters.filter((d) => d.status === 'dead').map((d) => ({ idbanghi: d.idbanghi, phienban: d.phienban })), { idbanghi: 'stale', phienban: conflict?.phienban ?? 0, reencoded: { phienban: (conflict?.heldVersion ?? 0) + 1, encoded: 'stale at its new version' } }])).toBe(3);
    const again = (await s.outboxPage(T, null, 100)).items.map((i) => [i.idbanghi, i.phienban]);
    expect(again).toEqual(expect.arrayContaining([['d400', 1], ['d413', 1], ['stale', 5]]));
  });

  it('brings a version 1 store to the latest with the same steps', async () => {
    const path = newPath();
    const v1 = oldStore(path, 1);
    v1.prepare("INSERT INTO ledger (target, idbanghi, source_key, job, content_hash, phienban, status, attempts, last_error, created_at, updated_at) VALUES (?, ?, ?, 'diplomas', 'h', 1, ?, 8, ?, 't', 't')").run(T, 'd', 'k-d', 'dead', error('HUB_UNAVAILABLE', 'gave up after 8 attempts'));
    v1.prepare("INSERT INTO ledger (target, idbanghi, source_key, job, content_hash, phienban, status, attempts, last_error, created_at, updated_at) VALUES (?, ?, ?, 'diplomas', 'h', 1, 'accepted', 1, NULL, 't', 't')").run(T, 'a', 'k-a');
    v1.prepare('INSERT INTO outbox (target, idbanghi, phienban, envelope) VALUES (?, ?, 1, ?)').run(T, 'd', env('d'));
    v1.prepare('INSERT INTO outbox (target, idbanghi, phienban, envelope) VALUES (?, ?, 1, ?)').run(T, 'a', env('a'));
    v1.prepare("INSERT INTO cursors (job, stream, cursor, updated_at) VALUES ('diplomas', 'diplomas', '2026-06-20T10:00:00', 't')").run();
    v1.close();

    const s = new SqliteStateStore(path);
    opened.push(s);
    expect(s.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect((await s.getLedgerEntries(T, ['d'])).get('d')?.status).toBe('pending');
    expect((await s.outboxPage(T, null, 10)).items.map((i) => i.idbanghi)).toEqual(['d']);
    expect(await s.getCursor('diplomas', 'diplomas')).toEqual({ type: 'text', value: '2026-06-20T10:00:00' });
    expect(readMarker(path)).toBe(s.storeId);
  });

  it('names the transient codes of the hub client and the deliverer', () => {
    expect(TRANSIENT_DEAD_LETTER_CODES).toEqual(expect.arrayContaining(['HUB_RATE_LIMITED', 'HUB_UNAVAILABLE', 'HUB_TIMEOUT', 'HUB_NETWORK', 'RECORD_TRANSIENT']));
    expect(TRANSIENT_DEAD_LETTER_CODES).not.toContain('HUB_BAD_REQUEST');
  });
});

describe('migration to version 4 (the console)', () => {
  it('keeps every ledger row, adds the lookups, the subject key and empty console tables', async () => {
    const store = upgraded(3);
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM ledger WHERE subject_hash IS NOT NULL').get() as { n: number }).n).toBe(0);
    expect((await store.findLedger('diplomas', { sourceKey: 'k-pend' }, 5)).map((e) => e.idbanghi)).toEqual(['pend']);
    expect((await store.findLedger('diplomas', { idbanghi: 'stale' }, 5)).map((e) => e.status)).toEqual(['stale']);
    expect(await store.subjectKey()).toHaveLength(32);
    expect(await store.listUsers()).toEqual([]);
    expect(await store.auditHead()).toBeNull();
  });

  it('refuses to change or delete an audit entry', async () => {
    const store = new SqliteStateStore(newPath());
    opened.push(store);
    await store.appendAudit({ actor: 'lan', action: 'login', subject: null, address: '127.0.0.1', outcome: 'ok', detail: {} });
    expect(() => store.db.prepare("UPDATE audit_log SET actor = 'an'").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect((await store.auditEntries()).map((e) => e.actor)).toEqual(['lan']);
  });

  it('looks records up through the indexes, never a scan of the ledger', () => {
    const store = new SqliteStateStore(newPath());
    opened.push(store);
    const plan = (sql: string, ...args: unknown[]): string => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT * FROM ledger WHERE job = ? AND source_key = ?', 'j', 'k')).toMatch(/USING INDEX ledger_source_key/);
    expect(plan("SELECT * FROM ledger WHERE target = ? AND status = 'dead' AND idbanghi > ? ORDER BY idbanghi LIMIT 10", 't', '')).toMatch(/USING INDEX ledger_status/);
    expect(plan('SELECT * FROM ledger WHERE target = ? AND idbanghi > ? AND job = ? ORDER BY idbanghi LIMIT 10', 't', '', 'j')).not.toMatch(/TEMP B-TREE/);
  });
});

describe('migration to version 5 (remote signing)', () => {
  it('upgrades a version 4 store with accounts and audit entries, keeping them, with empty signing tables that work', async () => {
    const store = upgraded(4, (db) => db.prepare("INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ('lan', 'admin', 'h', 't', 't')").run());
    expect((await store.listUsers()).map((u) => u.username)).toEqual(['lan']);
    expect(await store.signingDocuments('hocba')).toEqual([]);
    expect(await store.signingDocumentCounts('hocba')).toEqual({ awaiting: 0, complete: 0, returned: 0 });
    await store.putSigningDocument({ job: 'hocba', idbanghi: 'hb1', contentHash: 'h1', phienban: 1, xml: '<x/>', state: 'awaiting', awaiting: [{ role: 'homeroom', signerId: '001099012345' }], reason: null });
    expect(await store.getSigningDocument('hocba', 'hb1')).toMatchObject({ state: 'awaiting', awaiting: [{ role: 'homeroom' }] });
  });

  it('upgrades a version 6 store: accounts keep their role and get no personal id; a signer account keeps only the hash and the masked id', async () => {
    const path = newPath();
    const db = oldStore(path, 6);
    db.prepare("INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ('lan', 'operator', 'h', 't', 't')").run();
    db.close();
    const store = new SqliteStateStore(path);
    opened.push(store);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(await store.getUser('lan')).toMatchObject({ role: 'operator', personalIdHash: null, personalIdMasked: null });
    await store.createUser({ username: 'minh', role: 'teacher', passwordHash: 'h', personalIdHash: 'ab'.repeat(32), personalIdMasked: '********0003' });
    expect(await store.getUser('minh')).toMatchObject({ role: 'teacher', personalIdHash: 'ab'.repeat(32), personalIdMasked: '********0003' });
    const columns = (store.db.prepare('PRAGMA table_info(users)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['personal_id_hash', 'personal_id_masked']));
    expect(columns).not.toContain('personal_id');
  });

  it('finds the items to dispatch and the items of a request through their indexes', () => {
    const store = new SqliteStateStore(newPath());
    opened.push(store);
    const plan = (sql: string, ...args: unknown[]): string => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan('SELECT * FROM signing_items WHERE job = ? AND request_id IS NULL ORDER BY class_key, role, signer_id, idbanghi', 'j')).toMatch(/USING INDEX signing_items_open/);
    expect(plan('SELECT * FROM signing_items WHERE request_id = ? ORDER BY seq', 'r')).toMatch(/USING INDEX signing_items_request/);
  });
});

describe('ledger counts kept by triggers', () => {
  it('agree with a count of the ledger after staging, settling, requeueing and restaging, and after the migration', async () => {
    const store = upgraded(3);
    const counted = (): Record<string, number> => Object.fromEntries((store.db.prepare('SELECT target || \' \' || status AS k, COUNT(*) AS n FROM ledger GROUP BY target, status').all() as { k: string; n: number }[]).map((r) => [r.k, r.n]));
    const kept = (): Record<string, number> => Object.fromEntries((store.db.prepare("SELECT target || ' ' || status AS k, n FROM ledger_counts WHERE n > 0").all() as { k: string; n: number }[]).map((r) => [r.k, r.n]));
    expect(kept()).toEqual(counted());
    const row = (id: string, target = T) => ({ target, job: 'diplomas', sourceKey: `k-${id}`, idbanghi: id, phienban: 2, envelopeJson: '{}', contentHash: `x-${id}` });
    await store.stage([row('n1'), row('n2'), row('acc'), row('n1', 'kiosk/students')]);
    await store.markSent(T, [{ idbanghi: 'n1', phienban: 2 }]);
    await store.applyOutcomes(T, [
      { idbanghi: 'n1', phienban: 2, status: 'accepted', receiptId: null },
      { idbanghi: 'n2', phienban: 2, status: 'dead', code: 'X', message: 'x' },
    ]);
    await store.requeue(T, [{ idbanghi: 'n2', phienban: 2 }]);
    expect(kept()).toEqual(counted());
    expect(await store.statusCounts('kiosk/students')).toMatchObject({ pending: 1, accepted: 0 });
  });
});

describe('migration to version 6 (ledger.grade)', () => {
  it('upgrades a version 5 store with the rows it had (no grade until staged again), then counts by grade', async () => {
    const store = upgraded(5);
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM ledger WHERE grade IS NULL').get() as { n: number }).n).toBe(V2_ROWS.length);
    const row = (id: string, grade: number | null) => ({ target: T, job: 'hocba', sourceKey: `k-${id}`, idbanghi: id, phienban: 1, envelopeJson: '{}', contentHash: `x-${id}`, grade });
    await store.stage([row('g5a', 5), row('g5b', 5), row('g9', 9), row('g6', 6), row('none', null)]);
    await store.applyOutcomes(T, [{ idbanghi: 'g5a', phienban: 1, status: 'accepted', receiptId: null }]);
    expect(await store.statusCountsByGrade(T, [5, 9])).toEqual({ pending: 2, sent: 0, accepted: 1, stale: 0, rejected: 0, dead: 0 });
    expect(await store.statusCountsByGrade(T, [6])).toMatchObject({ pending: 1, accepted: 0 });
    expect(await store.statusCountsByGrade(T, [12])).toMatchObject({ pending: 0, accepted: 0 });
    // staged again without a grade (a mapping that declares none): the grade goes
    await store.stage([row('g6', null)]);
    expect(await store.statusCountsByGrade(T, [6])).toMatchObject({ pending: 0 });
  });
});

describe('migrations 8 to 10 (CIM kiosks, certificates, verification summaries)', () => {
  it('upgrades a version 7 store with its ledger, accounts and audit, to empty kiosk and certificate tables that work and no summaries', async () => {
    const store = upgraded(7, (db) => {
      db.prepare("INSERT INTO users (username, role, password_hash, created_at, updated_at) VALUES ('lan', 'admin', 'h', 't', 't')").run();
    });
    expect((await store.listUsers()).map((u) => u.username)).toEqual(['lan']);
    // the rows accepted before the verification summaries existed have none: their page says "not issued" until staged again
    expect(await store.recordVerifications('acc')).toEqual([]);
    expect(await store.kioskHealth()).toEqual([]);
    expect(await store.listCertificates()).toEqual([]);
    await store.putStudentSnapshot('student-key', '{"fullName":"x"}', '2026-12-01T00:00:00Z');
    expect(await store.studentSnapshot('student-key')).toEqual({ json: '{"fullName":"x"}', readAt: '2026-12-01T00:00:00Z' });
  });
});

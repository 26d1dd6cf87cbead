import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordEnvelope } from '../../connectors/ministry-hub/envelope.js';
import { SqliteStateStore } from './sqlite-store.js';
import { emptyCounts, type DeliveryOutcome, type StageRow, type StateStore } from '../../src/store/store.js';
import { WorkerStateStore, storeWorkerFile } from './worker-store.js';

const T = 'hub/vanbangchungchi';
const HO = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Võ', 'Đặng'];
const DEM = ['Thị Hồng', 'Văn', 'Ngọc', 'Đức', 'Thị Thu', 'Quốc'];
const TEN = ['Nhung', 'Hưng', 'Ánh', 'Dũng', 'Hương', 'Khải', 'Thủy'];

interface Person {
  cccd: string;
  name: string;
}

/** graduates with a 12-digit CCCD and a Vietnamese name each, as the diploma mapping sends them */
function people(n: number): Person[] {
  return Array.from({ length: n }, (_, i) => ({
    cccd: `0792040${String(31000 + i).padStart(5, '0')}`,
    name: `${HO[i % HO.length]} ${DEM[i % DEM.length]} ${TEN[i % TEN.length]} ${i}`,
  }));
}

function stageRow(p: Person, i: number): StageRow {
  const envelope: RecordEnvelope = {
    idbanghi: `vb-${i}`,
    sukien: 'NEW',
    phienban: 1,
    thoigiancapnhat: '2026-06-20T10:00:00',
    data: {
      hoten: p.name,
      sodinhdanh: p.cccd,
      ngaysinh: '2004-03-15',
      noisinh: 'Thành phố Hồ Chí Minh',
      sohieu: `SH${i}`,
      // a few envelopes too large for one page go to overflow pages
      ...(i % 50 === 0 ? { ghichu: `${p.name} ${'ghi chú '.repeat(900)}` } : {}),
    },
  };
  return { target: T, job: 'diplomas', sourceKey: `sv-${i}`, idbanghi: `vb-${i}`, phienban: 1, contentHash: `h${i}`, envelopeJson: JSON.stringify(envelope) };
}

/** every file under `dir`, as bytes */
function filesOf(dir: string): { file: string; bytes: Buffer }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .map((file) => ({ file, bytes: readFileSync(file) }));
}

/** which of the people's CCCDs and names appear in the files, in UTF-8 or UTF-16 */
function found(dir: string, persons: Person[]): string[] {
  const hits: string[] = [];
  for (const { file, bytes } of filesOf(dir)) {
    for (const p of persons) {
      for (const text of [p.cccd, p.name]) {
        if (bytes.includes(Buffer.from(text, 'utf8')) || bytes.includes(Buffer.from(text, 'utf16le'))) hits.push(`${file}: ${text}`);
      }
    }
  }
  return hits;
}

describe.each([
  ['on this thread', (path: string): StateStore => new SqliteStateStore(path)],
  ['on a worker thread', (path: string): StateStore => new WorkerStateStore(path, storeWorkerFile() ?? 'not built')],
] as const)('personal data at rest, state store %s', (where, openStore) => {
  it.skipIf(where === 'on a worker thread' && storeWorkerFile() === undefined)('leaves no CCCD or name of a settled record in the data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-at-rest-'));
    const path = join(dir, 'state.db');
    const persons = people(400);
    let store = openStore(path);
    await store.stage(persons.map(stageRow));

    // the control: while records wait to be sent, their envelopes are in the files, and found
    const probe = new SqliteStateStore(path);
    probe.db.pragma('wal_checkpoint(TRUNCATE)');
    await probe.close();
    expect(found(dir, persons.slice(0, 5))).not.toEqual([]);

    const run = await store.startRun('diplomas', 'manual');
    for (let i = 0; i < persons.length; i += 100) {
      const chunk = persons.slice(i, i + 100).map((_, j) => ({ idbanghi: `vb-${i + j}`, phienban: 1 }));
      await store.markSent(T, chunk);
      // most are accepted; every tenth is rejected by the hub, whose message quotes the CCCD
      const outcomes: DeliveryOutcome[] = chunk.map((c, j) =>
        (i + j) % 10 === 3
          ? { ...c, status: 'rejected', errors: [{ field: 'data.sodinhdanh', code: 'HUB_PERSON_UNKNOWN', message: `no person ${persons[i + j]!.cccd}` }] }
          : { ...c, status: 'accepted', receiptId: `r-${i + j}` },
      );
      await store.applyOutcomes(T, outcomes);
    }
    await store.recordInvalid([{ job: 'diplomas', sourceKey: 'sv-x', idbanghi: null, errors: [{ field: 'data.sodinhdanh', code: 'CCCD_PROVINCE', message: `sodinhdanh ${persons[0]!.cccd}: bad province` }], runId: run.id, updatedAt: 't' }]);
    await store.recordWarnings([{ job: 'diplomas', sourceKey: 'sv-1', idbanghi: 'vb-1', warnings: [{ field: 'data.hoten', code: 'W', message: `about ${persons[1]!.cccd}` }], runId: run.id, updatedAt: 't' }]);
    await store.finishRun(run.id, 'succeeded', { ...emptyCounts(), read: 400, mapped: 400, staged: 400, sent: 400, accepted: 360, rejected: 40 }, null);
    expect(await store.statusCounts(T)).toMatchObject({ accepted: 360, rejected: 40 });
    // a scheduler keeps the store open between runs: the end of the run already left nothing
    expect(statSync(`${path}-wal`).size).toBe(0);
    expect(found(dir, persons)).toEqual([]);
    await store.close();

    expect(filesOf(dir).map((f) => f.file.slice(dir.length + 1)).sort()).toEqual(['state.db', 'store.id']);
    expect(found(dir, persons)).toEqual([]);

    // and still none after the store is opened again (a checkpoint of a reopened WAL, say)
    store = openStore(path);
    expect(await store.warningCount('diplomas')).toBe(1);
    await store.close();
    expect(found(dir, persons)).toEqual([]);
  });
});

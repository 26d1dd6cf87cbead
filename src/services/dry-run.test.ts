import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobSchema } from '../config/schema.js';
import type { ProbeResult, SourceConnector } from '../core/connector.js';
import type { Mapping } from '../core/mapping.js';
import { targetId } from '../store/store.js';
import { dryRun, maskJson } from './dry-run.js';
import { openWorkspace, type ServiceWorkspace } from './test/workspace.js';
import { probeJob } from './probe.js';

const job = jobSchema.parse({
  name: 'diplomas',
  source: { connection: 'uis', stream: 'diplomas', query: 'SELECT 1', keyFields: ['diploma_id'], cursorField: 'updated_at' },
  mapping: { name: 'test' },
  destinations: [{ connection: 'hub', dataset: 'vanbangchungchi' }],
});

function source(columns: string[] | null): SourceConnector {
  const s: SourceConnector = {
    type: 'sql',
    check: async () => ({ ok: true, message: 'ok' }),
    streams: async () => [],
    read: async function* () {},
    close: async () => {},
  };
  if (columns) s.probe = async (stream: string): Promise<ProbeResult> => ({ stream, columns: columns.map((name) => ({ name, dbType: 'text' })) });
  return s;
}

function mapping(columns?: Mapping['columns']): Mapping {
  return { name: 'test/2025', dataset: 'test', schemaVersion: 'Test/2025', columns, map: () => ({ ok: false, errors: [] }) };
}

describe('probeJob', () => {
  it('compares the probed columns with the mapping and the source key and cursor', async () => {
    const r = await probeJob(source(['diploma_id', 'updated_at', 'birth_dat']), job, mapping({ required: ['birth_date'], optional: [] }));
    expect(r.columns).toBe(3);
    expect(r.problems.map((p) => `${p.code} ${p.column} ${p.suggestion}`)).toEqual(['COLUMN_MISSING birth_date birth_dat', 'COLUMN_UNKNOWN birth_dat birth_date']);
    expect(r.notes).toEqual([]);
  });

  it('finds nothing when they agree', async () => {
    const r = await probeJob(source(['DIPLOMA_ID', 'updated_at', 'birth_date']), job, mapping({ required: ['birth_date'], optional: [] }));
    expect(r.problems).toEqual([]);
  });

  it('says so when the source cannot probe or the mapping declares no columns (nothing skipped silently)', async () => {
    expect((await probeJob(source(null), job, mapping({ required: [], optional: [] }))).notes).toEqual(['the sql source cannot probe its query: columns not checked']);
    const r = await probeJob(source(['diploma_id']), job, mapping());
    expect(r.columns).toBe(1);
    expect(r.notes[0]).toContain('does not declare the columns it reads');
  });
});

describe('maskJson', () => {
  it('masks personal ids in every string, nested, and leaves other values alone', () => {
    expect(maskJson({ sodinhdanh: '079203001234', list: ['số 001203004567'], n: 12, ok: true, none: null })).toEqual({ sodinhdanh: '********1234', list: ['số ********4567'], n: 12, ok: true, none: null });
  });
});

describe('dryRun over a real source and store', () => {
  let ws: ServiceWorkspace;
  beforeAll(async () => {
    ws = await openWorkspace(120);
  }, 60_000);
  afterAll(() => ws.close());

  it('maps a sample through the run\'s own step, masks personal ids, and writes nothing', async () => {
    const r = await dryRun(ws.env, 'diplomas', { limit: 30 });
    expect(r).toMatchObject({ job: 'diplomas', stream: 'diplomas', from: 'beginning', read: 30, limit: 30, signs: false });
    expect(r.records).toHaveLength(30);
    expect(r.valid + r.invalid).toBe(30);
    expect(r.records.filter((x) => x.outcome === 'send').length).toBe(r.valid);
    expect(JSON.stringify(r.records)).not.toMatch(/(?<!\d)\d{12}(?!\d)/);
    expect(JSON.stringify(r.records)).toMatch(/"sodinhdanh":"\*{8}\d{4}"/);
    const T = targetId('hub', 'vanbangchungchi');
    expect(await ws.store.statusCounts(T)).toMatchObject({ pending: 0, accepted: 0 });
    expect(await ws.store.lastRuns('diplomas', 5)).toEqual([]);
    expect(await ws.store.getCursor('diplomas', 'diplomas')).toBeNull();

    // after a run the same records are unchanged, from the saved cursor there is nothing to read
    const { runJobNow } = await import('./jobs.js');
    await runJobNow(ws.env, 'diplomas');
    const again = await dryRun(ws.env, 'diplomas', { limit: 30, fullRefresh: true });
    expect(again.unchanged).toBe(r.valid);
    expect(again.records.filter((x) => x.outcome === 'unchanged').map((x) => x.sourceKey)).toEqual(r.records.filter((x) => x.outcome === 'send').map((x) => x.sourceKey));
    expect(await dryRun(ws.env, 'diplomas', { limit: 30 })).toMatchObject({ from: 'cursor', read: 0 });
    await expect(dryRun(ws.env, 'nope', { limit: 1 })).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});

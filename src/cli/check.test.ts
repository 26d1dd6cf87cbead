import { describe, expect, it, vi } from 'vitest';
import type { LoadedConfig } from '../config/load.js';
import { jobSchema, mainConfigSchema } from '../config/schema.js';
import type { DestinationConnector, SourceConnector } from '../core/connector.js';
import { ConfigError, TransientError } from '../core/errors.js';
import type { Mapping } from '../core/mapping.js';

// the connectors are replaced: this tests what `check` makes of what they answer
const state: { columns: string[]; probeError?: Error; hub: { ok: boolean; kind?: 'config' | 'transient' } } = { columns: [], hub: { ok: true } };
vi.mock('../engine/assemble.js', () => ({
  // the test's configuration names a sql source and a ministry-hub destination
  connectionKind: (loaded: { config: { connections: Record<string, { type: string }> } }, name: string): 'source' | 'destination' =>
    loaded.config.connections[name]?.type === 'sql' ? 'source' : 'destination',
  buildSource: (): SourceConnector => ({
    type: 'sql',
    check: async () => ({ ok: true, message: 'connected' }),
    streams: async () => [],
    read: async function* () {},
    probe: async (stream: string) => {
      if (state.probeError) throw state.probeError;
      return { stream, columns: state.columns.map((name) => ({ name, dbType: 'text' })) };
    },
    close: async () => {},
  }),
  buildDestination: (): DestinationConnector => ({
    type: 'ministry-hub',
    maxBatchSize: 500,
    check: async () => ({ ok: state.hub.ok, message: state.hub.ok ? 'reachable' : 'refused', kind: state.hub.kind }),
    write: async () => [],
    close: async () => {},
  }),
  buildMapping: (): Mapping => ({ name: 'test/2025', dataset: 'd', schemaVersion: 'T/2025', columns: { required: ['birth_date'], optional: [] }, map: () => ({ ok: false, errors: [] }) }),
}));

const { checkConnections } = await import('../services/check.js');
const { checkLines } = await import('./format.js');

function loaded(): LoadedConfig {
  const config = mainConfigSchema.parse({
    connections: {
      uis: { type: 'sql', driver: 'sqlite', url: 'uis.db' },
      hub: { type: 'ministry-hub', baseUrl: 'http://127.0.0.1:1', unitCode: 'U1', clientId: 'c', clientSecret: 'env:X' },
      school: { type: 'sql', driver: 'mysql', url: 'env:NOT_SET' },
    },
  });
  const job = jobSchema.parse({
    name: 'diplomas',
    source: { connection: 'uis', stream: 'diplomas', query: 'SELECT 1', keyFields: ['diploma_id'], cursorField: 'updated_at' },
    mapping: { name: 'test/2025' },
    destinations: [{ connection: 'hub', dataset: 'd' }],
  });
  return { file: 'x.yaml', baseDir: '/', config, dataDir: '/d', jobsDir: '/j', storePath: '/d/s.db', logFile: '/d/l', trustedCaFiles: [], jobs: new Map([['diplomas', { ...job, file: 'j.yaml' }]]) };
}

async function check(names: string[] = []): Promise<{ code: number; lines: string[] }> {
  // the findings as the CLI prints them, and the exit code it gives for the outcome
  const report = await checkConnections(loaded(), names);
  return { code: { ok: 0, down: 1, config: 2 }[report.outcome], lines: checkLines(report) };
}

describe('check', () => {
  it('0 when every used connection answers and the columns agree; an unused one is listed, not checked', async () => {
    Object.assign(state, { columns: ['diploma_id', 'updated_at', 'birth_date'], probeError: undefined, hub: { ok: true } });
    const r = await check();
    expect(r.code).toBe(0);
    expect(r.lines).toEqual(['uis: ok: connected', '  job diplomas: query ok, 3 columns, all read by the job', 'hub: ok: reachable', 'school: not used by any job (not checked)']);
  });

  it('2 when the query gives a misspelled column, naming it with the closest match', async () => {
    Object.assign(state, { columns: ['diploma_id', 'updated_at', 'birth_dat'], probeError: undefined, hub: { ok: true } });
    const r = await check();
    expect(r.code).toBe(2);
    expect(r.lines).toContain('    COLUMN_UNKNOWN: `birth_dat`: nothing reads this column; did you mean `birth_date`?');
  });

  it('2 when the database refuses the query, 1 when the connection drops', async () => {
    Object.assign(state, { columns: [], probeError: new ConfigError('SQL_QUERY_INVALID', 'relation "diploma" does not exist'), hub: { ok: true } });
    expect((await check()).code).toBe(2);
    Object.assign(state, { probeError: new TransientError('SQL_CONNECTION_LOST', 'connection reset') });
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.lines).toContain('  job diplomas: FAILED: connection reset');
  });

  it('2 when the hub refuses the credentials, 1 when it does not answer; configuration wins', async () => {
    Object.assign(state, { columns: ['diploma_id', 'updated_at', 'birth_date'], probeError: undefined, hub: { ok: false, kind: 'config' } });
    expect((await check()).code).toBe(2);
    Object.assign(state, { hub: { ok: false, kind: 'transient' } });
    expect((await check()).code).toBe(1);
    Object.assign(state, { columns: ['diploma_id', 'updated_at'] });
    expect((await check()).code).toBe(2);
  });

  it('a named connection is checked only if asked; an unknown name is a configuration error', async () => {
    Object.assign(state, { columns: ['diploma_id', 'updated_at', 'birth_date'], probeError: undefined, hub: { ok: true } });
    expect((await check(['hub'])).lines).toEqual(['hub: ok: reachable']);
    await expect(check(['nope'])).rejects.toThrow('no connection named "nope"');
  });
});

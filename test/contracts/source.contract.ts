import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConnector } from '../../src/core/connector.js';
import { resolveSecretFields } from '../../src/config/secrets.js';
import { ConfigError } from '../../src/core/errors.js';
import type { PluginContext, SourcePlugin } from '../../src/core/plugin.js';
import type { SourceRecord } from '../../src/core/records.js';

/**
 * The source contract, one suite run over every source implementation (as Kysely runs one suite
 * over every dialect): what the engine relies on from a source, whatever system it reads.
 */

/** One row of the contract's data set: what each implementation stores in its system. */
export interface ContractRow {
  id: number;
  name: string;
  /** a wall-clock timestamp without zone, 'YYYY-MM-DD HH:mm:ss': the stream's cursor */
  updatedAt: string;
}

export interface SourceSetup {
  /** the connection's raw configuration (checked by the plugin's schema, secrets resolved, as the engine does) */
  config: Record<string, unknown>;
  context: PluginContext;
  /**
   * the raw stream settings, each with its `name`: `rows` reads every contract row, keyed by `id`,
   * incremental on `updated_at` with no lookback; `unreadable` is a valid query over the same rows
   * and columns whose every row fails when read (a conversion error per row); `broken` has a query
   * the system refuses
   */
  streams: Record<string, unknown>[];
  /** changes the name of one row in place (its cursor unchanged), as a late correction would */
  rename(id: number, name: string): Promise<void>;
  tearDown(): Promise<void>;
}

export interface SourceImplementation {
  name: string;
  plugin: SourcePlugin;
  /** stores `rows` in the system (a fresh table) and answers how to read them */
  setUp(rows: readonly ContractRow[]): Promise<SourceSetup>;
}

const NAMES = ['Nguyễn Thị Ánh', 'Trần Văn Đức', 'Lê Hoàng Yến', 'Phạm Quỳnh Hương', 'Đặng Thuỳ Dương'];

/** Twenty rows one minute apart, listed out of order so a source's ORDER BY is what orders them. */
export const CONTRACT_ROWS: readonly ContractRow[] = Array.from({ length: 20 }, (_, k) => {
  const id = ((k * 7) % 20) + 1;
  return { id, name: `${NAMES[id % NAMES.length] as string} ${id}`, updatedAt: `2025-06-30 10:${String(id).padStart(2, '0')}:00` };
});

const byId = [...CONTRACT_ROWS].sort((a, b) => a.id - b.id);

async function collect(iterable: AsyncIterable<SourceRecord>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const r of iterable) out.push(r);
  return out;
}

/** the error an iterable's consumption (or a promise) ends with, undefined when it succeeds */
async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (err) {
    return err;
  }
}

export function sourceContract(impl: SourceImplementation): void {
  describe(`source contract: ${impl.name}`, () => {
    let setup: SourceSetup;
    let source: SourceConnector;
    const create = (): SourceConnector => {
      const config = resolveSecretFields(impl.plugin.config, impl.plugin.config.parse(setup.config) as Record<string, unknown>, setup.context.baseDir, { path: impl.name });
      // the job's `source` block is checked by the plugin's stream schema, as at load
      const streams = setup.streams.map((s) => ({ ...(impl.plugin.stream.parse(s) as Record<string, unknown>), name: String(s.name) }));
      return impl.plugin.create(config, { ...setup.context, streams });
    };

    beforeAll(async () => {
      await impl.plugin.prepare?.();
      setup = await impl.setUp(CONTRACT_ROWS);
      source = create();
    });

    afterAll(async () => {
      await source?.close();
      await setup?.tearDown();
    });

    it('check() reaches the system', async () => {
      await expect(source.check()).resolves.toMatchObject({ ok: true });
    });

    it('describes the stream: its key, its cursor, that it reads incrementally', async () => {
      const rows = (await source.streams()).find((s) => s.name === 'rows');
      expect(rows).toEqual({ name: 'rows', keyFields: ['id'], cursorField: 'updated_at', supportsIncremental: true });
    });

    it('probe() gives the columns in order with their types', async () => {
      expect(source.probe).toBeDefined();
      const probe = await source.probe!('rows');
      expect(probe.stream).toBe('rows');
      expect(probe.columns.map((c) => c.name)).toEqual(['id', 'name', 'updated_at']);
      for (const c of probe.columns) expect(c.dbType).toMatch(/\S/);
      const types = Object.fromEntries(probe.columns.map((c) => [c.name, c.cursorType]));
      expect(types).toMatchObject({ id: 'integer', updated_at: 'timestamp' });
    });

    it('probe() reads no rows: it answers for a stream whose every row fails when read', async () => {
      // the poison works: reading a row of `unreadable` fails
      expect(await failureOf(() => collect(source.read({ stream: 'unreadable', mode: 'full' })))).toBeDefined();
      const probe = await source.probe!('unreadable');
      expect(probe.columns.map((c) => c.name)).toEqual(['id', 'name', 'updated_at']);
    });

    it('a full read gives every row once, in cursor order, with typed cursors', async () => {
      const records = await collect(source.read({ stream: 'rows', mode: 'full' }));
      expect(records.map((r) => r.key)).toEqual(byId.map((r) => String(r.id)));
      records.forEach((r, k) => {
        const row = byId[k]!;
        expect(Number(r.data.id)).toBe(row.id);
        expect(r.data.name).toBe(row.name);
        expect(r.cursorValue?.type).toBe('timestamp');
      });
    });

    it('an incremental read from a typed cursor gives only the later rows', async () => {
      const all = await collect(source.read({ stream: 'rows', mode: 'full' }));
      const cut = 12;
      const cursor = all[cut - 1]!.cursorValue!;
      const later = await collect(source.read({ stream: 'rows', mode: 'incremental', cursor }));
      expect(later.map((r) => r.key)).toEqual(byId.slice(cut).map((r) => String(r.id)));
      // from the last cursor: nothing
      const none = await collect(source.read({ stream: 'rows', mode: 'incremental', cursor: all.at(-1)!.cursorValue! }));
      expect(none).toEqual([]);
    });

    it('readKeys() gives the current rows of the given keys, nothing for an unknown key', async () => {
      expect(source.readKeys).toBeDefined();
      await setup.rename(7, 'Võ Thị Sáu (sửa)');
      try {
        const records = await collect(source.readKeys!('rows', ['3', '7', '404']));
        expect(records.map((r) => r.key).sort()).toEqual(['3', '7']);
        expect(records.find((r) => r.key === '7')?.data.name).toBe('Võ Thị Sáu (sửa)');
        expect(records.find((r) => r.key === '3')?.data.name).toBe(byId[2]!.name);
        await expect(collect(source.readKeys!('rows', ['404']))).resolves.toEqual([]);
      } finally {
        await setup.rename(7, byId[6]!.name);
      }
    });

    it('a query the system refuses is a ConfigError, from read() and from probe()', async () => {
      expect(await failureOf(() => collect(source.read({ stream: 'broken', mode: 'full' })))).toBeInstanceOf(ConfigError);
      expect(await failureOf(() => source.probe!('broken'))).toBeInstanceOf(ConfigError);
      // and the source still reads afterwards
      await expect(collect(source.read({ stream: 'rows', mode: 'full' }))).resolves.toHaveLength(CONTRACT_ROWS.length);
    });

    it('close() may be called twice, and on a source that never connected', async () => {
      const used = create();
      await collect(used.read({ stream: 'rows', mode: 'full' }));
      await expect(used.close()).resolves.toBeUndefined();
      await expect(used.close()).resolves.toBeUndefined();
      const unused = create();
      await expect(unused.close()).resolves.toBeUndefined();
      await expect(unused.close()).resolves.toBeUndefined();
    });
  });
}

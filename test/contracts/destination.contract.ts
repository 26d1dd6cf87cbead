import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DestinationConnector, WriteContext } from '../../src/core/connector.js';
import { resolveSecretFields } from '../../src/config/secrets.js';
import { LienthongError } from '../../src/core/errors.js';
import { canonicalJson, contentHash } from '../../src/core/hash.js';
import type { DestinationPlugin, PluginContext } from '../../src/core/plugin.js';
import type { EncodedRecord, JsonObject, StagedRecord } from '../../src/core/records.js';

/**
 * The destination contract, one suite run over every destination implementation (as Kysely runs
 * one suite over every dialect): what the engine relies on, whatever the wire format.
 */

/** One implementation under test: its plugin, how to configure it, and what records it takes. */
export interface DestinationImplementation {
  name: string;
  plugin: DestinationPlugin;
  /** sets the destination up (a simulator, a folder) and answers the raw configuration and context */
  setUp(): Promise<{ config: Record<string, unknown>; context: PluginContext; dataset: string; schemaVersion: string; tearDown(): Promise<void> }>;
  /** the data of record n, valid for this destination's dataset */
  data(n: number): JsonObject;
  /** the idbanghi of record n */
  idbanghi(n: number): string;
  /**
   * false for a destination that holds one current content per record and no versions (the VNeID
   * credential service keeps one credential per key, updated): other content at the version it
   * holds replaces it (delivered), it is never a conflict. Default true.
   */
  keepsVersions?: boolean;
}

export function destinationContract(impl: DestinationImplementation): void {
  describe(`destination contract: ${impl.name}`, () => {
    let destination: DestinationConnector;
    let context: WriteContext;
    let tearDown: () => Promise<void>;

    beforeEach(async () => {
      await impl.plugin.prepare?.();
      const env = await impl.setUp();
      tearDown = env.tearDown;
      // the configuration is checked by the plugin's own schema and its secrets resolved, as the engine does
      const config = resolveSecretFields(impl.plugin.config, impl.plugin.config.parse(env.config) as Record<string, unknown>, env.context.baseDir, { path: impl.name });
      destination = impl.plugin.create(config, env.context);
      context = { dataset: env.dataset, schemaVersion: env.schemaVersion };
    });
    afterEach(async () => {
      await destination.close();
      await tearDown();
    });

    const staged = (n: number, version = 1, data = impl.data(n)): StagedRecord => ({
      key: `k-${n}`,
      idbanghi: impl.idbanghi(n),
      version,
      event: version === 1 ? 'NEW' : 'UPDATE',
      changedAt: '2026-06-20T10:15:00',
      contentHash: contentHash(data),
      dataJson: canonicalJson(data),
    });
    const encoded = (r: StagedRecord): EncodedRecord => ({ idbanghi: r.idbanghi, version: r.version, contentHash: r.contentHash, encoded: impl.plugin.encode(r) });

    it('has a type, a description, answers its meaning, and encodes as its connector does', () => {
      expect(destination.type).toBe(impl.plugin.type);
      expect(impl.plugin.description.length).toBeGreaterThan(0);
      expect(Object.keys(impl.plugin.answers).length).toBeGreaterThan(0);
      const r = staged(1);
      expect(impl.plugin.encode(r)).toBe(impl.plugin.encode({ ...r }));
      expect(destination.encode?.(r)).toBe(impl.plugin.encode(r));
      expect(impl.plugin.encode(staged(2))).not.toBe(impl.plugin.encode(r));
      expect(destination.maxBatchSize).toBeGreaterThan(0);
    });

    it('refuses an unknown option by its schema', () => {
      expect(impl.plugin.config.safeParse({ notAnOption: 1 }).success).toBe(false);
    });

    it('answers one result per record, in order: new versions are delivered', async () => {
      const batch = [1, 2, 3].map((n) => encoded(staged(n)));
      const answers = await destination.write(batch, context);
      expect(answers.map((a) => a.idbanghi)).toEqual(batch.map((r) => r.idbanghi));
      expect(answers.map((a) => a.status)).toEqual(['delivered', 'delivered', 'delivered']);
      expect(await destination.write([], context)).toEqual([]);
    });

    it('a resend of what it holds is as good as delivered, never a conflict', async () => {
      const batch = [4, 5].map((n) => encoded(staged(n)));
      await destination.write(batch, context);
      // the same records staged again (a crash before the answer was kept): the same version and content
      const again = await destination.write([4, 5].map((n) => encoded(staged(n))), context);
      for (const a of again) expect(['delivered', 'already-held']).toContain(a.status);
    });

    it('other content at a version it holds is a conflict naming what it holds (or replaces it, for a destination without versions)', async () => {
      const first = staged(6, 1);
      await destination.write([encoded(first)], context);
      const other = staged(6, 1, impl.data(7));
      expect(other.contentHash).not.toBe(first.contentHash);
      const [answer] = await destination.write([encoded(other)], context);
      if (impl.keepsVersions === false) expect(answer).toEqual({ idbanghi: first.idbanghi, status: 'delivered', receiptId: expect.anything() as unknown });
      else expect(answer).toEqual({ idbanghi: first.idbanghi, status: 'conflict', heldVersion: 1, heldContentHash: first.contentHash });
    });

    it('a newer version is delivered over the one it holds', async () => {
      await destination.write([encoded(staged(8, 1))], context);
      const [answer] = await destination.write([encoded(staged(8, 2, impl.data(9)))], context);
      expect(answer?.status).toBe('delivered');
    });

    it('refuses a batch over its maxBatchSize without sending it', async () => {
      const over = Array.from({ length: destination.maxBatchSize + 1 }, (_, i) => encoded(staged(100 + i)));
      await expect(destination.write(over, context)).rejects.toBeInstanceOf(LienthongError);
    });

    it('reads back what it holds: the version and content hash of each record', async () => {
      if (!destination.readBack) return;
      const sent = [10, 11].map((n) => staged(n));
      await destination.write(sent.map(encoded), context);
      const held = new Map<string, { phienban: number; contentHash: string }>();
      for await (const h of destination.readBack(context.dataset)) held.set(h.idbanghi, h);
      for (const r of sent) expect(held.get(r.idbanghi)).toMatchObject({ phienban: r.version, contentHash: r.contentHash });
    });

    it('checks itself', async () => {
      expect(await destination.check()).toMatchObject({ ok: true });
    });
  });
}

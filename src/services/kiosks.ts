import type { JobDefinition } from '../config/schema.js';
import type { KioskHealth } from '../store/kiosk-store.js';
import type { ServiceContext } from './context.js';

/** The connection type of CIM kiosks (connectors/cim-kiosk). */
export const KIOSK_CONNECTION_TYPE = 'cim-kiosk';

/** The cim-kiosk connections of the configuration, or of one job's destinations. */
export function kioskConnections(ctx: ServiceContext, job?: Pick<JobDefinition, 'destinations'>): string[] {
  const names = job ? [...new Set(job.destinations.map((d) => d.connection))] : Object.keys(ctx.loaded.config.connections);
  return names.filter((name) => ctx.loaded.config.connections[name]?.type === KIOSK_CONNECTION_TYPE);
}

/**
 * Every kiosk of the configuration (or of a job) with its health as the last run left it: online,
 * last seen, last sync, queue depth, dead letters. A configured kiosk no run has tried yet is
 * listed too (never seen, nothing queued), so a kiosk is never missing from the list.
 */
export async function kioskHealth(ctx: ServiceContext, job?: Pick<JobDefinition, 'destinations'>): Promise<KioskHealth[]> {
  const out: KioskHealth[] = [];
  for (const connection of kioskConnections(ctx, job)) {
    const known = await ctx.store.kioskHealth(connection);
    const configured = (ctx.loaded.config.connections[connection] as { kiosks?: { id: string; url: string }[] }).kiosks ?? [];
    for (const k of configured) {
      const h = known.find((x) => x.kioskId === k.id);
      out.push(h ?? { connection, kioskId: k.id, url: k.url, online: null, lastSeenAt: null, lastSyncAt: null, offlineSince: null, lastErrorCode: null, lastError: null, version: null, queueDepth: 0, dead: 0, oldestQueuedAt: null });
    }
    // kiosks removed from the configuration that still have changes queued stay visible
    for (const h of known) if (!configured.some((k) => k.id === h.kioskId) && (h.queueDepth > 0 || h.dead > 0)) out.push(h);
  }
  return out;
}

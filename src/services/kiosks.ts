import type { JobDefinition } from '../config/schema.js';
import { ConfigError } from '../core/errors.js';
import { maskPersonalIdsInText } from '../core/redact.js';
import type { KioskDeadLetter, KioskHealth } from '../store/kiosk-store.js';
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

/**
 * The dead letters of the kiosks (changes a kiosk refused for good: a 4xx other than 401/403),
 * of the configuration's cim-kiosk connections, or of one connection and/or kiosk. The kiosk's
 * message is shown with any personal id in it masked (the key is a student id or a template code,
 * the university's own numbers, not personal ids).
 */
export async function kioskDeadLetters(ctx: ServiceContext, filter: { connection?: string; kioskId?: string }): Promise<KioskDeadLetter[]> {
  if (filter.connection !== undefined) kioskConnectionNamed(ctx, filter.connection);
  const connections = filter.connection === undefined ? kioskConnections(ctx) : [filter.connection];
  const out: KioskDeadLetter[] = [];
  for (const connection of connections) {
    for (const d of await ctx.store.kioskDeadLetters({ connection, ...(filter.kioskId === undefined ? {} : { kioskId: filter.kioskId }) })) {
      out.push({ ...d, message: d.message === null ? null : maskPersonalIdsInText(d.message) });
    }
  }
  return out;
}

/**
 * Puts a kiosk's dead letters (all, or the one of a key) back in its lane at their place: the next
 * run of a job that pushes to the connection sends them, in order. The kiosk's connection is the
 * one given, or the only cim-kiosk connection that knows the kiosk. Audited (`kiosks.requeue`).
 */
export async function requeueKioskDeadLetters(
  ctx: ServiceContext,
  selection: { connection?: string; kioskId: string; key?: string },
  audit: (action: string, subject: string, detail: Record<string, string | number>) => Promise<void>,
): Promise<{ connection: string; requeued: KioskDeadLetter[] }> {
  const connection = selection.connection ?? (await connectionOfKiosk(ctx, selection.kioskId));
  kioskConnectionNamed(ctx, connection);
  const requeued = await ctx.store.kioskRequeue(connection, selection.kioskId, selection.key);
  if (selection.key !== undefined && requeued.length === 0) {
    throw new ConfigError('KIOSK_DEAD_LETTER_NOT_FOUND', `kiosk ${selection.kioskId} of ${connection} has no dead letter with key ${selection.key}: see lienthong kiosks dead-letters --kiosk ${selection.kioskId}`, { connector: KIOSK_CONNECTION_TYPE, path: `connections.${connection}` });
  }
  await audit('kiosks.requeue', `${connection}/${selection.kioskId}`, { selection: selection.key === undefined ? 'all' : 'key', ...(selection.key === undefined ? {} : { key: selection.key }), requeued: requeued.length });
  return { connection, requeued };
}

function kioskConnectionNamed(ctx: ServiceContext, connection: string): void {
  if (!kioskConnections(ctx).includes(connection)) {
    throw new ConfigError('KIOSK_CONNECTION_UNKNOWN', `no cim-kiosk connection named ${connection} in the configuration (cim-kiosk connections: ${kioskConnections(ctx).join(', ') || 'none'})`, { path: `connections.${connection}` });
  }
}

/** the one cim-kiosk connection that configures the kiosk or has dead letters of it */
async function connectionOfKiosk(ctx: ServiceContext, kioskId: string): Promise<string> {
  const found: string[] = [];
  for (const connection of kioskConnections(ctx)) {
    const configured = (ctx.loaded.config.connections[connection] as { kiosks?: { id: string }[] }).kiosks ?? [];
    if (configured.some((k) => k.id === kioskId) || (await ctx.store.kioskDeadLetters({ connection, kioskId })).length > 0) found.push(connection);
  }
  if (found.length === 1 && found[0] !== undefined) return found[0];
  if (found.length === 0) throw new ConfigError('KIOSK_UNKNOWN', `no cim-kiosk connection knows kiosk ${kioskId}: see lienthong status, or name the connection with --connection`, { connector: KIOSK_CONNECTION_TYPE });
  throw new ConfigError('KIOSK_AMBIGUOUS', `kiosk ${kioskId} belongs to several cim-kiosk connections (${found.join(', ')}): name one with --connection`, { connector: KIOSK_CONNECTION_TYPE });
}

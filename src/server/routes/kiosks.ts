import type { FastifyInstance } from 'fastify';
import { kioskHealth } from '../../services/kiosks.js';
import { requireRole } from '../auth/guard.js';
import type { ApiDeps } from './api-deps.js';
import { bool, int, nullable, object, str } from './schemas.js';

const nullableStr = nullable(str);

/** One kiosk's health and queue (src/store/kiosk-store.ts: KioskHealth). */
export const kioskHealthSchema = object({
  connection: str,
  kioskId: str,
  url: nullableStr,
  online: nullable(bool),
  lastSeenAt: nullableStr,
  lastSyncAt: nullableStr,
  offlineSince: nullableStr,
  lastErrorCode: nullableStr,
  lastError: nullableStr,
  version: nullableStr,
  queueDepth: int,
  dead: int,
  oldestQueuedAt: nullableStr,
});

/** CIM kiosks: health (last seen, last sync, offline since) and the changes queued for each. */
export async function kiosksRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  app.get('/kiosks', {
    schema: {
      tags: ['kiosks'],
      summary: 'Every CIM kiosk of the cim-kiosk connections: online, last seen, last sync, changes queued and refused',
      response: { 200: object({ kiosks: { type: 'array', items: kioskHealthSchema } }) },
    },
    preHandler: requireRole('viewer'),
  }, async () => ({ kiosks: await kioskHealth(deps.env) }));
}

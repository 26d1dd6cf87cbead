import type { FastifyInstance } from 'fastify';
import { kioskDeadLetters, kioskHealth, requeueKioskDeadLetters } from '../../services/kiosks.js';
import { auditFrom, requireRole } from '../auth/guard.js';
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

/** A change a kiosk refused for good (src/store/kiosk-store.ts: KioskDeadLetter). */
export const kioskDeadLetterSchema = object({
  connection: str,
  kioskId: str,
  seq: int,
  kind: str,
  key: str,
  op: str,
  attempts: int,
  code: nullableStr,
  message: nullableStr,
  enqueuedAt: str,
});

const kioskParams = object({ connection: { type: 'string', minLength: 1, maxLength: 200 }, kiosk: { type: 'string', minLength: 1, maxLength: 64 } });

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

  app.get<{ Querystring: { connection?: string; kiosk?: string } }>('/kiosks/deadletters', {
    schema: {
      tags: ['kiosks'],
      summary: 'The changes the kiosks refused for good (a 4xx other than 401/403), in lane order; a personal id in a message is masked',
      querystring: object({ connection: { type: 'string', minLength: 1, maxLength: 200 }, kiosk: { type: 'string', minLength: 1, maxLength: 64 } }, []),
      response: { 200: object({ deadLetters: { type: 'array', items: kioskDeadLetterSchema } }) },
    },
    preHandler: requireRole('viewer'),
  }, async (request) => ({
    deadLetters: await kioskDeadLetters(deps.env, { ...(request.query.connection === undefined ? {} : { connection: request.query.connection }), ...(request.query.kiosk === undefined ? {} : { kioskId: request.query.kiosk }) }),
  }));

  app.post<{ Params: { connection: string; kiosk: string }; Body: { key?: string; all?: boolean } }>('/kiosks/:connection/:kiosk/requeue', {
    schema: {
      tags: ['kiosks'],
      summary: "Put a kiosk's dead letters (all, or the one of a key) back in its lane at their place; the next run sends them (audited kiosks.requeue)",
      params: kioskParams,
      body: {
        type: 'object',
        properties: { key: { type: 'string', minLength: 1, maxLength: 200 }, all: { type: 'boolean', enum: [true] } },
        minProperties: 1,
        maxProperties: 1,
        additionalProperties: false,
      },
      response: { 200: object({ connection: str, requeued: { type: 'array', items: kioskDeadLetterSchema } }) },
    },
    preHandler: requireRole('operator'),
  }, async (request) => {
    const { connection, kiosk } = request.params;
    return requeueKioskDeadLetters(deps.env, { connection, kioskId: kiosk, ...(request.body.key === undefined ? {} : { key: request.body.key }) }, (action, subject, detail) => auditFrom(request, action, subject, detail));
  });
}

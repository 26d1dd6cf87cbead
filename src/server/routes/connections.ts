import type { FastifyInstance } from 'fastify';
import { checkConnections } from '../../services/check.js';
import { listConnections, maskedConfiguration } from '../../services/console-config.js';
import { auditFrom, requireRole } from '../auth/guard.js';
import { sendProblem, type ApiDeps } from './api-deps.js';
import { errorSchema, int, object, openObject, str } from './schemas.js';

/** Connections (with their check) and the configuration, secrets masked. */
export async function connectionsRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const loaded = deps.env.loaded;

  app.get('/connections', {
    schema: {
      tags: ['connections'],
      summary: 'Every connection: its type, whether read from or written to, its options with secrets masked',
      response: {
        200: object({
          connections: { type: 'array', items: object({ name: str, type: str, kind: { type: 'string', enum: ['source', 'destination'] }, options: openObject }) },
        }),
      },
    },
    preHandler: requireRole('viewer'),
  }, async () => ({ connections: listConnections(loaded) }));

  app.post<{ Params: { name: string } }>('/connections/:name/check', {
    schema: {
      tags: ['connections'],
      summary: "Connect to one connection and, for a source, probe its jobs' queries (as `lienthong check NAME`)",
      params: object({ name: { type: 'string', minLength: 1, maxLength: 100 } }),
      response: {
        // a finding's fields depend on its type (src/services/check.ts: CheckFinding)
        200: object({ findings: { type: 'array', items: openObject }, configProblems: int, down: int, outcome: { type: 'string', enum: ['ok', 'config', 'down'] } }),
        404: errorSchema,
      },
    },
    preHandler: requireRole('operator'),
  }, async (request, reply) => {
    const name = request.params.name;
    if (!Object.hasOwn(loaded.config.connections, name)) return sendProblem(reply, 404, 'UNKNOWN_CONNECTION', `no connection named "${name}"`, 'config');
    const report = await checkConnections(loaded, [name]);
    await auditFrom(request, 'connection.check', name, { outcome: report.outcome });
    return report;
  });

  app.get('/config', {
    schema: {
      tags: ['configuration'],
      summary: 'The loaded configuration and jobs, every secret masked (administrators)',
      // the configuration's shape is its schema's (src/config/schema.ts), written as it is
      response: { 200: openObject },
    },
    preHandler: requireRole('admin'),
  }, async () => maskedConfiguration(loaded));
}

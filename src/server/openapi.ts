import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

/**
 * The OpenAPI 3 document of the console's API, made by @fastify/swagger from the JSON schemas of
 * the routes (registered before them, so it sees each one), served at `GET /api/v1/openapi.json`.
 */
export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'lienthong console API', version: '1', description: 'The JSON API of the lienthong web console (docs/console.md).' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'lt_session' },
          bearer: { type: 'http', scheme: 'bearer', description: 'a personal API token (lienthong users token NAME)' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    // the pages and the health checks are not the API
    hideUntagged: false,
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConnections } from './check.js';
import { CLIENT_SECRET, openWorkspace, type ServiceWorkspace } from './test/workspace.js';

// checkConnections over a real SQLite source and the hub simulator (check.test.ts covers the
// verdicts on every kind of answer with the connectors replaced)
let ws: ServiceWorkspace;
beforeAll(async () => {
  ws = await openWorkspace(20);
}, 60_000);
afterAll(() => ws.close());

describe('checkConnections', () => {
  it('connects to the source and the hub and probes the job\'s query', async () => {
    const r = await checkConnections(ws.env.loaded);
    expect(r.outcome).toBe('ok');
    expect(r.findings).toEqual([
      { connection: 'uis', type: 'connection', ok: true, message: expect.any(String) },
      { connection: 'uis', type: 'query', job: 'diplomas', ok: true, columns: expect.any(Number), allRead: true, notes: [], problems: [] },
      { connection: 'hub', type: 'connection', ok: true, message: expect.any(String) },
    ]);
  });

  it('a refused client secret is a configuration problem, a hub that is gone is down', async () => {
    writeFileSync(join(ws.dir, 'hub.secret'), 'wrong-secret');
    try {
      const refused = await checkConnections(ws.env.loaded, ['hub']);
      expect(refused).toMatchObject({ outcome: 'config', configProblems: 1, findings: [{ connection: 'hub', ok: false, errorKind: 'config' }] });
    } finally {
      writeFileSync(join(ws.dir, 'hub.secret'), CLIENT_SECRET);
    }
    await ws.hub.stop();
    const down = await checkConnections(ws.env.loaded, ['hub']);
    expect(down).toMatchObject({ outcome: 'down', down: 1, findings: [{ connection: 'hub', ok: false }] });
  });
});

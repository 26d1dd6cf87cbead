import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Injection, InjectionMatch } from './injections.js';

/** what /_admin/ drives (VneidSimulator) */
export interface AdministeredSimulator {
  state(): unknown;
  inject(injection: Injection, match: InjectionMatch): void;
  pendingInjections(): number;
  setClockOffset(ms: number): void;
  reset(): void;
}

/**
 * `/_admin/` of the simulator: its state and its injections over HTTP, for a simulator in a
 * process of its own (a test that kills a runner with -9, the demo). `GET /_admin/state`;
 * `POST /_admin/inject {injection, match}`, `/_admin/clock {offsetMs}`, `/_admin/reset`.
 * Everything else on the host that is not the SOAP port answers 404.
 */
export function adminRequest(sim: AdministeredSimulator, req: IncomingMessage, res: ServerResponse): void {
  const send = (status: number, body: unknown): void => {
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(body));
  };
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method === 'GET' && path === '/_admin/state') return send(200, sim.state());
  if (req.method !== 'POST' || !path.startsWith('/_admin/')) return send(404, { error: 'not found' });
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return send(400, { error: 'the body is not JSON' });
    }
    if (path === '/_admin/inject') {
      sim.inject(body.injection as Injection, (body.match ?? {}) as InjectionMatch);
      return send(200, { pending: sim.pendingInjections() });
    }
    if (path === '/_admin/clock') {
      sim.setClockOffset(Number(body.offsetMs ?? 0));
      return send(200, { offsetMs: Number(body.offsetMs ?? 0) });
    }
    if (path === '/_admin/reset') {
      sim.reset();
      return send(200, {});
    }
    return send(404, { error: 'not found' });
  });
}

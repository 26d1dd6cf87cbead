/**
 * A CIM kiosk simulator following docs/contracts/cim.md ("lienthong → kiosk"): bearer token,
 * `PUT /api/v1/templates/{code}`, `PUT`/`DELETE /api/v1/students/{id}`, `GET /api/v1/health`.
 * Faults a corridor kiosk has: offline (it stops listening: connections are refused), offline
 * windows on a timer, slowness, and lost responses (the change is applied, the answer dropped).
 * It records every request and every change it applied, so tests can assert order and once-only.
 *
 *   const kiosk = new KioskSimulator();
 *   const { url } = await kiosk.start({ kioskId: 'kiosk-a1', token: 's3cret' });
 *   kiosk.goOffline(); …; await kiosk.goOnline();
 *   kiosk.applied   // [{ kind: 'student', op: 'put', key: '22900017', body: {…} }, …]
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface KioskSimulatorOptions {
  kioskId: string;
  token: string;
  host?: string;
  /** 0: any free port (kept across offline windows) */
  port?: number;
  /** added to every answer */
  delayMs?: number;
  /** the next N changes (requests that alter what the kiosk holds) are applied, their answers dropped (the socket is destroyed) */
  dropAnswers?: number;
  /** windows, in ms after start, during which the kiosk refuses connections */
  offlineWindows?: { fromMs: number; toMs: number }[];
  /** starts offline (refusing connections) until goOnline() */
  startOffline?: boolean;
  /** answers every change with this status instead (e.g. 500, 422) until cleared */
  failWith?: number;
  version?: string;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  authorized: boolean;
  body: unknown;
  at: string;
}

export interface AppliedChange {
  kind: 'template' | 'student';
  op: 'put' | 'delete';
  key: string;
  body: Record<string, unknown> | null;
  at: string;
}

export class KioskSimulator {
  /** every request that reached the kiosk, in arrival order */
  readonly received: ReceivedRequest[] = [];
  /** every change that altered what the kiosk holds (an identical PUT again is no change) */
  readonly applied: AppliedChange[] = [];
  readonly templates = new Map<string, Record<string, unknown>>();
  readonly students = new Map<string, Record<string, unknown>>();
  lastSyncAt: string | null = null;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private options: KioskSimulatorOptions | null = null;
  private port = 0;
  private host = '127.0.0.1';
  private timers: NodeJS.Timeout[] = [];
  private dropAnswers = 0;
  private failWith: number | undefined;

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  get online(): boolean {
    return this.server !== null;
  }

  async start(options: KioskSimulatorOptions): Promise<{ url: string }> {
    this.options = options;
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.dropAnswers = options.dropAnswers ?? 0;
    this.failWith = options.failWith;
    // a port is taken even when starting offline, so that the url stays the same
    await this.listen();
    if (options.startOffline) await this.goOffline();
    for (const w of options.offlineWindows ?? []) {
      this.timers.push(setTimeout(() => void this.goOffline(), w.fromMs));
      this.timers.push(setTimeout(() => void this.goOnline(), w.toMs));
    }
    return { url: this.url };
  }

  /** the kiosk stops listening: new connections are refused (ECONNREFUSED) and open ones cut */
  async goOffline(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** back on the same port */
  async goOnline(): Promise<void> {
    if (this.server === null) await this.listen();
  }

  /** the next `n` changes are applied, their answers dropped */
  dropNextAnswers(n: number): void {
    this.dropAnswers = n;
  }

  /** answer every change with `status` (undefined: normal service again) */
  setFailWith(status: number | undefined): void {
    this.failWith = status;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    await this.goOffline();
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 2_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => resolve());
    });
    const address = server.address();
    if (address !== null && typeof address === 'object') this.port = address.port;
    this.server = server;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const options = this.options as KioskSimulatorOptions;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = (req.url ?? '/').split('?')[0] as string;
    const method = req.method ?? 'GET';
    const authorized = req.headers.authorization === `Bearer ${options.token}`;
    let body: unknown = null;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    this.received.push({ method, path, authorized, body, at: new Date().toISOString() });
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    const send = (status: number, answer: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer));
    };
    if (!authorized) return send(401, kioskError('UNAUTHORIZED', 'missing or wrong bearer token'));
    if (method === 'GET' && path === '/api/v1/health') return send(200, { kioskId: options.kioskId, version: options.version ?? 'sim-1', lastSyncAt: this.lastSyncAt });
    const m = /^\/api\/v1\/(templates|students)\/([^/]+)$/.exec(path);
    if (m === null) return send(404, kioskError('NOT_FOUND', 'no such endpoint'));
    const kind = m[1] === 'templates' ? 'template' : 'student';
    const key = decodeURIComponent(m[2] as string);
    if (this.failWith !== undefined) return send(this.failWith, kioskError('SIMULATED', `simulated ${this.failWith}`));
    if (method === 'PUT') {
      const problem = body === undefined ? 'the body is not JSON' : checkBody(kind, key, body);
      if (problem) return send(422, kioskError('INVALID', problem));
      const map = kind === 'template' ? this.templates : this.students;
      const before = map.get(key);
      if (before !== undefined && JSON.stringify(before) === JSON.stringify(body)) return send(200, { ok: true, unchanged: true });
      map.set(key, body as Record<string, unknown>);
      this.applied.push({ kind, op: 'put', key, body: body as Record<string, unknown>, at: new Date().toISOString() });
    } else if (method === 'DELETE' && kind === 'student') {
      if (!this.students.has(key)) return send(404, kioskError('NOT_FOUND', 'no such student'));
      this.students.delete(key);
      this.applied.push({ kind, op: 'delete', key, body: null, at: new Date().toISOString() });
    } else {
      return send(405, kioskError('METHOD_NOT_ALLOWED', `${method} is not allowed here`));
    }
    this.lastSyncAt = new Date().toISOString();
    if (this.dropAnswers > 0) {
      // applied, but the answer never arrives: the caller cannot tell this from a lost request
      this.dropAnswers--;
      req.socket.destroy();
      return;
    }
    send(200, { ok: true });
  }
}

/** an error answer as a kiosk gives it (its own codes, not lienthong's) */
function kioskError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** the contract's fields, checked as a kiosk would; a string saying what is wrong, or undefined */
function checkBody(kind: 'template' | 'student', key: string, body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return 'the body is not an object';
  const b = body as Record<string, unknown>;
  if (kind === 'template') {
    if (b.templateCode !== key) return 'templateCode differs from the path';
    const title = b.title as Record<string, unknown> | undefined;
    if (typeof title?.vi !== 'string' || typeof title.en !== 'string') return 'title.vi and title.en are required';
    if (!Array.isArray(b.languages) || b.languages.length === 0) return 'languages is required';
    if (typeof b.feeVnd !== 'number' || b.feeVnd < 0) return 'feeVnd must be a number ≥ 0';
    if (typeof b.layoutVersion !== 'number') return 'layoutVersion is required';
    if (typeof b.active !== 'boolean') return 'active is required';
    if (typeof b.ownerUnit !== 'string') return 'ownerUnit is required';
    return undefined;
  }
  if (b.studentId !== key) return 'studentId differs from the path';
  for (const field of ['fullName', 'birthDate', 'status', 'updatedAt']) if (typeof b[field] !== 'string') return `${field} is required`;
  return undefined;
}

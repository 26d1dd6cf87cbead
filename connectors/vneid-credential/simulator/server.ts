import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from 'soap';
import { credentialServiceWsdlPath, refuseRemoteImport } from '../wsdl.js';
import { readRequestHeaders, type HeaderFault, type Identifier } from './headers.js';
import { CredentialStore, type PublishArgs, type ServiceAnswer, type StoredCredential } from './store.js';

/**
 * The VNeID-facing credential service of docs/contracts/vneid.md, in one process, on the `soap`
 * package's server with the project's own WSDL: WS-Security login and Timestamp (more than 5
 * minutes from its clock: a `MessageExpired` fault), the X-Road headers, replay by message id, one
 * credential per credentialKey, QueryCredentials. Tests (and `/_admin/` over HTTP, for a simulator
 * in a process of its own) inject any result code, faults, HTTP failures, raw answers, slow
 * answers and answers lost after the request was applied, and read what it holds.
 */

export type Operation = 'PublishCredential' | 'RevokeCredential' | 'QueryCredentials';
const OPERATIONS: readonly Operation[] = ['PublishCredential', 'RevokeCredential', 'QueryCredentials'];

export interface VneidSimulatorOptions {
  port?: number;
  host?: string;
  /** the WS-Security login the service accepts */
  username: string;
  password: string;
  /** X-Road member codes allowed to call (others get 20); default every member */
  authorisedMembers?: string[];
  /** personal ids the population database does not know (their requests get 11) */
  unknownPersonalIds?: string[];
  /** the service's own X-Road identity: when given, a request naming another service is refused */
  service?: Identifier;
  /** the service's clock minus this machine's (a skew to test MessageExpired) */
  clockOffsetMs?: number;
  /** how far a Timestamp's Created may be from the service's clock (default 5 minutes) */
  maxSkewMs?: number;
  /** every answer waits this long (default 0) */
  latencyMs?: number;
  /** the port's path (default /CredentialService) */
  path?: string;
}

/**
 * What to do with a request instead of (or after) serving it. `afterApply`: the request is
 * applied and its answer kept for replays, then this happens instead of the answer: the answer
 * is lost in the window after the service applied the request.
 */
export type Injection =
  | { type: 'result'; code: string; message?: string }
  | { type: 'fault'; faultcode?: string; faultstring?: string; afterApply?: boolean }
  | { type: 'expired' }
  | { type: 'http'; status: number; body?: string; contentType?: string; afterApply?: boolean }
  | { type: 'raw'; body: string; status?: number }
  | { type: 'drop'; afterApply?: boolean }
  | { type: 'hang'; afterApply?: boolean }
  | { type: 'slow'; ms: number };

/** Which requests an injection takes: by operation, by personal id, how many times (default once). */
export interface InjectionMatch {
  operation?: Operation;
  personalId?: string;
  times?: number;
}

export interface LoggedMessage {
  messageId: string | null;
  operation: string;
  personalId: string | null;
  /** the request's wsu:Created */
  created: string | null;
  soapAction: string | null;
  /** a result code, `fault:<faultcode>`, `http:<status>`, `raw`, `drop` or `hang` */
  answer: string;
  replay: boolean;
  applied: boolean;
  at: string;
}

export interface VneidSimulatorState {
  credentials: StoredCredential[];
  messages: LoggedMessage[];
  counts: { requests: number; applied: number; replays: number; faults: number };
}

interface Pending {
  injection: Injection;
  match: InjectionMatch;
  left: number;
}

/** never settles: the answer was written (or withheld) by the simulator itself */
const NEVER = new Promise<never>(() => undefined);

export class VneidSimulator {
  private server: Server | undefined;
  private options: VneidSimulatorOptions | undefined;
  private store = new CredentialStore(() => this.serviceNow());
  private pending: Pending[] = [];
  private readonly messages: LoggedMessage[] = [];
  private counts = { requests: 0, applied: 0, replays: 0, faults: 0 };
  private readonly raw = new WeakMap<IncomingMessage, string>();
  private readonly hanging = new Set<ServerResponse>();
  private clockOffsetMs = 0;
  url = '';

  async start(options: VneidSimulatorOptions): Promise<{ url: string }> {
    this.options = options;
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    const path = options.path ?? '/CredentialService';
    const server = createServer((req, res) => this.admin(req, res));
    server.keepAliveTimeout = 5_000;
    const wsdlPath = credentialServiceWsdlPath();
    const handler = (operation: Operation) => (args: unknown, _callback: unknown, _headers: unknown, req: IncomingMessage, res: ServerResponse) => this.handle(operation, (args ?? {}) as Record<string, unknown>, req, res);
    let ready: (err: unknown) => void = () => undefined;
    const wsdlRead = new Promise<void>((resolve, reject) => {
      ready = (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve());
    });
    const soapServer = listen(server, {
      path,
      xml: readFileSync(wsdlPath, 'utf8'),
      uri: wsdlPath,
      wsdl_options: { overrideImportLocation: refuseRemoteImport },
      services: { CredentialService: { CredentialPort: Object.fromEntries(OPERATIONS.map((op) => [op, handler(op)])) } },
      suppressStack: true,
      // the package routes SOAP requests only once its WSDL (and the included XSD) is read
      callback: (err: unknown) => ready(err),
    } as unknown as Parameters<typeof listen>[1]);
    await wsdlRead;
    // the raw request text, for reading the headers by namespace (the package hands them without)
    (soapServer as unknown as { log: (type: string, data: unknown, req: IncomingMessage) => void }).log = (type, data, req) => {
      if (type === 'received' && typeof data === 'string') this.raw.set(req, data);
    };
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.url = `http://${host}:${address.port}${path}`;
    return { url: this.url };
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** adds an injection: the next matching request(s) get it instead of (or after) being served */
  inject(injection: Injection, match: InjectionMatch = {}): void {
    this.pending.push({ injection, match, left: match.times ?? 1 });
  }

  clearInjections(): void {
    this.pending = [];
  }

  /** moves the service's clock (relative to this machine's) */
  setClockOffset(ms: number): void {
    this.clockOffsetMs = ms;
  }

  /** what the service holds and what it was sent */
  state(): VneidSimulatorState {
    return { credentials: this.store.credentials(), messages: this.messages.map((m) => ({ ...m })), counts: { ...this.counts } };
  }

  credential(credentialKey: string): StoredCredential | undefined {
    return this.store.get(credentialKey);
  }

  reset(): void {
    this.store.clear();
    this.pending = [];
    this.messages.length = 0;
    this.counts = { requests: 0, applied: 0, replays: 0, faults: 0 };
  }

  private serviceNow(): number {
    return Date.now() + this.clockOffsetMs;
  }

  private take(operation: Operation, personalId: string | null): Injection | undefined {
    const i = this.pending.findIndex((p) => (p.match.operation === undefined || p.match.operation === operation) && (p.match.personalId === undefined || p.match.personalId === personalId));
    if (i < 0) return undefined;
    const p = this.pending[i]!;
    p.left -= 1;
    if (p.left <= 0) this.pending.splice(i, 1);
    return p.injection;
  }

  private async handle(operation: Operation, args: Record<string, unknown>, req: IncomingMessage, res: ServerResponse): Promise<object> {
    const options = this.options as VneidSimulatorOptions;
    this.counts.requests += 1;
    const personalId = typeof args.personalId === 'string' ? args.personalId : null;
    const soapAction = typeof req.headers.soapaction === 'string' ? req.headers.soapaction : null;
    const entry: LoggedMessage = { messageId: null, operation, personalId, created: null, soapAction, answer: '', replay: false, applied: false, at: new Date(this.serviceNow()).toISOString() };
    this.messages.push(entry);
    res.setHeader('Date', new Date(this.serviceNow()).toUTCString());
    if ((options.latencyMs ?? 0) > 0) await sleep(options.latencyMs as number);

    let injection = this.take(operation, personalId);
    if (injection?.type === 'slow') {
      await sleep(injection.ms);
      injection = undefined;
    }
    const now = injection === undefined || ('afterApply' in injection && injection.afterApply === true) ? undefined : injection;
    if (now !== undefined && now.type !== 'result') return this.act(now, entry, res);

    const transport = transportFault(req, operation);
    if (transport !== undefined) return this.fault(transport, entry);
    const headers = readRequestHeaders(this.raw.get(req) ?? '', operation);
    if ('faultcode' in headers) return this.fault(headers, entry);
    entry.messageId = headers.messageId;
    entry.created = headers.created;
    if (headers.username !== options.username || headers.password !== options.password) {
      return this.fault({ faultcode: 'wsse:FailedAuthentication', faultstring: 'the security token could not be authenticated' }, entry);
    }
    const serviceNow = this.serviceNow();
    const skew = Math.abs(Date.parse(headers.created) - serviceNow);
    if (skew > (options.maxSkewMs ?? 300_000) || Date.parse(headers.expires) < serviceNow) {
      return this.fault({ faultcode: 'wsse:MessageExpired', faultstring: `the message has expired: wsu:Created ${headers.created} is ${Math.round(skew / 1000)} s from the service's clock` }, entry);
    }
    if (options.service !== undefined && !sameIdentifier(options.service, headers.service)) {
      return this.fault({ faultcode: 'soap:Client', faultstring: 'xrd:service names another service' }, entry);
    }

    const replay = this.store.replay(headers.messageId);
    if (replay !== undefined) {
      this.counts.replays += 1;
      entry.replay = true;
      entry.answer = replay.answer.resultCode;
      return replay.operation === operation ? replay.answer : { resultCode: '10', message: 'xrd:id: this message id was used for another operation' };
    }

    let answer: ServiceAnswer;
    if (now?.type === 'result') answer = { resultCode: now.code, message: now.message ?? `injected ${now.code}` };
    else if (options.authorisedMembers !== undefined && !options.authorisedMembers.includes(headers.client.memberCode)) answer = { resultCode: '20', message: `unit ${headers.client.memberCode} is not authorised` };
    else if (personalId !== null && (options.unknownPersonalIds ?? []).includes(personalId)) answer = { resultCode: '11', message: 'personalId unknown to the population database' };
    else {
      answer = this.apply(operation, args, headers.client.memberCode);
      entry.applied = operation !== 'QueryCredentials' && answer.resultCode === '00';
      if (entry.applied) this.counts.applied += 1;
    }
    this.store.remember(headers.messageId, operation, answer);
    entry.answer = answer.resultCode;
    // the request is applied and its answer kept: now the answer may be lost
    if (injection !== undefined && 'afterApply' in injection && injection.afterApply === true) return this.act(injection, entry, res);
    return answer;
  }

  private apply(operation: Operation, args: Record<string, unknown>, memberCode: string): ServiceAnswer {
    if (operation === 'PublishCredential') return this.store.publish(args as unknown as PublishArgs, memberCode);
    if (operation === 'RevokeCredential') return this.store.revoke(args as unknown as { personalId: string; credentialId: string; reason: string });
    return this.store.query(String(args.personalId ?? ''));
  }

  private fault(fault: HeaderFault, entry: LoggedMessage): Promise<never> {
    this.counts.faults += 1;
    entry.answer = `fault:${fault.faultcode}`;
    return Promise.reject({ Fault: { faultcode: fault.faultcode, faultstring: fault.faultstring, statusCode: 500 } });
  }

  private act(injection: Injection, entry: LoggedMessage, res: ServerResponse): Promise<never> {
    switch (injection.type) {
      case 'fault':
        return this.fault({ faultcode: injection.faultcode ?? 'soap:Server', faultstring: injection.faultstring ?? 'injected fault' }, entry);
      case 'expired':
        return this.fault({ faultcode: 'wsse:MessageExpired', faultstring: 'the message has expired (injected)' }, entry);
      case 'http':
        entry.answer = `http:${injection.status}`;
        res.statusCode = injection.status;
        res.setHeader('Content-Type', injection.contentType ?? 'text/html; charset=utf-8');
        res.end(injection.body ?? `<html><body>${injection.status}</body></html>`);
        return NEVER;
      case 'raw':
        entry.answer = 'raw';
        res.statusCode = injection.status ?? 200;
        res.setHeader('Content-Type', 'text/xml; charset=utf-8');
        res.end(injection.body);
        return NEVER;
      case 'drop':
        entry.answer = 'drop';
        res.destroy();
        return NEVER;
      case 'hang':
        entry.answer = 'hang';
        this.hanging.add(res);
        res.once('close', () => this.hanging.delete(res));
        return NEVER;
      default:
        return NEVER;
    }
  }

  /** `/_admin/`: the simulator's state and injections over HTTP (for a simulator in its own process) */
  private admin(req: IncomingMessage, res: ServerResponse): void {
    const send = (status: number, body: unknown): void => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/_admin/state') return send(200, this.state());
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
        this.inject(body.injection as Injection, (body.match ?? {}) as InjectionMatch);
        return send(200, { pending: this.pending.length });
      }
      if (path === '/_admin/clock') {
        this.setClockOffset(Number(body.offsetMs ?? 0));
        return send(200, { offsetMs: this.clockOffsetMs });
      }
      if (path === '/_admin/reset') {
        this.reset();
        return send(200, {});
      }
      return send(404, { error: 'not found' });
    });
  }
}

/** SOAP 1.1 over HTTP as the contract has it: text/xml in UTF-8, SOAPAction the operation */
function transportFault(req: IncomingMessage, operation: Operation): HeaderFault | undefined {
  const type = (req.headers['content-type'] ?? '').toLowerCase().replace(/\s+/g, '');
  if (!type.startsWith('text/xml') || !type.includes('charset=utf-8')) return { faultcode: 'soap:Client', faultstring: 'Content-Type must be text/xml; charset=utf-8' };
  const action = req.headers.soapaction;
  if (typeof action !== 'string' || action.replace(/^"|"$/g, '') !== operation) return { faultcode: 'soap:Client', faultstring: `SOAPAction must be "${operation}"` };
  return undefined;
}

function sameIdentifier(a: Identifier, b: Identifier): boolean {
  return a.xRoadInstance === b.xRoadInstance && a.memberClass === b.memberClass && a.memberCode === b.memberCode && a.subsystemCode === b.subsystemCode;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** starts a simulator (the tests', the demo's, the benchmark's) */
export async function startVneidSimulator(options: VneidSimulatorOptions): Promise<VneidSimulator> {
  const simulator = new VneidSimulator();
  await simulator.start(options);
  return simulator;
}

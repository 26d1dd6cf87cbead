import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from 'soap';
import { credentialServiceWsdlPath, refuseRemoteImport } from '../wsdl.js';
import { adminRequest } from './admin.js';
import type { Injection, InjectionMatch, Operation } from './injections.js';
import { readRequestHeaders, type HeaderFault, type Identifier } from './headers.js';
import { CredentialStore, type CredentialStoreSnapshot, type PublishArgs, type ServiceAnswer, type StoredCredential } from './store.js';

/**
 * The VNeID-facing credential service of docs/contracts/vneid.md, in one process, on the `soap`
 * package's server with the project's own WSDL: WS-Security login and Timestamp (more than 5
 * minutes from its clock: a `MessageExpired` fault), the X-Road headers, replay by message id, one
 * credential per credentialKey, QueryCredentials. Tests (and `/_admin/` over HTTP, for a simulator
 * in a process of its own) inject any result code, faults, HTTP failures, raw answers, slow
 * answers and answers lost after the request was applied, and read what it holds.
 */

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
  /**
   * a JSON file the service keeps what it holds in (credentials and the answers it replays),
   * read at start and written shortly after each change and at stop: a simulator started again on
   * it holds what it held (the demo run again on its folder). Default: memory only.
   */
  statePath?: string;
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
  /** `maxInFlight`: the most requests the service was handling at once */
  counts: { requests: number; applied: number; replays: number; faults: number; maxInFlight: number };
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
  private counts = { requests: 0, applied: 0, replays: 0, faults: 0, maxInFlight: 0 };
  private inFlight = 0;
  private readonly raw = new WeakMap<IncomingMessage, string>();
  private readonly hanging = new Set<ServerResponse>();
  private clockOffsetMs = 0;
  private saveTimer: NodeJS.Timeout | undefined;
  url = '';

  async start(options: VneidSimulatorOptions): Promise<{ url: string }> {
    this.options = options;
    if (options.statePath !== undefined && existsSync(options.statePath)) this.store.load(JSON.parse(readFileSync(options.statePath, 'utf8')) as CredentialStoreSnapshot);
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
    const path = options.path ?? '/CredentialService';
    const server = createServer((req, res) => adminRequest(this, req, res));
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
    const hooks = soapServer as unknown as { log: (type: string, data: unknown, req: IncomingMessage) => void; authorizeConnection: (req: IncomingMessage, res: ServerResponse) => boolean };
    // the raw request text, for reading the headers by namespace (the package hands them without)
    hooks.log = (type, data, req) => {
      if (type === 'received' && typeof data === 'string') this.raw.set(req, data);
    };
    // SOAP 1.1 over HTTP as the contract has it, checked before the package routes the request by
    // its SOAPAction (it cannot route a wrong one, and would answer a SOAP 1.2 fault)
    hooks.authorizeConnection = (req, res) => {
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/$/, '') !== path.replace(/\/$/, '')) return true;
      const fault = transportFault(req);
      if (fault === undefined) return true;
      this.counts.requests += 1;
      this.counts.faults += 1;
      this.messages.push({ messageId: null, operation: soapActionOf(req) ?? '', personalId: null, created: null, soapAction: typeof req.headers.soapaction === 'string' ? req.headers.soapaction : null, answer: `fault:${fault.faultcode}`, replay: false, applied: false, at: new Date(this.serviceNow()).toISOString() });
      res.statusCode = 500;
      res.setHeader('Content-Type', 'text/xml; charset=utf-8');
      res.end(
        `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>${fault.faultcode}</faultcode><faultstring>${fault.faultstring}</faultstring></soap:Fault></soap:Body></soap:Envelope>`,
      );
      return false;
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
    this.saveState();
  }

  /** writes the state file soon: many changes in a burst make one write */
  private scheduleSave(): void {
    if (this.options?.statePath === undefined || this.saveTimer !== undefined) return;
    this.saveTimer = setTimeout(() => this.saveState(), 200);
    this.saveTimer.unref();
  }

  /** writes the state file now (whole, then renamed: a reader never sees half of it) */
  private saveState(): void {
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const path = this.options?.statePath;
    if (path === undefined) return;
    writeFileSync(`${path}.tmp`, JSON.stringify(this.store.snapshot()));
    renameSync(`${path}.tmp`, path);
  }

  /** adds an injection: the next matching request(s) get it instead of (or after) being served */
  inject(injection: Injection, match: InjectionMatch = {}): void {
    this.pending.push({ injection, match, left: match.times ?? 1 });
  }

  clearInjections(): void {
    this.pending = [];
  }

  /** how many injections wait for a request */
  pendingInjections(): number {
    return this.pending.length;
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
    this.scheduleSave();
    this.pending = [];
    this.messages.length = 0;
    this.counts = { requests: 0, applied: 0, replays: 0, faults: 0, maxInFlight: 0 };
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
    this.inFlight += 1;
    this.counts.maxInFlight = Math.max(this.counts.maxInFlight, this.inFlight);
    res.once('close', () => {
      this.inFlight -= 1;
    });
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

    if (now?.type === 'result') {
      // an injected answer, whatever the service holds (a busy service is busy for replays too)
      const injected: ServiceAnswer = { resultCode: now.code, message: now.message ?? `injected ${now.code}` };
      this.store.remember(headers.messageId, operation, injected);
      this.scheduleSave();
      entry.answer = injected.resultCode;
      return injected;
    }
    const lost = injection !== undefined && 'afterApply' in injection && injection.afterApply === true ? injection : undefined;
    const replay = this.store.replay(headers.messageId);
    if (replay !== undefined) {
      this.counts.replays += 1;
      entry.replay = true;
      entry.answer = replay.answer.resultCode;
      // the first answer again (and lost again, when injected so)
      if (lost !== undefined) return this.act(lost, entry, res);
      return replay.operation === operation ? replay.answer : { resultCode: '10', message: 'xrd:id: this message id was used for another operation' };
    }

    let answer: ServiceAnswer;
    if (options.authorisedMembers !== undefined && !options.authorisedMembers.includes(headers.client.memberCode)) answer = { resultCode: '20', message: `unit ${headers.client.memberCode} is not authorised` };
    else if (personalId !== null && (options.unknownPersonalIds ?? []).includes(personalId)) answer = { resultCode: '11', message: 'personalId unknown to the population database' };
    else {
      answer = this.apply(operation, args, headers.client.memberCode);
      entry.applied = operation !== 'QueryCredentials' && answer.resultCode === '00';
      if (entry.applied) this.counts.applied += 1;
    }
    this.store.remember(headers.messageId, operation, answer);
    this.scheduleSave();
    entry.answer = answer.resultCode;
    // the request is applied and its answer kept: now the answer may be lost
    if (lost !== undefined) return this.act(lost, entry, res);
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
}

function soapActionOf(req: IncomingMessage): string | undefined {
  const action = req.headers.soapaction;
  return typeof action === 'string' ? action.replace(/^"|"$/g, '') : undefined;
}

/** SOAP 1.1 over HTTP as the contract has it: text/xml in UTF-8, SOAPAction one of the operations */
function transportFault(req: IncomingMessage): HeaderFault | undefined {
  const type = (req.headers['content-type'] ?? '').toLowerCase().replace(/\s+/g, '');
  if (!type.startsWith('text/xml') || !type.includes('charset=utf-8')) return { faultcode: 'soap:Client', faultstring: 'Content-Type must be text/xml; charset=utf-8' };
  const action = soapActionOf(req);
  if (action === undefined || !(OPERATIONS as readonly string[]).includes(action)) return { faultcode: 'soap:Client', faultstring: `SOAPAction must be the operation: ${OPERATIONS.join(', ')}` };
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

import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import axios, { isAxiosError, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { Client, HttpClient, createClientAsync, type WSDL } from 'soap';
import { BugError, ConfigError, LienthongError, RejectedError, TransientError, type ErrorContext } from '../../src/core/errors.js';
import { maskPersonalIdsInText } from '../../src/core/redact.js';
import { errorCodeOf, isTlsConfigFailure, parseRetryAfter } from '../ministry-hub/http-errors.js';
import { looksLikeSoapEnvelope, refuseDtdAndEntities } from './answer-guard.js';
import type { XRoadIdentifier } from './config.js';
import type { CredentialType, PublishRequest } from './credential.js';
import { securityHeaderXml, xRoadHeaderXml } from './headers.js';
import { credentialServiceWsdlPath, refuseRemoteImport } from './wsdl.js';

/**
 * A client of the credential service (docs/contracts/vneid.md) on the `soap` package: the
 * project's WSDL from disk, the configured endpoint, fresh X-Road and WS-Security headers for
 * every attempt, and every answer checked before it is parsed (no DTD, no entity, a size bound).
 *
 * It answers the service's result codes as they are (`resultCode`, `message`, …): what they mean
 * for a record is the destination's business (destination.ts). What it decides itself is what no
 * result code says: a SOAP Fault, an HTTP failure, no answer. A `MessageExpired` fault (the
 * service found the Timestamp too far from its clock) is sent again at once with a fresh header
 * and the same message id; a second one is a clock problem (ConfigError VNEID_CLOCK_SKEW).
 */

export interface CredentialServiceOptions {
  endpoint: string;
  username: string;
  /** resolved; never logged */
  password: string;
  userId: string;
  client: XRoadIdentifier;
  service: XRoadIdentifier;
  timeoutMs?: number;
  timestampTtlSeconds?: number;
  maxSockets?: number;
  answerBoundBytes?: number;
  /** this machine's clock, for the Timestamp (tests move it) */
  now?: () => number;
}

export type Operation = 'PublishCredential' | 'RevokeCredential' | 'QueryCredentials';

export interface PublishAnswer {
  resultCode: string;
  message: string;
  credentialId: string | null;
}

export interface RevokeAnswer {
  resultCode: string;
  message: string;
}

/** A credential the service holds for a person (QueryCredentials). */
export interface HeldCredential {
  credentialId: string;
  credentialKey: string;
  credentialType: CredentialType;
  documentHash: string;
  status: 'ACTIVE' | 'REVOKED';
}

export interface QueryAnswer {
  resultCode: string;
  message: string;
  credentials: HeldCredential[];
}

export interface CallOptions {
  signal?: AbortSignal;
  /** what errors name (the record's idbanghi); never a personal id */
  record?: string;
}

const CONNECTOR = 'vneid-credential';

/** The WSDL parsed once per process (the soap package caches by path too). */
let parsedWsdl: Promise<WSDL> | undefined;

async function loadWsdl(): Promise<WSDL> {
  parsedWsdl ??= createClientAsync(credentialServiceWsdlPath(), {
    wsdl_options: { overrideImportLocation: refuseRemoteImport },
  }).then(
    (client) => client.wsdl,
    (err: unknown) => {
      parsedWsdl = undefined;
      throw err instanceof LienthongError ? err : new BugError('VNEID_WSDL_UNREADABLE', `the credential service's WSDL cannot be read: ${err instanceof Error ? err.message : String(err)}`, { connector: CONNECTOR }, { cause: err });
    },
  );
  return parsedWsdl;
}

export class CredentialServiceClient {
  private readonly http: HttpClient;
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly ttlSeconds: number;
  private readonly answerBound: number;

  private constructor(
    private readonly wsdl: WSDL,
    private readonly o: CredentialServiceOptions,
  ) {
    this.now = o.now ?? Date.now;
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.ttlSeconds = o.timestampTtlSeconds ?? 300;
    this.answerBound = o.answerBoundBytes ?? 1_048_576;
    const maxSockets = o.maxSockets ?? 16;
    // `timeout` lets Node drop an idle kept-alive socket a second before the server's announced
    // Keep-Alive timeout (it ignores the hint without one): reusing a socket the server is closing
    // is a reset
    const agentOptions = { keepAlive: true, maxSockets, timeout: this.timeoutMs };
    this.agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
    const instance = axios.create({ httpAgent: this.agents.http, httpsAgent: this.agents.https, maxRedirects: 0, proxy: false });
    // the soap package hands its HTTP client axios options; this function is that client's `request`
    const request = (config: AxiosRequestConfig): Promise<AxiosResponse> => this.send(instance, config);
    this.http = new HttpClient({ request: request as unknown as NonNullable<ConstructorParameters<typeof HttpClient>[0]>['request'] });
  }

  /** reads the shipped WSDL (once per process) and makes a client for the configured endpoint */
  static async open(options: CredentialServiceOptions): Promise<CredentialServiceClient> {
    return new CredentialServiceClient(await loadWsdl(), options);
  }

  /** PublishCredential under `messageId` (the same for every retry of this record's operation) */
  async publish(request: PublishRequest, messageId: string, options: CallOptions = {}): Promise<PublishAnswer> {
    const body = await this.call('PublishCredential', request, messageId, options);
    return { resultCode: resultCodeOf(body, 'PublishCredential', options), message: textOf(body.message), credentialId: textOf(body.credentialId) || null };
  }

  async revoke(request: { personalId: string; credentialId: string; reason: string }, messageId: string, options: CallOptions = {}): Promise<RevokeAnswer> {
    const body = await this.call('RevokeCredential', request, messageId, options);
    return { resultCode: resultCodeOf(body, 'RevokeCredential', options), message: textOf(body.message) };
  }

  /**
   * QueryCredentials for one person: every credential the service holds for them. A query has a
   * new message id every time: a replayed id would answer what the service held back then.
   */
  async query(personalId: string, options: CallOptions = {}): Promise<QueryAnswer> {
    const body = await this.call('QueryCredentials', { personalId }, randomUUID(), options);
    const raw = body.credential;
    const list = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
    return { resultCode: resultCodeOf(body, 'QueryCredentials', options), message: textOf(body.message), credentials: list.map((c) => heldCredentialOf(c, options)) };
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** one operation: an attempt, and at once a second with a fresh header if the first was found expired */
  private async call(operation: Operation, args: object, messageId: string, options: CallOptions): Promise<Record<string, unknown>> {
    const context: ErrorContext = { connector: CONNECTOR, operation, ...(options.record === undefined ? {} : { record: options.record }) };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(operation, args, messageId, options.signal, context);
      } catch (raw) {
        const err = this.errorOf(raw, context, options.signal);
        if (err.code !== 'VNEID_MESSAGE_EXPIRED') throw err;
        if (attempt === 1) continue;
        throw clockSkewError(raw, this.now(), context, err);
      }
    }
  }

  private async attempt(operation: Operation, args: object, messageId: string, signal: AbortSignal | undefined, context: ErrorContext): Promise<Record<string, unknown>> {
    // a Client per attempt over the one parsed WSDL: its headers are this attempt's own, so
    // concurrent calls never share them (cheap: the WSDL is not parsed again)
    const client = new Client(this.wsdl, this.o.endpoint, { httpClient: this.http });
    client.addSoapHeader(xRoadHeaderXml({ messageId, userId: this.o.userId, client: this.o.client, service: this.o.service, operation }));
    client.addSoapHeader(securityHeaderXml({ username: this.o.username, password: this.o.password, now: this.now(), ttlSeconds: this.ttlSeconds }));
    const method = (client as unknown as Record<string, (args: object, options: object) => Promise<[unknown]>>)[`${operation}Async`];
    if (typeof method !== 'function') throw new BugError('VNEID_WSDL_OPERATION', `the credential service's WSDL has no ${operation}`, context);
    const [result] = await method.call(client, args, { timeout: this.timeoutMs, ...(signal === undefined ? {} : { signal }) });
    if (result === null || typeof result !== 'object') {
      throw new BugError('VNEID_BAD_ANSWER', `the credential service's answer to ${operation} holds no ${operation}Response`, context);
    }
    return result as Record<string, unknown>;
  }

  /**
   * The HTTP exchange under the soap package: the answer's status and text are judged before the
   * package parses anything. A failure is thrown as a LienthongError, which the package hands on.
   */
  private async send(instance: ReturnType<typeof axios.create>, config: AxiosRequestConfig): Promise<AxiosResponse> {
    const context: ErrorContext = { connector: CONNECTOR };
    let res: AxiosResponse;
    try {
      res = await instance.request({ ...config, maxContentLength: this.answerBound, responseType: 'text', transformResponse: (d: unknown) => d, validateStatus: null });
    } catch (raw) {
      throw errorForNoAnswer(raw, { ...context, answerBound: this.answerBound }, config.signal as AbortSignal | undefined);
    }
    const text = typeof res.data === 'string' ? res.data : Buffer.isBuffer(res.data) ? res.data.toString('utf8') : String(res.data ?? '');
    res.data = text;
    const status = res.status;
    const envelope = looksLikeSoapEnvelope(text);
    if (envelope || status === 200) refuseDtdAndEntities(text, { ...context, status });
    // a SOAP Fault comes with 500: the package reads it; any other failure is judged by its status
    if (status === 200 || (status === 500 && envelope)) return res;
    throw errorForStatus(status, text, headerOf(res, 'retry-after'), { ...context, status }, this.now());
  }

  /** what a failed call means, whatever threw it (this client, the soap package, axios) */
  private errorOf(raw: unknown, context: ErrorContext, signal: AbortSignal | undefined): LienthongError {
    if (raw instanceof LienthongError) return raw;
    const fault = faultOf(raw);
    if (fault !== undefined) return errorForFault(fault, context);
    if (isAxiosError(raw) || (raw instanceof Error && 'code' in raw)) return errorForNoAnswer(raw, context, signal);
    const detail = raw instanceof Error ? raw.message : typeof raw === 'object' && raw !== null && 'Fault' in raw ? 'the answer is not well-formed XML' : String(raw);
    return new BugError('VNEID_BAD_ANSWER', `the credential service's answer cannot be read: ${maskPersonalIdsInText(detail.slice(0, 300))}`, context);
  }
}

interface Fault {
  code: string;
  text: string;
  /** the answer's HTTP Date header, when it had one (the service's clock) */
  serviceDate?: string;
}

/** a SOAP Fault the soap package read from an answer (its Error carries the parsed envelope as `root`) */
function faultOf(raw: unknown): Fault | undefined {
  if (!(raw instanceof Error)) return undefined;
  const root = (raw as Error & { root?: { Envelope?: { Body?: { Fault?: Record<string, unknown> } } } }).root;
  const fault = root?.Envelope?.Body?.Fault;
  if (fault === undefined || fault === null) return undefined;
  const response = (raw as Error & { response?: { headers?: Record<string, unknown> } }).response;
  const date = response?.headers?.date;
  return { code: textOf(fault.faultcode), text: textOf(fault.faultstring), ...(typeof date === 'string' ? { serviceDate: date } : {}) };
}

const AUTH_FAULTS = /(^|:)(FailedAuthentication|InvalidSecurity|InvalidSecurityToken|SecurityTokenUnavailable)$/;

/** A SOAP Fault is transient (the contract), except an expired message and a refused login. */
export function errorForFault(fault: Fault, context: ErrorContext): LienthongError {
  const detail = `${fault.code}: ${maskPersonalIdsInText(fault.text.slice(0, 300))}`;
  if (/(^|:)MessageExpired$/.test(fault.code)) {
    return new TransientError('VNEID_MESSAGE_EXPIRED', `the credential service found the message expired (${detail})`, { ...context, ...(fault.serviceDate === undefined ? {} : { serviceDate: fault.serviceDate }) });
  }
  if (AUTH_FAULTS.test(fault.code)) {
    return new ConfigError('VNEID_AUTH_FAILED', `the credential service refused the WS-Security login (${detail}): check username and password of the connection`, context);
  }
  return new TransientError('VNEID_FAULT', `the credential service answered a SOAP Fault (${detail}); the request may or may not have been applied`, context);
}

/** a second MessageExpired for a fresh Timestamp: the clocks are apart, and waiting will not help */
function clockSkewError(raw: unknown, now: number, context: ErrorContext, expired: LienthongError): ConfigError {
  const serviceDate = faultOf(raw)?.serviceDate ?? (typeof expired.context.serviceDate === 'string' ? expired.context.serviceDate : undefined);
  const serviceMs = serviceDate === undefined ? NaN : Date.parse(serviceDate);
  const apart = Number.isNaN(serviceMs) ? '' : ` (this machine's clock is ${Math.round(Math.abs(now - serviceMs) / 60_000)} minutes ${now > serviceMs ? 'ahead of' : 'behind'} the service's, by its Date header)`;
  return new ConfigError(
    'VNEID_CLOCK_SKEW',
    `the credential service refused two fresh timestamps in a row as expired: this machine's clock differs from the service's by more than 5 minutes${apart}. Set the clock right (NTP) and run again`,
    context,
    { cause: expired },
  );
}

function headerOf(res: AxiosResponse, name: string): string | undefined {
  const value: unknown = res.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Whole-request failures by HTTP status (a SOAP Fault on 500 is read instead, above). */
export function errorForStatus(status: number, text: string, retryAfterHeader: string | undefined, context: ErrorContext, now: number): LienthongError {
  const snippet = maskPersonalIdsInText(text.replace(/\s+/g, ' ').slice(0, 120));
  if (status === 401) return new ConfigError('VNEID_UNAUTHORIZED', 'the credential service (its security server) refused this client (401): check username, password and the X-Road client of the connection', context);
  if (status === 403) return new ConfigError('VNEID_FORBIDDEN', 'the credential service (its security server) does not let this client call it (403): check the X-Road client and service of the connection', context);
  if (status === 404) return new ConfigError('VNEID_NOT_FOUND', 'the credential service has nothing at this address (404): check endpoint', context);
  const retryAfterMs = parseRetryAfter(retryAfterHeader, now);
  const wait = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (status === 429) return new TransientError('VNEID_RATE_LIMITED', 'the credential service is rate limiting (429)', context, wait);
  if (status >= 500 || status === 408) return new TransientError('VNEID_UNAVAILABLE', `the credential service failed (HTTP ${status}${snippet === '' ? '' : `: ${snippet}`}); the request may or may not have been applied`, context, wait);
  if (status >= 300 && status < 400) return new ConfigError('VNEID_REDIRECTED', `the credential service redirects (HTTP ${status}): set endpoint to the address it redirects to`, context);
  return new RejectedError('VNEID_HTTP_REFUSED', `the credential service refused the request (HTTP ${status}${snippet === '' ? '' : `: ${snippet}`})`, context);
}

/** A request that got no answer: transient (the request may have been applied), except TLS trust. */
export function errorForNoAnswer(raw: unknown, context: ErrorContext, signal?: AbortSignal): LienthongError {
  if (raw instanceof LienthongError) return raw;
  const code = errorCodeOf(raw);
  // not the axios error itself: it carries the request (the password, personal data)
  const err = new Error(`${code ?? 'ERROR'}: ${raw instanceof Error ? raw.message : String(raw)}`);
  if (isTlsConfigFailure(code)) {
    return new ConfigError('VNEID_TLS', `the credential service's TLS connection cannot be trusted (${code}): check the endpoint's host name, the certificate's dates and its CA (NODE_EXTRA_CA_CERTS)`, context, { cause: err });
  }
  if (code === 'ERR_BAD_RESPONSE' && raw instanceof Error && /maxContentLength/.test(raw.message)) {
    return new TransientError('VNEID_ANSWER_TOO_LARGE', `the credential service's answer was larger than ${String(context.answerBound ?? 'the bound')} bytes and was refused unread; the request may or may not have been applied`, context, { cause: err });
  }
  const reason: unknown = signal?.reason;
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || (reason instanceof Error && reason.name === 'TimeoutError')) {
    return new TransientError('VNEID_TIMEOUT', 'the credential service did not answer in time; the request may or may not have been applied', context, { cause: err });
  }
  if (signal?.aborted === true || code === 'ERR_CANCELED') return new TransientError('VNEID_ABORTED', 'the request to the credential service was cancelled', context, { cause: err });
  return new TransientError('VNEID_NETWORK', `no answer from the credential service (${code ?? 'network error'}); the request may or may not have been applied`, context, { cause: err });
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value !== null && typeof value === 'object' && '$value' in value) return textOf((value as { $value: unknown }).$value);
  return '';
}

function resultCodeOf(body: Record<string, unknown>, operation: Operation, options: CallOptions): string {
  const code = textOf(body.resultCode);
  if (!/^[0-9]{2}$/.test(code)) {
    throw new BugError('VNEID_BAD_ANSWER', `the credential service's answer to ${operation} has no two-digit resultCode`, { connector: CONNECTOR, operation, ...(options.record === undefined ? {} : { record: options.record }) });
  }
  return code;
}

function heldCredentialOf(raw: unknown, options: CallOptions): HeldCredential {
  const c = (raw ?? {}) as Record<string, unknown>;
  const held = {
    credentialId: textOf(c.credentialId),
    credentialKey: textOf(c.credentialKey),
    credentialType: textOf(c.credentialType) as CredentialType,
    documentHash: textOf(c.documentHash),
    status: textOf(c.status) as HeldCredential['status'],
  };
  if (held.credentialId === '' || held.credentialKey === '' || (held.status !== 'ACTIVE' && held.status !== 'REVOKED')) {
    throw new BugError('VNEID_BAD_ANSWER', 'a credential in the answer to QueryCredentials lacks its id, key or status', { connector: CONNECTOR, operation: 'QueryCredentials', ...(options.record === undefined ? {} : { record: options.record }) });
  }
  return held;
}

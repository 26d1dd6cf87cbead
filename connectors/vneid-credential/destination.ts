import type { CheckResult, DestinationConnector, WriteContext } from '../../src/core/connector.js';
import { BugError, ConfigError, LienthongError, RejectedError, TransientError } from '../../src/core/errors.js';
import type { DeliveryAnswer, EncodedRecord, StagedRecord } from '../../src/core/records.js';
import { maskPersonalIdsInText } from '../../src/core/redact.js';
import { insecureEndpointWarning, parseVneidCredentialConfig, type VneidCredentialConfig, type VneidCredentialConfigInput } from './config.js';
import { decodeCredential, encodeCredential, type EncodedPublish, type EncodedRevoke } from './credential.js';
import { CredentialServiceClient, type CallOptions, type HeldCredential, type PublishAnswer, type QueryAnswer, type RevokeAnswer } from './service-client.js';

/** What the service holds for one person: `unknownPerson` when the population database does not know them (11). */
export interface PersonCredentials {
  credentials: HeldCredential[];
  unknownPerson: boolean;
}

/**
 * The VNeID-facing credential service as a destination. One record is one SOAP call (a revocation
 * two: QueryCredentials finds the credential's id by its key, then RevokeCredential), so the job's
 * `concurrency` is the number of calls in flight and its `rateLimit` paces calls; a batch of more
 * than one record (`maxBatchSize`) is sent one call after another.
 *
 * Result codes become the engine's answers: 00 and 01 delivered (the credentialId is the receipt);
 * 10 and 11 rejected for the record, with the reason; 20 stops the job (ConfigError, as a hub
 * refusing the unit does); 90 and 99 transient. Faults, HTTP failures and no answer: see
 * service-client.ts. No retries here beyond the immediate resend of an expired message: the
 * engine's deliverer retries, and every retry of a record's operation carries its message id.
 */
export class VneidCredentialDestination implements DestinationConnector {
  readonly type = 'vneid-credential';
  readonly maxBatchSize: number;
  readonly config: Readonly<Omit<VneidCredentialConfig, 'password'>>;
  private readonly transportWarning: string | null;
  private client: Promise<CredentialServiceClient> | undefined;
  private readonly password: string;
  private readonly now: (() => number) | undefined;

  constructor(config: VneidCredentialConfigInput, options: { now?: () => number } = {}) {
    const parsed = parseVneidCredentialConfig(config);
    this.transportWarning = insecureEndpointWarning(parsed.endpoint, parsed.allowInsecureHttp, parsed.name ?? 'vneid-credential connection');
    const { password, ...shown } = parsed;
    this.password = password;
    this.config = shown;
    this.maxBatchSize = parsed.maxBatchSize;
    this.now = options.now;
  }

  /** what the operator must hear on every run while this connection is used (plain http allowed) */
  warnings(): string[] {
    return this.transportWarning === null ? [] : [this.transportWarning];
  }

  /** the service's client, made once (the WSDL is read from disk on first use) */
  service(): Promise<CredentialServiceClient> {
    const c = this.config;
    this.client ??= CredentialServiceClient.open({
      endpoint: c.endpoint,
      username: c.username,
      password: this.password,
      userId: c.userId,
      client: c.client,
      service: c.service,
      timeoutMs: c.timeoutMs,
      timestampTtlSeconds: c.timestampTtlSeconds,
      maxSockets: c.maxSockets,
      answerBoundBytes: c.answerBoundBytes,
      ...(this.now === undefined ? {} : { now: this.now }),
    });
    return this.client;
  }

  /**
   * Asks the service for the credentials of a personal id no citizen has (`000000000000`): the
   * address, the TLS trust, the WS-Security login, the X-Road client and the clocks all work when
   * it answers with any result code but 20.
   */
  async check(): Promise<CheckResult> {
    try {
      const answer = await (await this.service()).query('000000000000');
      if (answer.resultCode === '20') throw unitNotAuthorised(answer.message, {});
      if (answer.resultCode === '90' || answer.resultCode === '99') return { ok: false, message: `the credential service answers ${answer.resultCode} (busy or failing) for now`, kind: 'transient' };
      const warning = this.transportWarning === null ? '' : ` (WARNING: ${this.transportWarning})`;
      return { ok: true, message: `credential service reachable at ${this.config.endpoint} for ${this.config.client.memberCode}/${this.config.client.subsystemCode}${warning}` };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err), kind: err instanceof LienthongError ? err.kind : undefined };
    }
  }

  /** the service's request for the record (the outbox keeps it; the headers are made at each attempt) */
  encode(record: StagedRecord): string {
    return encodeCredential(record);
  }

  async write(batch: EncodedRecord[], context: WriteContext): Promise<DeliveryAnswer[]> {
    if (batch.length === 0) return [];
    if (batch.length > this.maxBatchSize) {
      throw new BugError('BATCH_OVER_MAX', `a batch of ${batch.length} records is over maxBatchSize ${this.maxBatchSize}`, { connector: this.type, dataset: context.dataset });
    }
    const answers: DeliveryAnswer[] = [];
    for (const record of batch) {
      try {
        answers.push(await this.deliver(record, context));
      } catch (err) {
        // a failure of the whole call: thrown when nothing of the batch was answered yet (the
        // engine then retries the batch, behind its circuit breaker); else the rest is retried
        if (answers.length === 0 || !(err instanceof TransientError)) throw err;
        for (const rest of batch.slice(answers.length)) answers.push({ idbanghi: rest.idbanghi, status: 'transient', message: `${err.code}: ${err.message}` });
        break;
      }
    }
    return answers;
  }

  private async deliver(record: EncodedRecord, context: WriteContext): Promise<DeliveryAnswer> {
    const credential = decodeCredential(record.encoded, record.idbanghi);
    if ('problems' in credential) return { idbanghi: record.idbanghi, status: 'rejected', errors: credential.problems };
    const options: CallOptions = { record: record.idbanghi, ...(context.signal === undefined ? {} : { signal: context.signal }) };
    if (credential.operation === 'PublishCredential') return this.publish(record.idbanghi, credential, options);
    return this.revoke(record.idbanghi, credential, options);
  }

  private async publish(idbanghi: string, credential: EncodedPublish, options: CallOptions): Promise<DeliveryAnswer> {
    const template = this.config.verifyUrlTemplate;
    const request =
      credential.request.verifyUrl === undefined && template !== undefined
        ? { ...credential.request, verifyUrl: template.replaceAll('{credentialKey}', encodeURIComponent(credential.credentialKey)) }
        : credential.request;
    const answer = await (await this.service()).publish(request, credential.messageId, options);
    return answerFor(idbanghi, answer, credential.personalIdField);
  }

  /**
   * A revocation needs the credential's id, which the service gave when it was published: it is
   * found by the record's key in the person's credentials (QueryCredentials), so a revocation
   * works whatever this installation remembers (a ledger restored from a backup, a credential
   * published by an earlier system). A key the service does not hold, or holds revoked, is
   * settled without a RevokeCredential: there is nothing (more) to revoke.
   */
  private async revoke(idbanghi: string, credential: EncodedRevoke, options: CallOptions): Promise<DeliveryAnswer> {
    const service = await this.service();
    const held = await service.query(credential.personalId, options);
    if (held.resultCode !== '00' && held.resultCode !== '01') return answerFor(idbanghi, held, credential.personalIdField);
    const found = held.credentials.find((c) => c.credentialKey === credential.credentialKey);
    if (found === undefined) return { idbanghi, status: 'delivered', receiptId: null };
    if (found.status === 'REVOKED') return { idbanghi, status: 'already-held' };
    const reason = credential.reason ?? this.config.revokeReason;
    const answer = await service.revoke({ personalId: credential.personalId, credentialId: found.credentialId, reason }, credential.messageId, options);
    return answerFor(idbanghi, { ...answer, credentialId: found.credentialId }, credential.personalIdField);
  }

  /**
   * Every credential the service holds for one person (QueryCredentials), for reconciliation: a
   * `00` answer's list. 11 (unknown person) answers an empty list with `unknownPerson`; 20 throws
   * VNEID_UNIT_NOT_AUTHORISED; 90 and 99 throw a TransientError; faults and HTTP failures as `write`.
   */
  async queryCredentials(personalId: string, signal?: AbortSignal): Promise<PersonCredentials> {
    const answer = await (await this.service()).query(personalId, signal === undefined ? {} : { signal });
    if (answer.resultCode === '00' || answer.resultCode === '01') return { credentials: answer.credentials, unknownPerson: false };
    if (answer.resultCode === '11') return { credentials: [], unknownPerson: true };
    const outcome = answerFor('(query)', answer, 'data.personalId');
    // a 10: the personal id itself was refused
    throw new RejectedError('VNEID_INVALID_FIELD', outcome.status === 'rejected' ? (outcome.errors[0]?.message ?? 'refused') : `QueryCredentials answered ${answer.resultCode}`, { connector: this.type });
  }

  /**
   * `queryCredentials` for many people (reconciliation), `concurrency` calls in flight (default 4):
   * each distinct personal id once, answered in a map by personal id. The first failure stops the
   * rest and is thrown.
   */
  async queryCredentialsOf(personalIds: Iterable<string>, options: { concurrency?: number; signal?: AbortSignal } = {}): Promise<Map<string, PersonCredentials>> {
    const waiting = [...new Set(personalIds)];
    const found = new Map<string, PersonCredentials>();
    let failed = false;
    const worker = async (): Promise<void> => {
      for (let id = waiting.shift(); id !== undefined && !failed; id = waiting.shift()) {
        try {
          found.set(id, await this.queryCredentials(id, options.signal));
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
    return found;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) (await client.catch(() => undefined))?.close();
  }
}

/** What one result code means for the record (the contract's table). */
export function answerFor(idbanghi: string, answer: PublishAnswer | RevokeAnswer | QueryAnswer, personalIdField: string): DeliveryAnswer {
  const message = maskPersonalIdsInText(answer.message.slice(0, 500));
  const context = { connector: 'vneid-credential', record: idbanghi };
  switch (answer.resultCode) {
    case '00':
    case '01':
      return { idbanghi, status: 'delivered', receiptId: 'credentialId' in answer ? answer.credentialId : null };
    case '10':
      return { idbanghi, status: 'rejected', errors: [{ field: fieldNamedIn(answer.message), code: 'VNEID_INVALID_FIELD', message: `the credential service refused a field (10): ${message}` }] };
    case '11':
      return { idbanghi, status: 'rejected', errors: [{ field: personalIdField, code: 'VNEID_PERSONAL_ID_UNKNOWN', message: `the population database does not know this personal id (11): check it at the source${message === '' ? '' : ` (${message})`}` }] };
    case '20':
      throw unitNotAuthorised(answer.message, context);
    case '90':
      throw new TransientError('VNEID_BUSY', `the credential service is busy (90)${message === '' ? '' : `: ${message}`}`, context);
    case '99':
      throw new TransientError('VNEID_INTERNAL_ERROR', `the credential service failed (99)${message === '' ? '' : `: ${message}`}; it will be asked again`, context);
    default:
      throw new BugError('VNEID_UNKNOWN_RESULT', `the credential service answered a result code the contract does not know (${answer.resultCode})`, context);
  }
}

function unitNotAuthorised(message: string, context: Record<string, string>): ConfigError {
  return new ConfigError(
    'VNEID_UNIT_NOT_AUTHORISED',
    `the credential service does not authorise this unit (20)${message === '' ? '' : `: ${maskPersonalIdsInText(message.slice(0, 300))}`}: check the X-Road client (memberCode, subsystemCode) of the connection and the unit's registration with the service`,
    context,
  );
}

const REQUEST_FIELDS = ['personalId', 'credentialType', 'credentialKey', 'title', 'issuerName', 'issueDate', 'documentHash', 'verifyUrl', 'credentialId', 'reason'];

/** the request field a `10` message names (`data.<field>`), or `data` when it names none we know */
export function fieldNamedIn(message: string): string {
  const named = REQUEST_FIELDS.find((f) => new RegExp(`\\b${f}\\b`).test(message));
  return named === undefined ? 'data' : `data.${named}`;
}

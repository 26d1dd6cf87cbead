import type { CheckResult, DestinationConnector, WriteContext } from '../../src/core/connector.js';
import { BugError, LienthongError } from '../../src/core/errors.js';
import type { DeliveryAnswer, EncodedRecord, HeldRecord, StagedRecord } from '../../src/core/records.js';
import type { BatchAnswer, HubRecord } from './answers.js';
import { insecureTransportWarning, parseMinistryHubConfig, type MinistryHubConfig, type MinistryHubConfigInput } from './config.js';
import { answerOf, encodeEnvelope, encodedOf, idempotencyKeyOf, serializeBatch, type RecordEnvelope } from './envelope.js';
import { HubClient } from './hub-client.js';

/**
 * The ministry data hub as a destination: one `write` is one batch. The Idempotency-Key is the
 * SHA-256 of the exact body text, so a resend of the same batch carries the same key and body and
 * the hub answers its first answer again. No retries here: the engine's runner does them.
 */
export class MinistryHubDestination implements DestinationConnector {
  readonly type = 'ministry-hub';
  readonly maxBatchSize: number;
  readonly config: Readonly<Omit<MinistryHubConfig, 'clientSecret'>>;
  private readonly client: HubClient;
  private readonly transportWarning: string | null;

  /**
   * Refuses (ConfigError HUB_INSECURE_HTTP) a plain-http baseUrl to another machine unless
   * `allowInsecureHttp` is set; `name` names the connection in that error and in the warning.
   */
  constructor(config: MinistryHubConfigInput, options: { now?: () => number } = {}) {
    const parsed = parseMinistryHubConfig(config);
    this.transportWarning = insecureTransportWarning(parsed.baseUrl, parsed.allowInsecureHttp, parsed.name ?? 'ministry-hub connection');
    const { clientSecret: _secret, ...shown } = parsed;
    this.config = shown;
    this.maxBatchSize = parsed.maxBatchSize;
    this.client = new HubClient(parsed, options.now);
  }

  /**
   * What the operator must hear on every run while this connection is used (today: plain http
   * allowed by `allowInsecureHttp`). The engine's deliverer logs each at the start of a run and
   * hands them on for the run summary.
   */
  warnings(): string[] {
    return this.transportWarning === null ? [] : [this.transportWarning];
  }

  /** gets a token and reads one record back: credentials, unit, network and paths all work */
  async check(): Promise<CheckResult> {
    try {
      await this.client.accessToken();
      await this.client.listRecords(this.config.checkDataset, { limit: 1 });
      const warning = this.transportWarning === null ? '' : ` (WARNING: ${this.transportWarning})`;
      return { ok: true, message: `ministry hub reachable at ${this.config.baseUrl} for unit ${this.config.unitCode}${warning}` };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err), kind: err instanceof LienthongError ? err.kind : undefined };
    }
  }

  /** the hub's record envelope (the outbox keeps it as it is sent) */
  encode(record: StagedRecord): string {
    return encodeEnvelope(record);
  }

  async write(batch: EncodedRecord[], context: WriteContext): Promise<DeliveryAnswer[]> {
    if (batch.length === 0) return [];
    if (batch.length > this.maxBatchSize) {
      throw new BugError('BATCH_OVER_MAX', `a batch of ${batch.length} records is over maxBatchSize ${this.maxBatchSize}`, {
        connector: this.type,
        dataset: context.dataset,
      });
    }
    const body = serializeBatch(this.config.unitCode, context.schemaVersion, batch);
    const answer = await this.client.postBatch(context.dataset, body, idempotencyKeyOf(body), batch.length, context.signal);
    return toDeliveryAnswers(batch, answer, context.dataset);
  }

  /** the same as `write`, from envelopes (tools and tests that hold envelopes rather than staged records) */
  writeEnvelopes(batch: RecordEnvelope[], context: WriteContext): Promise<DeliveryAnswer[]> {
    return this.write(batch.map(encodedOf), context);
  }

  /** every record the hub holds for this unit and dataset, page by page */
  async *readBack(dataset: string, signal?: AbortSignal, options: { updatedSince?: string } = {}): AsyncIterable<HeldRecord> {
    let cursor: string | null = null;
    const seen = new Set<string>();
    do {
      const page = await this.client.listRecords(
        dataset,
        { cursor, limit: this.config.readBackPageSize, ...(options.updatedSince === undefined ? {} : { updatedSince: options.updatedSince }) },
        signal,
      );
      if (page.nextCursor !== null && page.nextCursor === cursor) {
        throw new BugError('HUB_CURSOR_LOOP', 'the hub answered the same read-back cursor twice', { connector: this.type, dataset });
      }
      for (const item of page.items) {
        if (seen.has(item.idbanghi)) continue;
        seen.add(item.idbanghi);
        yield item;
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
  }

  /** the hub's current version of one record, with its data; null when it holds none */
  async getRecord(dataset: string, idbanghi: string, signal?: AbortSignal): Promise<HubRecord | null> {
    return this.client.getRecord(dataset, idbanghi, signal);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

/**
 * One answer per record, in order, in the engine's terms. Anything else (a missing, extra or
 * out-of-order result) is a broken contract: a BugError, never a guess about which record a
 * result belongs to.
 */
export function toDeliveryAnswers(batch: readonly EncodedRecord[], answer: BatchAnswer, dataset: string): DeliveryAnswer[] {
  if (answer.results.length !== batch.length) {
    throw new BugError('HUB_RESULT_COUNT', `the hub answered ${answer.results.length} results for ${batch.length} records`, {
      connector: 'ministry-hub',
      dataset,
    });
  }
  return answer.results.map((result, i): DeliveryAnswer => {
    const sent = batch[i] as EncodedRecord;
    if (result.idbanghi !== sent.idbanghi) {
      throw new BugError('HUB_RESULT_ORDER', `result ${i} of the hub's answer names another record than the one sent`, {
        connector: 'ministry-hub',
        dataset,
        record: sent.idbanghi,
      });
    }
    return answerOf(sent, result);
  });
}

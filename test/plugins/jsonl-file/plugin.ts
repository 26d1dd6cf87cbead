import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { CheckResult, DestinationConnector, WriteContext } from '../../../src/core/connector.js';
import { BugError } from '../../../src/core/errors.js';
import { defineDestination } from '../../../src/core/plugin.js';
import type { DeliveryAnswer, EncodedRecord, HeldRecord, RecordEvent, StagedRecord } from '../../../src/core/records.js';

/**
 * A test-only destination: each staged record becomes one JSON line appended to
 * `<dir>/<dataset>.jsonl`. It proves that a destination is one folder plus one registration: it
 * has its own options, its own wire format, its own answers (mapped to the engine's), and a
 * read-back for reconciliation. The file is the destination's whole state: a line per version
 * received; the last line of a record is what it holds.
 */

const jsonlConfig = z
  .object({
    /** the folder of the files (relative to the configuration file) */
    dir: z.string().min(1),
    maxBatchSize: z.number().int().min(1).max(10_000).default(100),
  })
  .strict();

/** One line: the staged record, its data inlined as the JSON text the engine made (not parsed again). */
export function encodeLine(r: StagedRecord): string {
  const head = JSON.stringify({ key: r.key, idbanghi: r.idbanghi, version: r.version, event: r.event, changedAt: r.changedAt, contentHash: r.contentHash, ...(r.document === undefined ? {} : { document: r.document }) });
  return `${head.slice(0, -1)},"data":${r.dataJson}}`;
}

interface Line {
  idbanghi: string;
  version: number;
  event: RecordEvent;
  contentHash: string;
  changedAt: string;
}

export class JsonlFileDestination implements DestinationConnector {
  readonly type = 'jsonl-file';
  readonly maxBatchSize: number;
  /** what each file holds, by idbanghi: read once, then kept as lines are appended */
  private readonly held = new Map<string, Map<string, Line & { line: number }>>();
  /** lines in each file */
  private readonly lineCount = new Map<string, number>();

  constructor(private readonly config: z.output<typeof jsonlConfig> & { dir: string }) {
    this.maxBatchSize = config.maxBatchSize;
  }

  fileOf(dataset: string): string {
    return join(this.config.dir, `${dataset}.jsonl`);
  }

  async check(): Promise<CheckResult> {
    await mkdir(this.config.dir, { recursive: true });
    return { ok: true, message: `writing JSON lines to ${this.config.dir}` };
  }

  encode(record: StagedRecord): string {
    return encodeLine(record);
  }

  async write(batch: EncodedRecord[], context: WriteContext): Promise<DeliveryAnswer[]> {
    if (batch.length > this.maxBatchSize) throw new BugError('BATCH_OVER_MAX', `a batch of ${batch.length} records is over maxBatchSize ${this.maxBatchSize}`, { connector: this.type });
    if (batch.length === 0) return [];
    const held = await this.load(context.dataset);
    const answers: DeliveryAnswer[] = [];
    const lines: string[] = [];
    for (const r of batch) {
      const line = JSON.parse(r.encoded) as Line;
      const current = held.get(r.idbanghi);
      if (current && current.version === r.version && current.contentHash === r.contentHash) {
        answers.push({ idbanghi: r.idbanghi, status: 'already-held' });
      } else if (current && current.version >= r.version) {
        answers.push({ idbanghi: r.idbanghi, status: 'conflict', heldVersion: current.version, heldContentHash: current.contentHash });
      } else {
        const number = (this.lineCount.get(context.dataset) ?? 0) + lines.length + 1;
        held.set(r.idbanghi, { ...line, line: number });
        lines.push(r.encoded);
        answers.push({ idbanghi: r.idbanghi, status: 'delivered', receiptId: `${context.dataset}:${number}` });
      }
    }
    if (lines.length > 0) {
      await appendFile(this.fileOf(context.dataset), lines.join('\n') + '\n');
      this.lineCount.set(context.dataset, (this.lineCount.get(context.dataset) ?? 0) + lines.length);
    }
    return answers;
  }

  async *readBack(dataset: string): AsyncIterable<HeldRecord> {
    for (const [idbanghi, l] of await this.load(dataset)) {
      yield { idbanghi, phienban: l.version, contentHash: l.contentHash, sukien: l.event, receiptId: `${dataset}:${l.line}`, updatedAt: l.changedAt };
    }
  }

  async close(): Promise<void> {
    this.held.clear();
    this.lineCount.clear();
  }

  private async load(dataset: string): Promise<Map<string, Line & { line: number }>> {
    let held = this.held.get(dataset);
    if (held) return held;
    held = new Map();
    await mkdir(this.config.dir, { recursive: true });
    const text = await readFile(this.fileOf(dataset), 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? '' : Promise.reject(err)));
    const lines = text.split('\n').filter((l) => l.length > 0);
    lines.forEach((l, i) => {
      const line = JSON.parse(l) as Line;
      held.set(line.idbanghi, { ...line, line: i + 1 });
    });
    this.held.set(dataset, held);
    this.lineCount.set(dataset, lines.length);
    return held;
  }
}

export const jsonlFilePlugin = defineDestination({
  type: 'jsonl-file',
  description: 'JSON lines in a file per dataset (tests)',
  config: jsonlConfig,
  encode: encodeLine,
  answers: {
    'a new version': 'delivered (the receipt is the line number)',
    'the version and content it holds': 'already-held',
    'an older or equal version with other content': 'conflict',
  },
  create(config, context) {
    return new JsonlFileDestination({ ...config, dir: isAbsolute(config.dir) ? config.dir : resolve(context.baseDir, config.dir) });
  },
});

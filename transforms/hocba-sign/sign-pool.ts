/**
 * A small worker_threads pool for signing school records. RSA signing, XSD validation and PDF sealing
 * are CPU work that would block the event loop (and so the delivery of other records, heartbeats,
 * progress) if they ran in the main thread. Each worker opens the PKCS#12 files itself, signs one
 * record at a time and keeps the opened keys for the next ones.
 */
import { Worker } from 'node:worker_threads';
import { BugError } from '../../src/core/errors.js';
import { compiledModule } from '../../src/core/package-root.js';
import type { JsonObject } from '../../src/core/records.js';
import { WorkerClient } from '../../src/core/worker-rpc.js';
import type { KeyHolder } from './keystore.js';
import type { SignRecordResult } from './sign-record.js';

/** What a worker is asked to do: the record, where each party's key is, and how to check the result. */
export interface SignJob {
  data: JsonObject;
  keyFiles: {
    /** PKCS#12 path of each subject's teacher, by mamonhoc */
    subjectTeachers: Record<string, string>;
    homeroom: string;
    principal: string;
    school: string;
  };
  /** who holds each key, by the same keys as keyFiles: named (masked) in the error when a key does not open */
  holders?: {
    subjectTeachers: Record<string, KeyHolder>;
    homeroom: KeyHolder;
    principal: KeyHolder;
    school: KeyHolder;
  };
  password: string;
  /** subjects whose teacher has left: the principal signs them (KyThay); no teacher's key is looked up for them */
  subjectsSignedByPrincipal?: string[];
  trustedCaPems: readonly string[];
  /** ISO date-time */
  signingTime: string;
  /** also render and seal the PDF with the school's key */
  pdf: boolean;
}

/**
 * The compiled worker: next to this module when it runs from dist/, else dist/transforms/hocba-sign/ of the
 * package (tests run the .ts sources, and a Worker cannot load TypeScript). Undefined when it has not
 * been built: the caller then signs in its own thread.
 */
export function signWorkerFile(): string | undefined {
  return compiledModule(import.meta.url, './sign-worker.js', 'transforms/hocba-sign/sign-worker.js');
}

/** A record waiting for a worker with room. */
interface QueuedJob {
  job: SignJob;
  resolve: (result: SignRecordResult) => void;
  reject: (err: Error) => void;
}

export interface SignPoolOptions {
  /** worker threads (at least 1) */
  size: number;
  /**
   * records one worker signs at once (default 4). A record spends much of its time waiting for the
   * XSD validator (xmllint-wasm runs each validation in a thread of its own), so one record at a time
   * would leave the worker idle.
   */
  recordsPerWorker?: number;
}

export class SignPool {
  readonly size: number;
  readonly recordsPerWorker: number;
  readonly #file: string;
  readonly #workers: WorkerClient<SignJob>[] = [];
  readonly #queue: QueuedJob[] = [];
  #closed = false;

  constructor(options: SignPoolOptions, workerFile: string) {
    // several records at once in a worker share its xmllint runs (see documents/hocba/validate.ts)
    const perWorker = options.recordsPerWorker ?? 16;
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError('a signing pool needs at least one worker');
    if (!Number.isInteger(perWorker) || perWorker < 1) throw new RangeError('recordsPerWorker must be at least 1');
    this.size = options.size;
    this.recordsPerWorker = perWorker;
    this.#file = workerFile;
  }

  /**
   * Signs one record in a worker. The record's own errors are a result; the promise rejects when
   * the configuration is at fault (a key that does not open: the worker's ConfigError, with the
   * record's idbanghi added) or when the worker itself dies (a BugError).
   */
  run(job: SignJob): Promise<SignRecordResult> {
    if (this.#closed) return Promise.reject(new BugError('SIGN_POOL_CLOSED', 'the signing pool is closed'));
    return new Promise<SignRecordResult>((resolve, reject) => {
      this.#queue.push({ job, resolve, reject });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const workers = this.#workers.splice(0);
    for (const queued of this.#queue.splice(0)) queued.reject(new BugError('SIGN_POOL_CLOSED', 'the signing pool was closed before this record was signed'));
    for (const w of workers) w.abandon(new BugError('SIGN_POOL_CLOSED', 'the signing pool was closed while this record was being signed'));
    await Promise.all(workers.map((w) => w.terminate()));
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const target = this.#pickWorker();
      if (!target) return;
      const { job, resolve, reject } = this.#queue.shift() as QueuedJob;
      target.request(job).then((result) => {
        resolve(result as SignRecordResult);
        this.#dispatch();
      }, (err: Error) => {
        reject(err);
        this.#dispatch();
      });
    }
  }

  /** An idle worker, else a new one while the pool is not full, else the least busy one with room. */
  #pickWorker(): WorkerClient<SignJob> | undefined {
    const idle = this.#workers.find((w) => w.waiting === 0);
    if (idle) return idle;
    if (this.#workers.length < this.size) return this.#start();
    const withRoom = this.#workers.filter((w) => w.waiting < this.recordsPerWorker);
    return withRoom.sort((a, b) => a.waiting - b.waiting)[0];
  }

  #start(): WorkerClient<SignJob> {
    const client: WorkerClient<SignJob> = new WorkerClient<SignJob>(new Worker(this.#file), {
      failure: (how) =>
        new BugError('SIGNING_WORKER_FAILED', 'the signing worker stopped while signing this record', {}, { cause: 'error' in how ? how.error : new Error(`worker exited with code ${how.exitCode}`) }),
      errorContext: (job) => (typeof job.data.idbanghi === 'string' ? { record: job.data.idbanghi } : {}),
      onFailure: () => {
        const i = this.#workers.indexOf(client);
        if (i < 0) return; // already gone (the pool was closed)
        this.#workers.splice(i, 1);
        void client.terminate();
        if (!this.#closed) this.#dispatch(); // a fresh worker takes the rest of the queue
      },
    });
    this.#workers.push(client);
    return client;
  }
}

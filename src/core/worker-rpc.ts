/**
 * Calls answered by a worker thread, shared by the state store's thread (src/store) and the
 * signing pool (transforms/hocba-sign). The caller's side (WorkerClient) numbers each call and
 * settles it with the reply of the same number; the thread's side (serveRequests) answers each
 * call once. A LienthongError thrown in the thread comes back as the same class with its code,
 * kind, context and retry delay (a structured clone would keep only an Error's message); a thread
 * that fails or ends fails every call still waiting, and every later one.
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { BugError, ConfigError, DataError, LienthongError, RejectedError, TransientError, type ErrorContext, type ErrorKind } from './errors.js';

/** A LienthongError as it crosses the thread boundary. */
export interface WireError {
  code: string;
  kind: ErrorKind;
  message: string;
  context: ErrorContext;
  retryAfterMs?: number;
}

export interface RpcRequest<P> {
  id: number;
  payload: P;
}

export type RpcReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/** `err` as it can cross the thread: a LienthongError whole, anything else as `other` says. */
export function toWireError(err: unknown, other: (err: unknown) => WireError): WireError {
  if (!(err instanceof LienthongError)) return other(err);
  const retryAfterMs = err instanceof TransientError ? err.retryAfterMs : undefined;
  return { code: err.code, kind: err.kind, message: err.message, context: err.context, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** The error again on the calling thread, of the class its kind names, with `context` added. */
export function fromWireError(e: WireError, context: ErrorContext = {}): LienthongError {
  const ctx = { ...e.context, ...context };
  switch (e.kind) {
    case 'config':
      return new ConfigError(e.code, e.message, ctx);
    case 'transient':
      return new TransientError(e.code, e.message, ctx, e.retryAfterMs === undefined ? undefined : { retryAfterMs: e.retryAfterMs });
    case 'rejected':
      return new RejectedError(e.code, e.message, ctx);
    case 'data':
      return new DataError(e.code, e.message, ctx);
    case 'bug':
      return new BugError(e.code, e.message, ctx);
  }
}

export interface WorkerClientOptions<P> {
  /** the error the waiting calls, and every later one, get when the thread fails (`error`) or ends (`exit`) */
  failure(how: { error: Error } | { exitCode: number }): LienthongError;
  /** what to add to the context of an error thrown in the thread, e.g. which call it answers */
  errorContext?(payload: P): ErrorContext;
  /** told once, after the waiting calls were failed */
  onFailure?(err: LienthongError): void;
}

interface Pending<P> {
  payload: P;
  resolve: (value: unknown) => void;
  reject: (err: LienthongError) => void;
}

/**
 * The calling side of one worker thread. The thread keeps the process alive only while a call
 * waits for its answer: an idle store or pool does not hold a finished program open.
 */
export class WorkerClient<P> {
  readonly #worker: Worker;
  readonly #options: WorkerClientOptions<P>;
  readonly #pending = new Map<number, Pending<P>>();
  #nextId = 1;
  #failure: LienthongError | undefined;

  constructor(worker: Worker, options: WorkerClientOptions<P>) {
    this.#worker = worker;
    this.#options = options;
    worker.unref();
    worker.on('message', (reply: RpcReply) => this.#settle(reply));
    worker.on('error', (error) => this.#fail(options.failure({ error })));
    worker.on('exit', (exitCode) => this.#fail(options.failure({ exitCode })));
  }

  /** calls sent and not answered yet */
  get waiting(): number {
    return this.#pending.size;
  }

  /** set once the thread has failed or ended */
  get failure(): LienthongError | undefined {
    return this.#failure;
  }

  request(payload: P): Promise<unknown> {
    if (this.#failure) return Promise.reject(this.#failure);
    const message: RpcRequest<P> = { id: this.#nextId++, payload };
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(message.id, { payload, resolve, reject });
      this.#worker.postMessage(message);
    });
  }

  /** Fails the waiting calls with `err` (the thread's answers to them will be ignored). */
  abandon(err: LienthongError): void {
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
    this.#worker.unref();
  }

  terminate(): Promise<number> {
    return this.#worker.terminate();
  }

  #settle(reply: RpcReply): void {
    const p = this.#pending.get(reply.id);
    if (p === undefined) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.ok) p.resolve(reply.value);
    else p.reject(fromWireError(reply.error, this.#options.errorContext?.(p.payload)));
  }

  #fail(err: LienthongError): void {
    if (this.#failure) return; // `exit` follows `error`: the first says what happened
    this.#failure = err;
    this.abandon(err);
    this.#options.onFailure?.(err);
  }
}

export interface ServeOptions<P> {
  /**
   * answer one call at a time, in the order they came (the store: a read sent after a write must
   * see it); otherwise calls run side by side and each is answered when it is done (the pool)
   */
  ordered: boolean;
  /** an error that is not a LienthongError, as it should reach the caller */
  otherError(err: unknown): WireError;
  /** after a call's answer was posted (the store closes the port after `close`) */
  afterReply?(payload: P): void;
}

/** The thread's side: answers every request that comes to `port` with what `handle` returns or throws. */
export function serveRequests<P>(port: MessagePort, handle: (payload: P) => unknown, options: ServeOptions<P>): void {
  let previous: Promise<unknown> = Promise.resolve();
  const answer = async (request: RpcRequest<P>): Promise<void> => {
    let reply: RpcReply;
    try {
      reply = { id: request.id, ok: true, value: await handle(request.payload) };
    } catch (err) {
      reply = { id: request.id, ok: false, error: toWireError(err, options.otherError) };
    }
    try {
      port.postMessage(reply);
    } catch (err) {
      // a value the structured clone cannot copy: the caller gets the error, the thread goes on
      port.postMessage({ id: request.id, ok: false, error: toWireError(err, options.otherError) } satisfies RpcReply);
    }
    options.afterReply?.(request.payload);
  };
  port.on('message', (request: RpcRequest<P>) => {
    if (!options.ordered) {
      void answer(request);
      return;
    }
    previous = previous.then(() => answer(request));
  });
}

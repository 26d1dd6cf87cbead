/**
 * What the engine tells whoever watches it (the console's Prometheus metrics): a run ended, a batch
 * was answered, a retry, a wait for the rate limit, documents signed. Every method is optional and
 * called synchronously with small plain values: an observer must be cheap and must not throw (the
 * engine guards each call anyway). Nothing here carries personal data or a value without bound: jobs
 * and targets are configuration, codes come from a catalogue, never a record id, a run id or a message.
 * Without an observer the engine does none of this work.
 */
export interface EngineObserver {
  /** a run of `job` ended with `outcome` (succeeded, partial, failed, interrupted) */
  runEnded?(event: { job: string; outcome: string; counts: Readonly<RunTally>; durationMs: number }): void;
  /**
   * a destination answered a batch of `records` after `latencyMs` (the write call alone), or failed
   * to (`failed`: an error code took the place of an answer)
   */
  deliveryBatch?(event: { target: string; records: number; latencyMs: number; failed: boolean }): void;
  /** `records` are sent again to `target` after a transient failure `code` */
  retry?(event: { target: string; code: string; records: number }): void;
  /** a batch for `target` waited `waitedMs` for the destination's rate limit (token bucket) */
  rateLimitWait?(event: { target: string; waitedMs: number }): void;
  /** `transformer` (hocba-sign) made `documents` documents for `job` in `ms` (one chunk) */
  signed?(event: { job: string; transformer: string; documents: number; ms: number }): void;
}

/** The counts of a run an observer hears of (the store's RunCounts has these and more). */
export interface RunTally {
  read: number;
  invalid: number;
  staged: number;
  accepted: number;
  conflicts: number;
  rejected: number;
  dead: number;
  deferred: number;
}

/**
 * Calls one of the observer's methods, if there is one, never letting its failure reach the engine:
 * a metric must not stop a delivery.
 */
export function notify<K extends keyof EngineObserver>(observer: EngineObserver | undefined, method: K, event: Parameters<NonNullable<EngineObserver[K]>>[0]): void {
  const fn = observer?.[method] as ((e: typeof event) => void) | undefined;
  if (!fn) return;
  try {
    fn.call(observer, event);
  } catch {
    // a broken observer loses its metric, nothing more
  }
}

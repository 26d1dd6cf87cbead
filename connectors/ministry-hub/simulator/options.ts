/** What the hub simulator is started with: its clients, limits and injected faults. */

/** An OAuth2 client the simulated hub knows. */
export interface HubClientConfig {
  clientId: string;
  clientSecret: string;
  /** unit codes (matruong) this client may write and read for; `*` allows every unit */
  unitCodes: readonly string[];
  /** datasets this client may use; absent or `*` allows every dataset the hub serves */
  datasets?: readonly string[];
  /** scopes the client may ask for; absent allows any */
  scopes?: readonly string[];
}

/** Token bucket per client: `ratePerSecond` refills, at most `burst` requests at once. */
export interface RateLimitOptions {
  ratePerSecond: number;
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { ratePerSecond: 20, burst: 40 };

/**
 * Faults the simulator injects, drawn from a seeded PRNG so a test run is reproducible (for a
 * client that sends its requests one at a time). Rates are probabilities per request, 0..1.
 */
export interface FaultOptions {
  /** share of requests answered with a 5xx */
  errorRate: number;
  /** the 5xx statuses drawn from */
  errorStatuses: number[];
  /** share of the timeouts and 5xx of batch requests that happen after the batch was applied */
  failAfterApplyRate: number;
  /** added latency before a request is handled, in ms, plus up to `latencyJitterMs` more */
  latencyMs: number;
  latencyJitterMs: number;
  /** share of requests that start a burst of `throttleBurstLength` 429 answers for that client */
  throttleRate: number;
  throttleBurstLength: number;
  /** `Retry-After` of those 429 answers, in seconds */
  throttleRetryAfterSeconds: number;
  /** share of requests held without an answer (the client times out) */
  timeoutRate: number;
  /** share of requests before which every current token is revoked (that request gets a 401); at most one a second */
  revokeRate: number;
  /** the API refuses every bearer token the hub issues (401), as for credentials the API does not accept */
  refuseTokens: boolean;
  /** batches with more records than this are answered 413; null turns it off */
  tooLargeAboveRecords: number | null;
  /** faults hit batch submissions; with this they also hit the read-back endpoints */
  applyToReads: boolean;
}

export const NO_FAULTS: FaultOptions = {
  errorRate: 0,
  errorStatuses: [500, 502, 503, 504],
  failAfterApplyRate: 0.5,
  latencyMs: 0,
  latencyJitterMs: 0,
  throttleRate: 0,
  throttleBurstLength: 3,
  throttleRetryAfterSeconds: 1,
  timeoutRate: 0,
  revokeRate: 0,
  refuseTokens: false,
  tooLargeAboveRecords: null,
  applyToReads: false,
};

export interface HubSimulatorOptions {
  /** 0 (default) picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** SQLite file for the hub's state (WAL); in memory when absent */
  dbPath?: string;
  clients: readonly HubClientConfig[];
  /** false turns the rate limit off; default 20 req/s, burst 40 */
  rateLimit?: RateLimitOptions | false;
  faults?: Partial<FaultOptions>;
  /** seed of the fault PRNG (default 1) */
  seed?: number;
  /** lifetime of issued tokens, default 3600 s */
  tokenTtlSeconds?: number;
  /** most records a batch may carry, default 500 */
  maxBatchRecords?: number;
  /** most bytes a decompressed batch body may have, default 10 MB */
  maxBodyBytes?: number;
  /** clock in ms since the epoch; tests pass their own to move time */
  now?: () => number;
  /**
   * PEM certificates of the CAs trusted to sign học bạ documents (`hocbaso-thcsthpt`); without any,
   * every học bạ record is rejected with SIGNATURE_INVALID
   */
  trustedCaPems?: readonly string[];
}

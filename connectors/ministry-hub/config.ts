import { z } from 'zod';
import { ConfigError } from '../../src/core/errors.js';

/** Paths of the hub's endpoints; `{dataset}` and `{idbanghi}` are filled in (URL-encoded). */
export const DEFAULT_HUB_PATHS = {
  token: '/oauth2/token',
  batches: '/v1/{dataset}/batches',
  records: '/v1/{dataset}/records',
  record: '/v1/{dataset}/records/{idbanghi}',
} as const;

export const ministryHubConfigSchema = z
  .object({
    baseUrl: z.string().url(),
    /** the issuing unit's ministry code (matruong): sent as X-Unit-Code and the batch's unitCode */
    unitCode: z.string().min(1).max(20),
    clientId: z.string().min(1),
    /** already resolved (never a reference such as env:NAME); never logged */
    clientSecret: z.string().min(1),
    scope: z.string().optional(),
    /** per-call timeout */
    timeoutMs: z.number().int().positive().max(600_000).default(30_000),
    maxBatchSize: z.number().int().min(1).max(500).default(500),
    /** request bodies larger than this are sent gzip */
    gzipThresholdBytes: z.number().int().min(0).default(16_384),
    /** the dataset `check()` reads one record of */
    checkDataset: z.string().min(1).default('vanbangchungchi'),
    /** page size of the read-back API */
    readBackPageSize: z.number().int().min(1).max(1000).default(1000),
    /** most open connections to the hub */
    maxSockets: z.number().int().min(1).max(256).default(16),
    /** endpoint paths (relative to baseUrl): the contract's defaults, overridable */
    paths: z
      .object({ token: z.string(), batches: z.string(), records: z.string(), record: z.string() })
      .partial()
      .strict()
      .optional(),
    /** dataset name → the path segment the hub uses for it, when they differ */
    datasetPaths: z.record(z.string(), z.string().min(1)).optional(),
  })
  .strict();

export type MinistryHubConfig = z.output<typeof ministryHubConfigSchema>;
/** What the constructor takes: defaults may be left out. */
export type MinistryHubConfigInput = z.input<typeof ministryHubConfigSchema>;

/** Validates a config; the error names the fields at fault, never their values (the secret among them). */
export function parseMinistryHubConfig(input: MinistryHubConfigInput): MinistryHubConfig {
  const parsed = ministryHubConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
  throw new ConfigError('HUB_CONFIG_INVALID', `ministry-hub connection: ${problems}`, { connector: 'ministry-hub' });
}

import { z } from 'zod';
import { ConfigError } from '../../src/core/errors.js';
import { secret } from '../../src/core/plugin.js';

/** Paths of the hub's endpoints; `{dataset}` and `{idbanghi}` are filled in (URL-encoded). */
export const DEFAULT_HUB_PATHS = {
  token: '/oauth2/token',
  batches: '/v1/{dataset}/batches',
  records: '/v1/{dataset}/records',
  record: '/v1/{dataset}/records/{idbanghi}',
} as const;

/** The options of a ministry-hub connection: the one definition (`validate`, the plugin, the constructor). */
const hubOptions = z.object({
  baseUrl: z.string().url(),
  /** the issuing unit's ministry code (matruong): sent as X-Unit-Code and the batch's unitCode */
  unitCode: z.string().min(1).max(20),
  clientId: z.string().min(1),
  /** a reference in configuration (env:NAME, file:PATH); resolved before the connector is built; never logged */
  clientSecret: secret(),
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
  /**
   * lets a plain `http://` baseUrl name a host other than this machine: the client secret, the
   * tokens and the records then travel unencrypted. Only for a link protected some other way
   * (a VPN, a private line); every run logs a warning while it is on.
   */
  allowInsecureHttp: z.boolean().default(false),
});

/**
 * A ministry-hub connection as the configuration gives it (`connections.<name>`): the secret is a
 * reference, and `validate` refuses plain http to another machine (the connector refuses it again,
 * HUB_INSECURE_HTTP, for configurations built another way).
 */
export const ministryHubConnectionSchema = hubOptions.strict().superRefine((c, ctx) => {
  if (c.allowInsecureHttp) return;
  let url: URL;
  try {
    url = new URL(c.baseUrl);
  } catch {
    return; // the url check reports it
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    ctx.addIssue({
      code: 'custom',
      path: ['baseUrl'],
      message: `plain http to ${url.host} sends the client secret and every record unencrypted (HUB_INSECURE_HTTP): use the hub's https:// address, or set allowInsecureHttp: true if the link is protected some other way`,
    });
  }
});

/** What the connector's constructor takes: the same options, the secret resolved, and a name for messages. */
export const ministryHubConfigSchema = hubOptions
  .extend({
    /** how errors and warnings name this connection (e.g. `config/lienthong.yaml: connections.hub`) */
    name: z.string().min(1).optional(),
    /** already resolved (never a reference such as env:NAME); never logged */
    clientSecret: z.string().min(1),
  })
  .strict();

export type MinistryHubConfig = z.output<typeof ministryHubConfigSchema>;
/** What the constructor takes: defaults may be left out. */
export type MinistryHubConfigInput = z.input<typeof ministryHubConfigSchema>;

/**
 * Whether a URL host is this machine (127.0.0.0/8, ::1, localhost): plain http there never leaves
 * the machine (the hub simulator, a local tunnel end).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  if (/^::ffff:127\./.test(host)) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return v4 !== null && Number(v4[1]) === 127;
}

/**
 * Refuses a baseUrl that would send the client secret and the records in clear to another
 * machine (`http://` to a host that is not loopback) unless the connection allows it; answers the
 * warning to repeat every run when it does (null when the transport is safe). `where` names the
 * connection for the operator (e.g. `config/lienthong.yaml: connections.hub`).
 */
export function insecureTransportWarning(baseUrl: string, allowInsecureHttp: boolean, where: string): string | null {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new ConfigError('HUB_CONFIG_INVALID', `${where}: baseUrl is not a URL`, { connector: 'ministry-hub' }, { cause });
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol !== 'http:') {
    throw new ConfigError('HUB_CONFIG_INVALID', `${where}: baseUrl must be https:// (got ${url.protocol})`, { connector: 'ministry-hub' });
  }
  if (isLoopbackHost(url.hostname)) return null;
  if (!allowInsecureHttp) {
    throw new ConfigError(
      'HUB_INSECURE_HTTP',
      `${where}: baseUrl ${url.origin} is plain http to another machine: the client secret and every record would travel unencrypted. ` +
        'Use the hub\'s https:// address, or, only if the link is protected some other way (VPN, private line), set allowInsecureHttp: true on this connection',
      { connector: 'ministry-hub', path: 'baseUrl' },
    );
  }
  return `${where}: sending to ${url.origin} over plain http (allowInsecureHttp: true): the client secret and the records travel unencrypted`;
}

/** Validates a config; the error names the fields at fault, never their values (the secret among them). */
export function parseMinistryHubConfig(input: MinistryHubConfigInput): MinistryHubConfig {
  const parsed = ministryHubConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
  throw new ConfigError('HUB_CONFIG_INVALID', `ministry-hub connection: ${problems}`, { connector: 'ministry-hub' });
}

import { z } from 'zod';
import { ConfigError } from '../../src/core/errors.js';
import { secret } from '../../src/core/plugin.js';
import { isLoopbackHost } from '../ministry-hub/config.js';

/** Paths of the service's endpoints (CSC API v2 with asynchronous approval), relative to baseUrl. */
export const DEFAULT_SIGNING_PATHS = {
  token: '/oauth2/token',
  credentialsList: '/csc/v2/credentials/list',
  credentialsInfo: '/csc/v2/credentials/info',
  signHash: '/csc/v2/signatures/signHash',
  status: '/csc/v2/signatures/status',
} as const;

/** The options of a remote signing connection: the one definition (README table, constructor). */
const signingOptions = z.object({
  baseUrl: z.string().url(),
  clientId: z.string().min(1),
  /** a reference in configuration (env:NAME, file:PATH); resolved before the client is built; never logged */
  clientSecret: secret(),
  /** one HTTP call's timeout */
  timeoutMs: z.number().int().positive().max(600_000).default(30_000),
  /** how long one call may keep retrying 429, 5xx, resets and timeouts before its error is thrown */
  retryBudgetMs: z.number().int().min(0).max(3_600_000).default(60_000),
  /** first wait before a retry; doubled each time (with jitter) up to retryMaxDelayMs */
  retryInitialDelayMs: z.number().int().positive().default(500),
  retryMaxDelayMs: z.number().int().positive().default(15_000),
  /** first wait between two status polls; doubled each time (with jitter) up to pollMaxDelayMs */
  pollInitialDelayMs: z.number().int().positive().default(2_000),
  pollMaxDelayMs: z.number().int().positive().default(30_000),
  /** how long waitForDecision polls unless the call says otherwise: a little over the service's 10-minute expiry */
  maxWaitMs: z.number().int().positive().default(11 * 60_000),
  /** endpoint paths: the contract's defaults, overridable one by one */
  paths: z
    .object({ token: z.string(), credentialsList: z.string(), credentialsInfo: z.string(), signHash: z.string(), status: z.string() })
    .partial()
    .strict()
    .optional(),
  /**
   * lets a plain `http://` baseUrl name a host other than this machine: the client secret, the
   * tokens and the hashes then travel unencrypted. Only for a link protected some other way.
   */
  allowInsecureHttp: z.boolean().default(false),
});

/** A remote signing connection as configuration gives it: the secret is a reference. */
export const remoteSigningConnectionSchema = signingOptions.strict();

/** What the client's constructor takes: the same options, the secret resolved, and a name for messages. */
export const remoteSigningConfigSchema = signingOptions
  .extend({
    /** how errors and warnings name this connection (e.g. `config/lienthong.yaml: signing.remote`) */
    name: z.string().min(1).optional(),
    /** already resolved (never a reference such as env:NAME); never logged */
    clientSecret: z.string().min(1),
  })
  .strict();

export type RemoteSigningConfig = z.output<typeof remoteSigningConfigSchema>;
export type RemoteSigningConfigInput = z.input<typeof remoteSigningConfigSchema>;

/** Validates a config; the error names the fields at fault, never their values (the secret among them). */
export function parseRemoteSigningConfig(input: RemoteSigningConfigInput): RemoteSigningConfig {
  const parsed = remoteSigningConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
    throw new ConfigError('RSIGN_CONFIG_INVALID', `remote signing connection: ${problems}`, { connector: 'remote-signing' });
  }
  const config = parsed.data;
  checkTransport(config.baseUrl, config.allowInsecureHttp, config.name ?? 'remote signing connection');
  return config;
}

/**
 * Refuses plain http to another machine (the client secret and the tokens would travel in clear)
 * unless `allowInsecureHttp`; loopback (the simulator) is always allowed. Answers whether the
 * transport is unencrypted off this machine, so the caller can warn on every use.
 */
export function checkTransport(baseUrl: string, allowInsecureHttp: boolean, where: string): { insecure: boolean } {
  const url = new URL(baseUrl);
  if (url.protocol === 'https:') return { insecure: false };
  if (url.protocol !== 'http:') {
    throw new ConfigError('RSIGN_CONFIG_INVALID', `${where}: baseUrl must be https:// (got ${url.protocol})`, { connector: 'remote-signing' });
  }
  if (isLoopbackHost(url.hostname)) return { insecure: false };
  if (!allowInsecureHttp) {
    throw new ConfigError(
      'RSIGN_INSECURE_HTTP',
      `${where}: baseUrl ${url.origin} is plain http to another machine: the client secret and the tokens would travel unencrypted. ` +
        "Use the service's https:// address, or, only if the link is protected some other way (VPN, private line), set allowInsecureHttp: true",
      { connector: 'remote-signing', path: 'baseUrl' },
    );
  }
  return { insecure: true };
}

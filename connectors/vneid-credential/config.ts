import { z } from 'zod';
import { ConfigError } from '../../src/core/errors.js';
import { secret } from '../../src/core/plugin.js';
import { isLoopbackHost } from '../ministry-hub/config.js';

/** An X-Road member or subsystem (`id:xRoadInstance`, `id:memberClass`, `id:memberCode`, `id:subsystemCode`). */
const xRoadIdentifier = z
  .object({
    xRoadInstance: z.string().min(1).max(100),
    memberClass: z.string().min(1).max(100),
    memberCode: z.string().min(1).max(100),
    subsystemCode: z.string().min(1).max(100),
  })
  .strict();

export type XRoadIdentifier = z.output<typeof xRoadIdentifier>;

/** The options of a vneid-credential connection: the one definition (`validate`, the plugin, the constructor). */
const credentialOptions = z.object({
  /** the service's address (the security server's): the WSDL's own address is never used */
  endpoint: z.string().url(),
  /** the WS-Security UsernameToken (PasswordText, over TLS) */
  username: z.string().min(1).max(200),
  /** a reference in configuration (env:NAME, file:PATH); resolved before the connector is built; never logged */
  password: secret(),
  /** `xrd:userId`: the unit's operator the requests are made for */
  userId: z.string().min(1).max(100),
  /** `xrd:client`: the issuing unit */
  client: xRoadIdentifier,
  /** `xrd:service`: the credential service's provider (`serviceCode` is the operation, `serviceVersion` v1) */
  service: xRoadIdentifier,
  /** per-call timeout */
  timeoutMs: z.number().int().positive().max(600_000).default(30_000),
  /** how long a message's wsu:Timestamp is valid after its Created (wsu:Expires) */
  timestampTtlSeconds: z.number().int().min(30).max(3600).default(300),
  /** most records one write carries (each is one SOAP call, one after another); parallel calls come from the job's concurrency */
  maxBatchSize: z.number().int().min(1).max(50).default(1),
  /** most open connections to the service */
  maxSockets: z.number().int().min(1).max(256).default(16),
  /** answers larger than this are refused before they are parsed */
  answerBoundBytes: z.number().int().min(4096).max(64 * 1024 * 1024).default(1_048_576),
  /** the verification page of a credential, `{credentialKey}` filled in (URL-encoded), when the record gives none */
  verifyUrlTemplate: z.string().url().optional(),
  /** the reason sent with RevokeCredential when the record gives none */
  revokeReason: z.string().min(1).max(500).default('Văn bằng, chứng chỉ hoặc học bạ đã bị thu hồi hoặc huỷ bỏ'),
  /**
   * lets a plain `http://` endpoint name a host other than this machine: the password and the
   * personal data then travel unencrypted. Only for a link protected some other way; every run warns.
   */
  allowInsecureHttp: z.boolean().default(false),
});

/** A vneid-credential connection as the configuration gives it (`connections.<name>`): the password is a reference. */
export const vneidCredentialConnectionSchema = credentialOptions.strict().superRefine((c, ctx) => {
  if (c.allowInsecureHttp) return;
  const url = urlOrNull(c.endpoint);
  if (url !== null && url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    ctx.addIssue({
      code: 'custom',
      path: ['endpoint'],
      message: `plain http to ${url.host} sends the password and personal data unencrypted (VNEID_INSECURE_HTTP): use the service's https:// address, or set allowInsecureHttp: true if the link is protected some other way`,
    });
  }
});

/** What the connector's constructor takes: the same options, the password resolved, and a name for messages. */
export const vneidCredentialConfigSchema = credentialOptions
  .extend({
    /** how errors and warnings name this connection (e.g. `config/lienthong.yaml: connections.vneid`) */
    name: z.string().min(1).optional(),
    /** already resolved (never a reference such as env:NAME); never logged */
    password: z.string().min(1),
  })
  .strict();

export type VneidCredentialConfig = z.output<typeof vneidCredentialConfigSchema>;
/** What the constructor takes: defaults may be left out. */
export type VneidCredentialConfigInput = z.input<typeof vneidCredentialConfigSchema>;

/** Validates a config; the error names the fields at fault, never their values (the password among them). */
export function parseVneidCredentialConfig(input: VneidCredentialConfigInput): VneidCredentialConfig {
  const parsed = vneidCredentialConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
  throw new ConfigError('VNEID_CONFIG_INVALID', `vneid-credential connection: ${problems}`, { connector: 'vneid-credential' });
}

/**
 * Refuses an endpoint that would send the password and the personal data in clear to another
 * machine unless the connection allows it; answers the warning to repeat every run when it does.
 */
export function insecureEndpointWarning(endpoint: string, allowInsecureHttp: boolean, where: string): string | null {
  const url = urlOrNull(endpoint);
  if (url === null) throw new ConfigError('VNEID_CONFIG_INVALID', `${where}: endpoint is not a URL`, { connector: 'vneid-credential', path: 'endpoint' });
  if (url.protocol === 'https:') return null;
  if (url.protocol !== 'http:') {
    throw new ConfigError('VNEID_CONFIG_INVALID', `${where}: endpoint must be https:// (got ${url.protocol})`, { connector: 'vneid-credential', path: 'endpoint' });
  }
  if (isLoopbackHost(url.hostname)) return null;
  if (!allowInsecureHttp) {
    throw new ConfigError(
      'VNEID_INSECURE_HTTP',
      `${where}: endpoint ${url.origin} is plain http to another machine: the password and personal data would travel unencrypted. ` +
        "Use the service's https:// address, or, only if the link is protected some other way, set allowInsecureHttp: true",
      { connector: 'vneid-credential', path: 'endpoint' },
    );
  }
  return `${where}: sending to ${url.origin} over plain http (allowInsecureHttp: true): the password and personal data travel unencrypted`;
}

function urlOrNull(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

import { z } from 'zod';
import { SECRET_REFERENCE } from '../../src/core/plugin.js';
import { isLoopbackHost } from '../ministry-hub/config.js';

/**
 * One kiosk of a cim-kiosk connection: where it is, its token (a reference, resolved when the
 * connection is built), and its own limits and retry policy.
 */
export const kioskSchema = z
  .object({
    /** the kiosk's id, as its health endpoint names itself (`kioskId`) */
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" and "-" (e.g. kiosk-a1)'),
    /** the kiosk's base URL (the contract's paths are below it) */
    url: z.string().url(),
    /** `env:NAME` or `file:PATH`: sent as `Authorization: Bearer …`; never logged */
    token: z.string().regex(SECRET_REFERENCE, 'a kiosk token must be a reference: env:NAME or file:PATH'),
    /** requests in flight at once; 1 keeps the kiosk's changes in strict order */
    concurrency: z.number().int().min(1).max(16).default(1),
    rateLimit: z
      .object({ perSecond: z.number().positive().default(20), burst: z.number().int().min(1).default(20) })
      .strict()
      .default({ perSecond: 20, burst: 20 }),
    /** per request */
    timeoutMs: z.number().int().positive().max(600_000).default(10_000),
    /**
     * a kiosk that answers with trouble (5xx, 429, a timeout, a dropped answer) is asked again up
     * to `attempts` times in all; then its lane stops for the run and its changes stay queued.
     * A kiosk that refuses the connection is not retried at all: it is offline for the run.
     */
    retry: z
      .object({
        attempts: z.number().int().min(1).max(20).default(3),
        baseDelayMs: z.number().int().min(0).default(200),
        maxDelayMs: z.number().int().min(0).default(5_000),
      })
      .strict()
      .default({ attempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 }),
    /** allows plain http to a kiosk that is not this machine (a campus network protected otherwise) */
    allowInsecureHttp: z.boolean().default(false),
  })
  .strict()
  .superRefine((k, ctx) => {
    if (k.allowInsecureHttp) return;
    let url: URL;
    try {
      url = new URL(k.url);
    } catch {
      return;
    }
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: `plain http to ${url.host} sends the kiosk token and students' data unencrypted: use https://, or set allowInsecureHttp: true if the campus network is protected otherwise`,
      });
    }
  });

/** A cim-kiosk connection (`connections.<name>`). */
export const cimKioskConnectionSchema = z
  .object({
    /** the kiosks this connection keeps supplied; each has its own queue in the state store */
    kiosks: z
      .array(kioskSchema)
      .min(1)
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        list.forEach((k, i) => {
          if (seen.has(k.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `kiosk id ${k.id} is used twice` });
          seen.add(k.id);
        });
      }),
    /** the certificate template registry (one YAML file per unit), relative to the configuration file */
    templatesDir: z.string().min(1).default('templates/cim'),
    /** queued changes read from the state store at a time, per kiosk */
    pageSize: z.number().int().min(1).max(5_000).default(500),
  })
  .strict();

export type CimKioskConnection = z.output<typeof cimKioskConnectionSchema>;
export type KioskConfig = z.output<typeof kioskSchema>;
/** A kiosk as the destination is built with it: the token resolved. */
export type ResolvedKiosk = Omit<KioskConfig, 'token'> & { token: string };

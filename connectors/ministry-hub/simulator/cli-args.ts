import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { faultChangesSchema } from './admin-schema.js';
import type { HubSimulatorOptions } from './options.js';

/**
 * Options of the standalone simulator from its command line:
 * `--port 0 --host 127.0.0.1 --db hub.sqlite --client-id ID --client-secret SECRET --unit U1 --unit U2
 *  --seed 1 --rate 20 --burst 40 --no-rate-limit --faults '{"errorRate":0.1}' --trusted-ca ca.pem`.
 * `--trusted-ca` (repeatable; a file may hold several certificates) names the CAs trusted to sign học bạ.
 * The secret may come from HUB_SIM_CLIENT_SECRET instead of the command line.
 */
export function parseHubSimulatorArgs(argv: string[], env: NodeJS.ProcessEnv = {}): HubSimulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      unit: { type: 'string', multiple: true },
      dataset: { type: 'string', multiple: true },
      seed: { type: 'string', default: '1' },
      rate: { type: 'string' },
      burst: { type: 'string' },
      'no-rate-limit': { type: 'boolean', default: false },
      faults: { type: 'string' },
      'trusted-ca': { type: 'string', multiple: true },
    },
    strict: true,
    allowPositionals: false,
  });
  const clientId = values['client-id'];
  const clientSecret = values['client-secret'] ?? env.HUB_SIM_CLIENT_SECRET;
  if (clientId === undefined || clientSecret === undefined) {
    throw new Error('--client-id and --client-secret (or HUB_SIM_CLIENT_SECRET) are required');
  }
  const units = (values.unit ?? []).flatMap((u) => u.split(',')).filter((u) => u !== '');
  if (units.length === 0) throw new Error('--unit is required (one or more unit codes, or *)');
  const datasets = (values.dataset ?? []).flatMap((d) => d.split(',')).filter((d) => d !== '');
  const int = z.coerce.number().int().min(0);
  const faults = values.faults === undefined ? {} : faultChangesSchema.omit({ revokeTokens: true }).parse(JSON.parse(values.faults));
  const trustedCaPems = (values['trusted-ca'] ?? []).flatMap(readCertificatePems);
  return {
    port: int.parse(values.port),
    host: values.host,
    ...(values.db === undefined ? {} : { dbPath: values.db }),
    clients: [{ clientId, clientSecret, unitCodes: units, ...(datasets.length > 0 ? { datasets } : {}) }],
    rateLimit: values['no-rate-limit']
      ? false
      : {
          ratePerSecond: values.rate === undefined ? 20 : z.coerce.number().positive().parse(values.rate),
          burst: values.burst === undefined ? 40 : int.parse(values.burst),
        },
    faults,
    seed: int.parse(values.seed),
    ...(trustedCaPems.length > 0 ? { trustedCaPems } : {}),
  };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every PEM certificate of a file (a CA bundle may hold several). */
export function readCertificatePems(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`--trusted-ca: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const pems = (text.match(PEM_CERTIFICATE) ?? []).map((pem) => `${pem}\n`);
  if (pems.length === 0) throw new Error(`--trusted-ca: ${file} holds no PEM certificate`);
  return pems;
}

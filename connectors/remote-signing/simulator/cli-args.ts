import { parseArgs } from 'node:util';
import type { SimulatedSignerSpec } from './signing-state.js';
import type { ApprovalPolicy } from './signing-state.js';
import type { SigningSimulatorOptions } from './server.js';

/**
 * Options of the standalone signing simulator from its command line:
 * `--port 0 --host 127.0.0.1 --client-id ID --client-secret SECRET --signer 001085012345:Nguyễn Thị Lan
 *  --policy manual --transaction-ttl-ms 600000 --ca-cert DIR/pki/signing-ca.crt --ca-key DIR/pki/signing-ca.key`.
 * `--policy` is `auto[:DELAY_MS]`, `manual`, `never` or `reject:REASON` (every signer); `--signer`
 * repeats. The secret may come from RSIGN_SIM_CLIENT_SECRET instead of the command line.
 */
export function parseSigningSimulatorArgs(argv: string[], env: NodeJS.ProcessEnv = {}): SigningSimulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      signer: { type: 'string', multiple: true },
      policy: { type: 'string', default: 'auto' },
      'transaction-ttl-ms': { type: 'string' },
      'ca-cert': { type: 'string' },
      'ca-key': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const clientId = values['client-id'];
  const clientSecret = values['client-secret'] ?? env.RSIGN_SIM_CLIENT_SECRET;
  if (clientId === undefined || clientSecret === undefined) throw new Error('--client-id and --client-secret (or RSIGN_SIM_CLIENT_SECRET) are required');
  if (values['ca-key'] !== undefined && values['ca-cert'] === undefined) throw new Error('--ca-key needs --ca-cert');
  const signers: SimulatedSignerSpec[] = (values.signer ?? []).map((text) => {
    const m = /^(\d{12}):(.+)$/.exec(text);
    if (m === null) throw new Error('--signer is PERSONAL_ID:NAME with a 12-digit personal id');
    return { personalId: m[1] as string, name: (m[2] as string).trim() };
  });
  return {
    clients: [{ clientId, clientSecret }],
    host: values.host,
    port: integer('--port', values.port),
    policy: parsePolicy(values.policy),
    signers,
    ...(values['transaction-ttl-ms'] === undefined ? {} : { transactionTtlMs: integer('--transaction-ttl-ms', values['transaction-ttl-ms']) }),
    ...(values['ca-cert'] === undefined ? {} : { caCertPath: values['ca-cert'] }),
    ...(values['ca-key'] === undefined ? {} : { caKeyPath: values['ca-key'] }),
  };
}

export function parsePolicy(text: string): ApprovalPolicy {
  if (text === 'manual' || text === 'never') return { mode: text };
  const auto = /^auto(?::(\d+))?$/.exec(text);
  if (auto !== null) return auto[1] === undefined ? { mode: 'auto' } : { mode: 'auto', delayMs: Number(auto[1]) };
  const reject = /^reject:(.+)$/.exec(text);
  if (reject !== null) return { mode: 'reject', reason: reject[1] as string };
  throw new Error('--policy is auto[:DELAY_MS], manual, never or reject:REASON');
}

function integer(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`${flag} must be a whole number`);
  return Number(text);
}

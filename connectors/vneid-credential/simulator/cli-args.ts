import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { VneidSimulatorOptions } from './server.js';

/**
 * Options of the standalone simulator from its command line:
 * `--port 0 --host 127.0.0.1 --username U --password P --member DHA --member SGD --unknown-id 001099000013
 *  --clock-offset-ms 0 --latency-ms 0 [--state FILE]`. The password may come from VNEID_SIM_PASSWORD instead.
 */
export function parseVneidSimulatorArgs(argv: string[], env: NodeJS.ProcessEnv = {}): VneidSimulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      username: { type: 'string' },
      password: { type: 'string' },
      member: { type: 'string', multiple: true },
      'unknown-id': { type: 'string', multiple: true },
      'clock-offset-ms': { type: 'string', default: '0' },
      'latency-ms': { type: 'string', default: '0' },
      state: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const password = values.password ?? env.VNEID_SIM_PASSWORD;
  if (values.username === undefined || password === undefined) throw new Error('--username and --password (or VNEID_SIM_PASSWORD) are required');
  const list = (v: string[] | undefined): string[] => (v ?? []).flatMap((x) => x.split(',')).filter((x) => x !== '');
  const members = list(values.member);
  const unknown = list(values['unknown-id']);
  return {
    port: z.coerce.number().int().min(0).max(65535).parse(values.port),
    host: values.host,
    username: values.username,
    password,
    ...(members.length > 0 ? { authorisedMembers: members } : {}),
    ...(unknown.length > 0 ? { unknownPersonalIds: unknown } : {}),
    clockOffsetMs: z.coerce.number().int().parse(values['clock-offset-ms']),
    latencyMs: z.coerce.number().int().min(0).parse(values['latency-ms']),
    ...(values.state !== undefined ? { statePath: values.state } : {}),
  };
}

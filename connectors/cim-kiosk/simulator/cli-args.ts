import type { KioskSimulatorOptions } from './server.js';

/**
 * `--id KIOSK --port N [--host H] [--delay-ms N] [--drop-answers N]`; the token from
 * $KIOSK_TOKEN (never an argument: it would show in `ps`).
 */
export function parseKioskSimulatorArgs(argv: string[], env: NodeJS.ProcessEnv): KioskSimulatorOptions {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const number = (name: string): number | undefined => {
    const v = value(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number`);
    return n;
  };
  const kioskId = value('--id');
  if (!kioskId) throw new Error('--id KIOSK is required');
  const token = env.KIOSK_TOKEN;
  if (!token) throw new Error('set KIOSK_TOKEN to the token the kiosk accepts');
  const options: KioskSimulatorOptions = { kioskId, token };
  const port = number('--port');
  if (port !== undefined) options.port = port;
  const host = value('--host');
  if (host !== undefined) options.host = host;
  const delayMs = number('--delay-ms');
  if (delayMs !== undefined) options.delayMs = delayMs;
  const dropAnswers = number('--drop-answers');
  if (dropAnswers !== undefined) options.dropAnswers = dropAnswers;
  return options;
}

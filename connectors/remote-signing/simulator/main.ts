/**
 * The signing simulator as a process of its own (a console demo, a manual try): prints
 * `{"url": "..."}` on one line to stdout once it listens; stops on SIGTERM or SIGINT. Requests of
 * signers with the manual policy are approved or rejected with
 * `POST {url}/_control/transactions/{id}/approve|reject` (`GET {url}/_control/transactions` lists them).
 */
import { parseSigningSimulatorArgs } from './cli-args.js';
import { SigningSimulator } from './server.js';

async function main(): Promise<void> {
  let options;
  try {
    options = parseSigningSimulatorArgs(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`signing simulator: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const simulator = new SigningSimulator();
  const { url } = await simulator.start(options);
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  const stop = (): void => {
    simulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`signing simulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

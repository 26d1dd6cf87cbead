/**
 * The hub simulator as a process of its own (so a test can kill -9 a runner while the hub lives on):
 * prints `{"url": "..."}` on one line to stdout once it listens; stops on SIGTERM or SIGINT.
 */
import { parseHubSimulatorArgs } from './cli-args.js';
import { HubSimulator } from './server.js';

async function main(): Promise<void> {
  let options;
  try {
    options = parseHubSimulatorArgs(process.argv.slice(2), process.env);
  } catch (err) {
    process.stderr.write(`hub simulator: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const simulator = new HubSimulator();
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
  process.stderr.write(`hub simulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

/**
 * A shipped simulator run as a process of its own (a test kills the runner with -9 while the
 * simulator lives on, or a person tries the console against it): parses its arguments, prints
 * `{"url": "..."}` on one line to stdout once it listens, stops on SIGTERM or SIGINT. Bad
 * arguments exit 2, a failure to start exits 1.
 */
export function runSimulatorProcess<O>(name: string, parse: (argv: string[], env: NodeJS.ProcessEnv) => O, simulator: { start(options: O): Promise<{ url: string }>; stop(): Promise<void> }): void {
  const fail = (code: number) => (err: unknown): never => {
    process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(code);
  };
  let options: O;
  try {
    options = parse(process.argv.slice(2), process.env);
  } catch (err) {
    fail(2)(err);
    return;
  }
  simulator.start(options).then(({ url }) => {
    process.stdout.write(`${JSON.stringify({ url })}\n`);
    const stop = (): void => {
      simulator.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  }, fail(1));
}

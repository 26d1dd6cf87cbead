import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface SpawnedHubSimulator {
  url: string;
  process: ChildProcess;
  /** SIGTERM, then wait for the process to end */
  stop(): Promise<void>;
}

/**
 * Runs the simulator's compiled entry (`main.js`) in a process of its own and waits for the
 * `{"url": ...}` line it prints when it listens. `args` are main's flags (see cli-args.ts).
 */
export function spawnHubSimulatorProcess(
  entryJs: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; startTimeoutMs?: number } = {},
): Promise<SpawnedHubSimulator> {
  const child = spawn(process.execPath, [entryJs, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the hub simulator did not start in time: ${stderr}`));
    }, options.startTimeoutMs ?? 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the hub simulator exited with code ${String(code)}: ${stderr}`));
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        const { url } = JSON.parse(line) as { url: string };
        resolve({
          url,
          process: child,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await ended;
          },
        });
      } catch (err) {
        child.kill('SIGKILL');
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

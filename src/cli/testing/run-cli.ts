import { vi } from 'vitest';
import { main } from '../main.js';

/**
 * Runs the CLI in this process on a configuration, as `lienthong -c FILE …args` would: its output
 * (stdout and stderr together) and exit code.
 */
export async function runCli(configFile: string, ...args: string[]): Promise<{ out: string; code: number }> {
  let out = '';
  const write = (chunk: string | Uint8Array): boolean => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  };
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(write);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(write);
  process.exitCode = 0;
  try {
    await main(['node', 'lienthong', '-c', configFile, ...args]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, code };
}

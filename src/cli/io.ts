import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from './context.js';
import type { ReadContext } from './read-context.js';
import type { Lang } from './next-steps.js';

// Only what every command needs, so that `--version` and `status` stay fast: the context (the
// store, the log) and everything heavier load with import() in the commands that use them.

/** Output nobody reads any more (a closed pipe) is dropped; see main.ts. */
export const out = (line = ''): void => {
  if (!process.stdout.destroyed) process.stdout.write(line + '\n');
};

/** `-c, --config`, given before or after the command. */
export function configOption(cmd: Command): string | undefined {
  return cmd.optsWithGlobals<{ config?: string }>().config;
}

/** Opens the configuration, the state store and the log, runs `fn` and closes them whatever happens. */
export async function withContext<T>(cmd: Command, fn: (ctx: CliContext) => Promise<T>, options: { consoleLog?: boolean } = {}): Promise<T> {
  const { openContext } = await import('./context.js');
  const ctx = openContext(configOption(cmd), options);
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

/**
 * The configuration and the store only, opened on this thread with no log (`status`, `jobs`,
 * `runs`, `ledger`: read-only, and they must start fast; see read-context.ts).
 */
export async function withReadContext<T>(cmd: Command, fn: (ctx: ReadContext) => Promise<T>): Promise<T> {
  const { openReadContext } = await import('./read-context.js');
  const ctx = openReadContext(configOption(cmd));
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

export const lang = (v: string | undefined): Lang => (v === 'en' ? 'en' : 'vi');

export function positiveInt(v: string, option: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${option} must be a whole number of at least 1 (got "${v}")`);
  return n;
}
